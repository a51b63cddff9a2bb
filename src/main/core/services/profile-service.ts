import { randomUUID } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import type { ChannelParsedInput } from '../../../shared/contract'
import type { ConnectionTestResult, Origin, Profile, ProfileConfig } from '../../../shared/model'
import type { ConnectionProbe, ProbeOptions } from '../engines/probe'
import { engineFor, type Engine } from '../engines/registry'
import { sshOf } from '../transport/profile-connection'
import { sshAwareEngine } from '../transport/ssh-engine'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import type { ActivityRepo } from '../store/activity-repo'
import type { ProfileSecretRefs, ProfilesRepo, StoredProfile } from '../store/profiles-repo'
import type { ConnectionSecrets } from '../transport/connection-secrets'
import { profilePasswordRef, profileSshSecretRef, type SecretStore } from '../secrets/secret-store'

export interface ProfileServiceDeps {
  repo: ProfilesRepo
  activity: ActivityRepo
  secrets: SecretStore
  events: EventBus
  logger: Logger
  probe: ConnectionProbe
  probeOptions: ProbeOptions
  origin: Origin
  /** Names of the jobs that back up or test-restore into a profile (removal is refused while any do). */
  jobsUsing?: (profileId: string) => string[]
}

type SecretInputs = { password?: string | null; sshSecret?: string | null; jumpSecret?: string | null }
const SLOTS = ['password', 'ssh', 'jump'] as const
const SLOT_INPUT = { password: 'password', ssh: 'sshSecret', jump: 'jumpSecret' } as const

function assertSshSecretsAllowed(config: ProfileConfig, input: SecretInputs): void {
  const ssh = config.engine === 'sqlite' ? null : config.ssh
  if (typeof input.sshSecret === 'string' && !ssh) throw new AppError('VALIDATION', 'sshSecret: this profile does not connect through SSH', 'sshSecret')
  if (typeof input.jumpSecret === 'string' && !ssh?.jump) throw new AppError('VALIDATION', 'jumpSecret: this profile has no jump host', 'jumpSecret')
}

function assertPasswordAllowed(config: ProfileConfig, password: string | null | undefined): void {
  if (config.engine === 'sqlite' && typeof password === 'string') {
    throw new AppError('VALIDATION', 'password: SQLite profiles have no password', 'password')
  }
}

/** Connection profiles: CRUD with the password kept in the SecretStore, and "test connection". */
export class ProfileService {
  constructor(private readonly deps: ProfileServiceDeps) {}

  list(): Profile[] {
    return this.deps.repo.list().map((s) => s.profile)
  }

  get(id: string): Profile {
    return this.stored(id).profile
  }

  /** For the CLI and scripts: a profile by name (case-insensitive) or id. */
  resolve(nameOrId: string): Profile {
    const found = this.deps.repo.findByName(nameOrId) ?? this.deps.repo.get(nameOrId)
    if (!found) throw new AppError('NOT_FOUND', `no profile named "${nameOrId}"`, 'name')
    return found.profile
  }

  async create(input: ChannelParsedInput<'profiles.create'>): Promise<Profile> {
    const { profile: config } = input
    assertPasswordAllowed(config, input.password)
    assertSshSecretsAllowed(config, input)
    this.assertNameFree(config.name)
    const id = randomUUID()
    const none: ProfileSecretRefs = { password: null, ssh: null, jump: null }
    const refs = await this.saveSecrets(id, none, input, config)
    let created: StoredProfile
    try {
      created = this.deps.repo.insert(config, refs, id)
    } catch (e) {
      for (const ref of Object.values(refs)) if (ref !== null) await this.deps.secrets.delete(ref)
      throw e
    }
    this.changed('profile.create', config.name, { engine: config.engine, passwordSaved: refs.password !== null, ssh: config.engine === 'sqlite' ? null : (config.ssh?.mode ?? null) })
    return created.profile
  }

  async update(input: ChannelParsedInput<'profiles.update'>): Promise<Profile> {
    const { id, profile: config } = input
    const existing = this.stored(id)
    assertPasswordAllowed(config, input.password)
    assertSshSecretsAllowed(config, input)
    this.assertNameFree(config.name, id)
    const before: ProfileSecretRefs = { password: existing.passwordRef, ssh: existing.sshSecretRef, jump: existing.jumpSecretRef }
    const refs = await this.saveSecrets(id, before, input, config)
    const updated = this.deps.repo.update(id, config, refs)
    for (const slot of SLOTS) if (before[slot] !== null && refs[slot] === null) await this.deps.secrets.delete(before[slot])
    const change = (slot: keyof ProfileSecretRefs) => (typeof input[SLOT_INPUT[slot]] === 'string' ? 'replaced' : before[slot] !== null && refs[slot] === null ? 'removed' : 'kept')
    this.changed('profile.update', config.name, { previousName: existing.profile.name, password: change('password'), sshSecret: change('ssh'), jumpSecret: change('jump') })
    return updated.profile
  }

  async remove(id: string): Promise<void> {
    const existing = this.stored(id)
    const jobs = this.deps.jobsUsing?.(id) ?? []
    if (jobs.length > 0) {
      throw new AppError('CONFLICT', `profile "${existing.profile.name}" is used by the job${jobs.length > 1 ? 's' : ''} ${jobs.map((j) => `"${j}"`).join(', ')}; remove or change ${jobs.length > 1 ? 'them' : 'it'} first`, 'id')
    }
    this.deps.repo.remove(id)
    for (const ref of [existing.passwordRef, existing.sshSecretRef, existing.jumpSecretRef]) if (ref !== null) await this.deps.secrets.delete(ref)
    this.changed('profile.remove', existing.profile.name, { engine: existing.profile.engine })
  }

  /**
   * Writes the secrets given as strings; null (or a profile that no longer needs one: SQLite, no SSH,
   * no jump host) drops it; undefined keeps it. Returns the references to store.
   */
  private async saveSecrets(id: string, before: ProfileSecretRefs, input: SecretInputs, config: ProfileConfig): Promise<ProfileSecretRefs> {
    const needed: Record<keyof ProfileSecretRefs, boolean> = {
      password: config.engine !== 'sqlite',
      ssh: config.engine !== 'sqlite' && !!config.ssh,
      jump: config.engine !== 'sqlite' && !!config.ssh?.jump,
    }
    const refs = { ...before }
    for (const slot of SLOTS) {
      const value = input[SLOT_INPUT[slot]]
      if (typeof value === 'string') {
        refs[slot] = slot === 'password' ? profilePasswordRef(id) : profileSshSecretRef(id, slot)
        await this.deps.secrets.set(refs[slot], value)
      } else if (value === null || !needed[slot]) refs[slot] = null
    }
    return refs
  }

  async test(input: ChannelParsedInput<'profiles.test'>): Promise<ConnectionTestResult> {
    let config: ProfileConfig
    let secrets: ConnectionSecrets
    if ('profile' in input) {
      config = input.profile
      assertPasswordAllowed(config, input.password)
      const stored = input.id !== undefined ? this.stored(input.id) : undefined
      const saved = stored ? await this.secretsOf(stored) : { password: undefined }
      // A draft of a saved profile falls back to what is saved for each secret left empty, but an SSH
      // secret only while the hop still uses the same authentication (a passphrase is no password).
      const sameAuth = (hop: 'hop' | 'jump') => {
        const before = stored ? sshOf(stored.profile)?.[hop] : undefined
        const now = sshOf(config)?.[hop]
        return !!before && !!now && before.auth === now.auth && before.auth !== 'agent'
      }
      secrets = {
        password: input.password ?? saved.password,
        sshSecret: input.sshSecret ?? (sameAuth('hop') ? saved.sshSecret : undefined),
        jumpSecret: input.jumpSecret ?? (sameAuth('jump') ? saved.jumpSecret : undefined),
      }
    } else {
      const stored = this.stored(input.id)
      config = stored.profile
      secrets = await this.secretsOf(stored)
    }
    const result = await this.deps.probe(config, secrets.password, { ...this.deps.probeOptions, sshSecrets: secrets })
    this.deps.logger.info('connection test', {
      profile: config.name,
      ok: result.ok,
      server: result.server?.version,
      tool: result.tool?.path,
      error: result.error?.code,
      failedHop: result.ssh?.failedHop,
    })
    return result
  }

  /**
   * The engine for a saved profile: through SSH (tunnel or exec) when the profile says so, with its
   * saved SSH secrets; straight to the server otherwise.
   */
  engine(profile: Pick<Profile, 'id' | 'engine'>): Engine {
    return sshAwareEngine(engineFor(profile.engine), async () => {
      const { sshSecret, jumpSecret } = await this.secrets(profile.id)
      return { sshSecret, jumpSecret }
    })
  }

  /** Every saved secret of a profile, for the engines and the SSH connection. */
  async secrets(id: string): Promise<ConnectionSecrets> {
    return this.secretsOf(this.stored(id))
  }

  private async secretsOf(stored: StoredProfile): Promise<ConnectionSecrets> {
    const get = (ref: string | null) => (ref === null ? undefined : this.deps.secrets.get(ref))
    return { password: await get(stored.passwordRef), sshSecret: await get(stored.sshSecretRef), jumpSecret: await get(stored.jumpSecretRef) }
  }

  /** The saved password of a profile, for the engines; undefined when none is saved. */
  async password(id: string): Promise<string | undefined> {
    return this.savedPassword(this.stored(id))
  }

  private async savedPassword(stored: StoredProfile): Promise<string | undefined> {
    return stored.passwordRef === null ? undefined : this.deps.secrets.get(stored.passwordRef)
  }

  private stored(id: string): StoredProfile {
    const found = this.deps.repo.get(id)
    if (!found) throw new AppError('NOT_FOUND', `no profile with id "${id}"`, 'id')
    return found
  }

  private assertNameFree(name: string, exceptId?: string): void {
    const other = this.deps.repo.findByName(name)
    if (other && other.profile.id !== exceptId) {
      throw new AppError('CONFLICT', `name: a profile named "${other.profile.name}" already exists`, 'name')
    }
  }

  private changed(action: string, subject: string, detail: Record<string, unknown>): void {
    this.deps.activity.record({ origin: this.deps.origin, action, subject, outcome: 'ok', detail })
    this.deps.logger.info(action, { subject, origin: this.deps.origin, ...detail })
    this.deps.events.emit({ type: 'profiles.changed' })
  }
}
