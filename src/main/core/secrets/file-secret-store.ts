import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { AppError } from '../../../shared/errors'
import { registerSecret } from '../logging/redact'
import { writeFileAtomicSync } from '../util/atomic-file'
import type { SecretStore } from './secret-store'

const fileSchema = z.object({ version: z.literal(1), secrets: z.record(z.string(), z.string()) })

/**
 * Secrets in a JSON file readable only by the owner (0600 in a 0700 directory), the same protection
 * as ~/.pgpass and ~/.my.cnf. Used by the CLI and daemon; the desktop app uses the OS keychain.
 * Every write re-reads the file first, so a CLI and an app writing different secrets don't lose each other's.
 */
export class FileSecretStore implements SecretStore {
  readonly kind = 'file' as const
  readonly description: string

  /** `keychainFile`: where the desktop app keeps passwords encrypted with the OS keychain. */
  constructor(
    private readonly file: string,
    private readonly keychainFile?: string,
  ) {
    this.description = `file readable only by you (${file}, mode 0600)`
  }

  async get(ref: string): Promise<string | undefined> {
    const value = this.read()[ref]
    if (value === undefined && this.keychainFile && savedByDesktopApp(this.keychainFile, ref)) {
      // The CLI can't use the OS keychain: say so instead of connecting without a password.
      throw new AppError(
        'PERMISSION_DENIED',
        'this password was saved by the desktop app in the OS keychain, which the CLI cannot read; re-enter it for CLI use with `lifeboat profile edit NAME --password-env VAR` (or --password-stdin)',
      )
    }
    registerSecret(value)
    return value
  }

  async set(ref: string, value: string): Promise<void> {
    registerSecret(value)
    const secrets = this.read()
    secrets[ref] = value
    this.write(secrets)
  }

  async delete(ref: string): Promise<void> {
    const secrets = this.read()
    if (!(ref in secrets)) return
    delete secrets[ref]
    this.write(secrets)
  }

  private read(): Record<string, string> {
    return readSecretsFile(this.file)
  }

  private write(secrets: Record<string, string>): void {
    writeSecretsFile(this.file, secrets)
  }
}

/** Reads a `{version: 1, secrets}` file (the CLI's plaintext one or the app's ciphertexts), tightening loose modes. */
export function readSecretsFile(file: string): Record<string, string> {
  const stat = statSync(file, { throwIfNoEntry: false })
  if (!stat) return {}
  // Tighten a file someone loosened, as ssh does for keys, rather than keep using it world-readable.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) chmodSync(file, 0o600)
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    throw new AppError('INTERNAL', `the secrets file ${file} is not valid JSON; restore it from a backup or remove it and re-enter passwords`)
  }
  const result = fileSchema.safeParse(parsed)
  if (!result.success) throw new AppError('INTERNAL', `the secrets file ${file} has an unexpected shape`)
  return { ...result.data.secrets }
}

/** Writes a secrets file atomically, 0600 in a 0700 directory. */
export function writeSecretsFile(file: string, secrets: Record<string, string>): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  writeFileAtomicSync(file, JSON.stringify({ version: 1, secrets }, null, 2) + '\n', 0o600)
}

/** Whether the desktop app's keychain file holds `ref` (only the key is read; values stay encrypted). */
function savedByDesktopApp(keychainFile: string, ref: string): boolean {
  try {
    const parsed = JSON.parse(readFileSync(keychainFile, 'utf8')) as { secrets?: Record<string, unknown> }
    return typeof parsed.secrets === 'object' && parsed.secrets !== null && ref in parsed.secrets
  } catch {
    return false
  }
}
