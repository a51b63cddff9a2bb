import { safeStorage } from 'electron'
import { join } from 'node:path'
import { AppError } from '../../shared/errors'
import { FileSecretStore, readSecretsFile, writeSecretsFile } from '../core/secrets/file-secret-store'
import type { SecretStore } from '../core/secrets/secret-store'
import { registerSecret } from '../core/logging/redact'

/** The parts of Electron's safeStorage used here; the async API is preferred when the runtime has it. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  getSelectedStorageBackend?(): string
  isAsyncEncryptionAvailable?(): Promise<boolean>
  encryptStringAsync?(plainText: string): Promise<Buffer>
  decryptStringAsync?(encrypted: Buffer): Promise<{ shouldReEncrypt: boolean; result: string }>
}

export const KEYCHAIN_FILE = 'secrets.keychain.json'
export const CLI_FILE = 'secrets.json'


/**
 * The desktop app's secrets: each value encrypted by the OS (Keychain, DPAPI, libsecret/kwallet) through
 * Electron's safeStorage, the ciphertexts (base64) kept in `secrets.keychain.json` (0600, atomic writes).
 * Reads see the CLI's `secrets.json` first, so profiles created (or passwords re-saved) with the CLI work in
 * the app; a value saved or changed in the app is removed from `secrets.json`, so the CLI never uses a
 * stale password (README: "Secrets: desktop app and CLI"). Construct after app 'ready'.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind: 'keychain' | 'plaintext'
  readonly description: string
  private readonly file: string
  private readonly cli: FileSecretStore
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly dataDir: string,
    private readonly storage: SafeStorageLike,
    platform: NodeJS.Platform = process.platform,
  ) {
    this.file = join(dataDir, KEYCHAIN_FILE)
    this.cli = new FileSecretStore(join(dataDir, CLI_FILE))
    const backend = platform === 'linux' ? storage.getSelectedStorageBackend?.() : undefined
    this.kind = backend === 'basic_text' ? 'plaintext' : 'keychain'
    this.description =
      this.kind === 'plaintext'
        ? `NOT protected by a keychain: no OS keyring was found (safeStorage backend basic_text), so ${this.file} is only obfuscated; install and unlock gnome-keyring or KWallet and restart Lifeboat`
        : `OS keychain via Electron safeStorage${backend ? ` (${backend})` : ''}, encrypted in ${this.file}`
  }

  async get(ref: string): Promise<string | undefined> {
    // A CLI copy is never older than the keychain one: saving in the app deletes it, so a copy that
    // exists was migrated (same value) or saved again with the CLI afterwards (newer).
    const fromCli = await this.cli.get(ref)
    if (fromCli !== undefined) return fromCli
    const stored = this.read()[ref]
    if (stored === undefined) return undefined
    const { value, reEncrypt } = await this.decrypt(stored)
    registerSecret(value)
    if (reEncrypt) await this.set(ref, value)
    return value
  }

  async set(ref: string, value: string): Promise<void> {
    registerSecret(value)
    await this.assertAvailable()
    const encrypted = await this.encrypt(value)
    await this.serial(async () => {
      this.write({ ...this.read(), [ref]: encrypted })
      await this.cli.delete(ref) // the CLI copy (if any) is now stale
    })
  }

  async delete(ref: string): Promise<void> {
    await this.serial(async () => {
      const secrets = this.read()
      if (ref in secrets) {
        delete secrets[ref]
        this.write(secrets)
      }
      await this.cli.delete(ref)
    })
  }

  /**
   * One-time migration: when the keychain file is empty and `secrets.json` has entries, encrypt them all
   * into the keychain file. `secrets.json` is left as it is, so the CLI keeps working. Returns how many moved.
   */
  async migrateFromFileStore(): Promise<number> {
    if (Object.keys(this.read()).length > 0) return 0
    const plain = readSecretsFile(join(this.dataDir, CLI_FILE))
    const refs = Object.keys(plain)
    if (refs.length === 0) return 0
    await this.assertAvailable()
    const encrypted: Record<string, string> = {}
    for (const ref of refs) {
      registerSecret(plain[ref])
      encrypted[ref] = await this.encrypt(plain[ref] ?? '')
    }
    await this.serial(async () => this.write({ ...encrypted, ...this.read() })) // a save made meanwhile wins
    return refs.length
  }

  private async assertAvailable(): Promise<void> {
    const available = this.storage.isAsyncEncryptionAvailable
      ? await this.storage.isAsyncEncryptionAvailable()
      : this.storage.isEncryptionAvailable()
    if (!available) {
      throw new AppError(
        'PERMISSION_DENIED',
        'the OS keychain is not available (Electron safeStorage cannot encrypt), so Lifeboat will not save this password; unlock or install the keychain, or use the CLI with --password-env',
      )
    }
  }

  private async encrypt(value: string): Promise<string> {
    const bytes = this.storage.encryptStringAsync ? await this.storage.encryptStringAsync(value) : this.storage.encryptString(value)
    return Buffer.from(bytes).toString('base64')
  }

  private async decrypt(stored: string): Promise<{ value: string; reEncrypt: boolean }> {
    const bytes = Buffer.from(stored, 'base64')
    try {
      if (this.storage.decryptStringAsync) {
        const { result, shouldReEncrypt } = await this.storage.decryptStringAsync(bytes)
        return { value: result, reEncrypt: shouldReEncrypt }
      }
      return { value: this.storage.decryptString(bytes), reEncrypt: false }
    } catch {
      throw new AppError('PERMISSION_DENIED', `a password in ${this.file} cannot be decrypted by the OS keychain (was it copied from another user or machine?); re-enter it in the profile`)
    }
  }

  /** Read-modify-write steps run one at a time, so two concurrent saves don't lose each other. */
  private serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.queue.then(step, step)
    this.queue = next.catch(() => undefined)
    return next
  }

  private read(): Record<string, string> {
    return readSecretsFile(this.file)
  }

  private write(secrets: Record<string, string>): void {
    writeSecretsFile(this.file, secrets)
  }
}


/**
 * The app's SecretStore. Call after app 'ready' (before it, the Linux backend reads as "unknown"). The
 * one-time copy of the CLI's secrets runs in the background; reads fall back to secrets.json meanwhile.
 */
export function createDesktopSecretStore(dataDir: string, storage: SafeStorageLike = safeStorage): SecretStore {
  const store = new SafeStorageSecretStore(dataDir, storage)
  void store.migrateFromFileStore().catch(() => 0)
  return store
}
