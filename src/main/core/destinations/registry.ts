import { BUILT_IN_DESTINATION, type DestinationConfig, type DestinationSecretName } from '../../../shared/destination-model'
import { AppError } from '../../../shared/errors'
import type { SecretStore } from '../secrets/secret-store'
import type { DestinationSecretRefs, DestinationsRepo } from '../store/destinations-repo'
import { AzureDestination } from './azure/azure-destination'
import type { Destination } from './destination'
import { LocalDestination } from './local/local-destination'
import { S3Destination } from './s3/s3-destination'
import { SftpDestination } from './sftp/sftp-destination'

export { BUILT_IN_DESTINATION }

/** Reads one saved secret of a destination, on first use (the desktop store is async). */
export type SecretReader = (name: DestinationSecretName) => Promise<string | undefined>

/** A destination object for a config; credentials are read lazily through `secret`. */
export function buildDestination(name: string, config: DestinationConfig, secret: SecretReader): Destination {
  switch (config.type) {
    case 'local':
      return new LocalDestination(name, config.path)
    case 's3':
      return new S3Destination(name, config, async () => {
        const [accessKeyId, secretAccessKey] = await Promise.all([secret('accessKeyId'), secret('secretAccessKey')])
        return accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : null
      })
    case 'azure':
      return new AzureDestination(name, config, async () => (await secret('connectionString')) ?? null)
    case 'sftp':
      return new SftpDestination(name, config, async () => ({ password: await secret('password'), keyPassphrase: await secret('keyPassphrase') }))
  }
}

export function secretReader(secrets: SecretStore, refs: DestinationSecretRefs): SecretReader {
  return async (name) => {
    const ref = refs[name]
    return ref ? secrets.get(ref) : undefined
  }
}

/**
 * The destinations a backup can go to: the built-in `local` (<data dir>/backups) and every saved
 * one. Objects are cached per saved version, so connections (SFTP) are reused between operations.
 */
export class DestinationRegistry {
  private readonly builtIn: Destination
  private readonly cache = new Map<string, { updatedAt: string; destination: Destination }>()

  constructor(
    backupsDir: string,
    private readonly saved?: { repo: DestinationsRepo; secrets: SecretStore },
  ) {
    this.builtIn = new LocalDestination(BUILT_IN_DESTINATION, backupsDir)
  }

  get(name: string): Destination {
    if (name.toLowerCase() === BUILT_IN_DESTINATION) return this.builtIn
    const stored = this.saved?.repo.findByName(name)
    if (!stored || !this.saved) throw new AppError('NOT_FOUND', `no destination named "${name}" (see lifeboat dest list)`, 'destination')
    const key = stored.name.toLowerCase()
    const cached = this.cache.get(key)
    if (cached && cached.updatedAt === stored.updatedAt) return cached.destination
    void cached?.destination.close?.().catch(() => {})
    const destination = buildDestination(stored.name, stored.config, secretReader(this.saved.secrets, stored.secretRefs))
    this.cache.set(key, { updatedAt: stored.updatedAt, destination })
    return destination
  }

  resolve(names: readonly string[] | undefined): Destination[] {
    const wanted = names && names.length > 0 ? [...new Set(names)] : [BUILT_IN_DESTINATION]
    return wanted.map((n) => this.get(n))
  }

  /** Drops a cached object (after an edit or removal) and closes its connection. */
  async forget(name: string): Promise<void> {
    const cached = this.cache.get(name.toLowerCase())
    this.cache.delete(name.toLowerCase())
    await cached?.destination.close?.().catch(() => {})
  }

  /** Closes every open connection (at shutdown). */
  async closeAll(): Promise<void> {
    const all = [...this.cache.values()]
    this.cache.clear()
    await Promise.all(all.map((c) => c.destination.close?.().catch(() => {})))
  }
}
