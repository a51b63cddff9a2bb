import { randomUUID } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import type { ChannelParsedInput } from '../../../shared/contract'
import type { ConnectionTestResult, Origin, Profile, ProfileConfig } from '../../../shared/model'
import type { ConnectionProbe, ProbeOptions } from '../engines/probe'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import type { ActivityRepo } from '../store/activity-repo'
import type { ProfilesRepo, StoredProfile } from '../store/profiles-repo'
import { profilePasswordRef, type SecretStore } from '../secrets/secret-store'

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
    const { profile: config, password } = input
    assertPasswordAllowed(config, password)
    this.assertNameFree(config.name)
    const id = randomUUID()
    const ref = password === undefined ? null : profilePasswordRef(id)
    if (ref !== null && password !== undefined) await this.deps.secrets.set(ref, password)
    let created: StoredProfile
    try {
      created = this.deps.repo.insert(config, ref, id)
    } catch (e) {
      if (ref !== null) await this.deps.secrets.delete(ref)
      throw e
    }
    this.changed('profile.create', config.name, { engine: config.engine, passwordSaved: ref !== null })
    return created.profile
  }

  async update(input: ChannelParsedInput<'profiles.update'>): Promise<Profile> {
    const { id, profile: config, password } = input
    const existing = this.stored(id)
    assertPasswordAllowed(config, password)
    this.assertNameFree(config.name, id)
    // A profile switched to SQLite has no use for a password; drop it rather than keep a stray secret.
    const clear = password === null || (config.engine === 'sqlite' && existing.passwordRef !== null)
    let ref = existing.passwordRef
    if (typeof password === 'string') {
      ref = profilePasswordRef(id)
      await this.deps.secrets.set(ref, password)
    }
    if (clear) ref = null
    const updated = this.deps.repo.update(id, config, ref)
    if (clear && existing.passwordRef !== null) await this.deps.secrets.delete(existing.passwordRef)
    const passwordChange = typeof password === 'string' ? 'replaced' : clear ? 'removed' : 'kept'
    this.changed('profile.update', config.name, { previousName: existing.profile.name, password: passwordChange })
    return updated.profile
  }

  async remove(id: string): Promise<void> {
    const existing = this.stored(id)
    const jobs = this.deps.jobsUsing?.(id) ?? []
    if (jobs.length > 0) {
      throw new AppError('CONFLICT', `profile "${existing.profile.name}" is used by the job${jobs.length > 1 ? 's' : ''} ${jobs.map((j) => `"${j}"`).join(', ')}; remove or change ${jobs.length > 1 ? 'them' : 'it'} first`, 'id')
    }
    this.deps.repo.remove(id)
    if (existing.passwordRef !== null) await this.deps.secrets.delete(existing.passwordRef)
    this.changed('profile.remove', existing.profile.name, { engine: existing.profile.engine })
  }

  async test(input: ChannelParsedInput<'profiles.test'>): Promise<ConnectionTestResult> {
    let config: ProfileConfig
    let password: string | undefined
    if ('profile' in input) {
      config = input.profile
      password = input.password
      assertPasswordAllowed(config, password)
      if (password === undefined && input.id !== undefined) password = await this.savedPassword(this.stored(input.id))
    } else {
      const stored = this.stored(input.id)
      config = stored.profile
      password = await this.savedPassword(stored)
    }
    const result = await this.deps.probe(config, password, this.deps.probeOptions)
    this.deps.logger.info('connection test', {
      profile: config.name,
      ok: result.ok,
      server: result.server?.version,
      tool: result.tool?.path,
      error: result.error?.code,
    })
    return result
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
