import { randomUUID } from 'node:crypto'
import {
  BUILT_IN_DESTINATION,
  describeLocation,
  type DestinationConfig,
  type DestinationSecretName,
  type DestinationSecrets,
  type DestinationTestResult,
  type DestinationView,
} from '../../../shared/destination-model'
import { AppError } from '../../../shared/errors'
import type { Origin } from '../../../shared/model'
import { buildDestination, type DestinationRegistry, type SecretReader } from '../destinations/registry'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import { registerSecret } from '../logging/redact'
import type { SecretStore } from '../secrets/secret-store'
import type { ActivityRepo } from '../store/activity-repo'
import type { DestinationSecretRefs, DestinationsRepo, StoredDestination } from '../store/destinations-repo'

export interface DestinationServiceDeps {
  repo: DestinationsRepo
  registry: DestinationRegistry
  secrets: SecretStore
  activity: ActivityRepo
  events: EventBus
  logger: Logger
  origin: Origin
  backupsDir: string
  /** Names of the jobs that write to a destination (removal is refused while any do). */
  jobsUsing(name: string): string[]
}

const SECRET_NAMES: DestinationSecretName[] = ['accessKeyId', 'secretAccessKey', 'connectionString', 'password', 'keyPassphrase']
/** Which secrets mean something for which type (others are refused, so nothing is stored by mistake). */
const SECRETS_FOR: Record<DestinationConfig['type'], DestinationSecretName[]> = {
  local: [],
  s3: ['accessKeyId', 'secretAccessKey'],
  azure: ['connectionString'],
  sftp: ['password', 'keyPassphrase'],
}
const secretRef = (id: string, name: DestinationSecretName) => `destination/${id}/${name}`

/** Configured destinations: validated CRUD with write-only credentials, test connection. */
export class DestinationService {
  constructor(private readonly deps: DestinationServiceDeps) {}

  list(): DestinationView[] {
    const builtIn: DestinationView = { name: BUILT_IN_DESTINATION, config: { type: 'local', path: this.deps.backupsDir }, builtIn: true, secrets: [], location: this.deps.backupsDir, createdAt: null, updatedAt: null }
    return [builtIn, ...this.deps.repo.list().map((d) => this.view(d))]
  }

  get(name: string): DestinationView {
    const found = this.list().find((d) => d.name.toLowerCase() === name.toLowerCase())
    if (!found) throw new AppError('NOT_FOUND', `no destination named "${name}"`, 'name')
    return found
  }

  async create(name: string, config: DestinationConfig, secrets: DestinationSecrets = {}, origin = this.deps.origin): Promise<DestinationView> {
    if (this.deps.repo.findByName(name) || name.toLowerCase() === BUILT_IN_DESTINATION) throw new AppError('CONFLICT', `name: a destination named "${name}" already exists`, 'name')
    assertSecretsFit(config, secrets, {})
    const id = randomUUID()
    const refs = await this.saveSecrets(id, {}, secrets, config)
    let created: StoredDestination
    try {
      created = this.deps.repo.insert(name, config, refs, id)
    } catch (e) {
      await this.dropSecrets(refs)
      throw e
    }
    this.changed('destination.create', name, origin, { type: config.type, location: describeLocation(config) })
    return this.view(created)
  }

  async update(name: string, config: DestinationConfig, secrets: DestinationSecrets = {}, origin = this.deps.origin): Promise<DestinationView> {
    const existing = this.stored(name)
    assertSecretsFit(config, secrets, existing.secretRefs)
    const refs = await this.saveSecrets(existing.id, existing.secretRefs, secrets, config)
    this.deps.repo.update(existing.id, config, refs)
    await this.deps.registry.forget(existing.name)
    this.changed('destination.update', existing.name, origin, { type: config.type })
    return this.view(this.stored(name))
  }

  async remove(name: string, origin = this.deps.origin): Promise<void> {
    const existing = this.stored(name)
    const jobs = this.deps.jobsUsing(existing.name)
    if (jobs.length) throw new AppError('CONFLICT', `destination "${existing.name}" is used by the job${jobs.length > 1 ? 's' : ''} ${jobs.map((j) => `"${j}"`).join(', ')}; change ${jobs.length > 1 ? 'them' : 'it'} first`, 'name')
    const held = this.deps.repo.storedCopies(existing.name)
    if (held) throw new AppError('CONFLICT', `destination "${existing.name}" holds ${held} backup${held > 1 ? 's' : ''}; delete or prune ${held > 1 ? 'them' : 'it'} first, or keep the destination`, 'name')
    this.deps.repo.delete(existing.id)
    await this.deps.registry.forget(existing.name)
    await this.dropSecrets(existing.secretRefs)
    this.changed('destination.remove', existing.name, origin, { type: existing.config.type })
  }

  /** A saved destination by name, or a draft (its secrets, else the saved ones of `name`). */
  async test(target: { name: string } | { name?: string; config: DestinationConfig; secrets?: DestinationSecrets }, signal?: AbortSignal): Promise<DestinationTestResult> {
    if (!('config' in target)) {
      const result = await this.deps.registry.get(this.get(target.name).name).test(signal)
      this.deps.logger.info('destination test', { name: target.name, ok: result.ok })
      return result
    }
    const saved = target.name ? this.deps.repo.findByName(target.name) : undefined
    const draftSecrets = target.secrets ?? {}
    assertSecretsFit(target.config, draftSecrets, saved?.secretRefs ?? {})
    for (const v of Object.values(draftSecrets)) if (typeof v === 'string') registerSecret(v)
    const read: SecretReader = async (n) => {
      const typed = draftSecrets[n]
      if (typed !== undefined) return typed ?? undefined
      const ref = saved?.secretRefs[n]
      return ref ? this.deps.secrets.get(ref) : undefined
    }
    const destination = buildDestination(target.name ?? 'new', target.config, read)
    try {
      return await destination.test(signal)
    } finally {
      await destination.close?.().catch(() => {})
    }
  }

  private stored(name: string): StoredDestination {
    if (name.toLowerCase() === BUILT_IN_DESTINATION) throw new AppError('VALIDATION', `name: "${BUILT_IN_DESTINATION}" is built in and can't be changed or removed`, 'name')
    const found = this.deps.repo.findByName(name)
    if (!found) throw new AppError('NOT_FOUND', `no destination named "${name}"`, 'name')
    return found
  }

  private view(d: StoredDestination): DestinationView {
    return { name: d.name, config: d.config, builtIn: false, secrets: Object.keys(d.secretRefs).sort(), location: describeLocation(d.config), createdAt: d.createdAt, updatedAt: d.updatedAt }
  }

  /** undefined keeps a secret, null removes it, a string replaces it; secrets the type doesn't use are dropped. */
  private async saveSecrets(id: string, existing: DestinationSecretRefs, secrets: DestinationSecrets, config: DestinationConfig): Promise<DestinationSecretRefs> {
    const refs: DestinationSecretRefs = {}
    const wanted = new Set(SECRETS_FOR[config.type])
    for (const name of SECRET_NAMES) {
      const value = secrets[name]
      const old = existing[name]
      if (!wanted.has(name) || value === null) {
        if (old) await this.deps.secrets.delete(old)
        continue
      }
      if (value === undefined) {
        if (old) refs[name] = old
        continue
      }
      registerSecret(value)
      refs[name] = secretRef(id, name)
      await this.deps.secrets.set(refs[name], value)
    }
    return refs
  }

  private async dropSecrets(refs: DestinationSecretRefs): Promise<void> {
    for (const ref of Object.values(refs)) if (ref) await this.deps.secrets.delete(ref)
  }

  private changed(action: string, subject: string, origin: Origin, detail: Record<string, unknown>): void {
    this.deps.activity.record({ origin, action, subject, outcome: 'ok', detail })
    this.deps.logger.info(action, { subject, origin, ...detail })
    this.deps.events.emit({ type: 'destinations.changed' })
  }
}

/** Credentials that belong together, and only those the type uses; each error names its field. */
function assertSecretsFit(config: DestinationConfig, secrets: DestinationSecrets, saved: DestinationSecretRefs): void {
  const allowed = new Set(SECRETS_FOR[config.type])
  for (const [name, value] of Object.entries(secrets)) {
    if (typeof value === 'string' && !allowed.has(name as DestinationSecretName)) throw new AppError('VALIDATION', `secrets.${name}: not used by ${config.type} destinations`, `secrets.${name}`)
  }
  const has = (n: DestinationSecretName) => (secrets[n] === undefined ? Boolean(saved[n]) : secrets[n] !== null)
  if (config.type === 's3' && has('accessKeyId') !== has('secretAccessKey')) {
    throw new AppError('VALIDATION', 'secrets.secretAccessKey: give both the access key id and the secret access key (or neither, to use the environment / instance role)', 'secrets.secretAccessKey')
  }
  if (config.type === 'azure' && !has('connectionString')) throw new AppError('VALIDATION', 'secrets.connectionString: an Azure destination needs the storage account connection string', 'secrets.connectionString')
  if (config.type === 'sftp' && !config.privateKeyPath && !has('password')) throw new AppError('VALIDATION', 'config.privateKeyPath: give a private key file or a password', 'config.privateKeyPath')
}
