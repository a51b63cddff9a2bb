import { readFile } from 'node:fs/promises'
import { utils, type ParsedKey } from 'ssh2'
import type { AppError } from '../../../shared/errors'

/** Why a private key file cannot be used; each caller words it for its own place (a profile hop, an SFTP destination). */
export type KeyProblem =
  | { kind: 'unreadable'; reason: string }
  | { kind: 'passphrase'; saved: boolean }
  | { kind: 'unusable'; reason: string }
  | { kind: 'public' }

/**
 * Reads and parses a private key file up front (ssh2's connect() would throw one generic error), so
 * a missing file, a public key, and a missing or wrong passphrase each get their own message.
 * Read on every connect, so a replaced file is picked up.
 */
export async function loadPrivateKey(path: string, passphrase: string | undefined, error: (problem: KeyProblem) => AppError): Promise<{ text: Buffer; key: ParsedKey }> {
  let text: Buffer
  try {
    text = await readFile(path)
  } catch (e) {
    throw error({ kind: 'unreadable', reason: (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message })
  }
  const parsed = utils.parseKey(text, passphrase)
  if (parsed instanceof Error) {
    if (/passphrase|encrypted|decrypt|bad auth/i.test(parsed.message)) throw error({ kind: 'passphrase', saved: !!passphrase })
    throw error({ kind: 'unusable', reason: parsed.message })
  }
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey) : parsed
  if (!key.isPrivateKey()) throw error({ kind: 'public' })
  return { text, key }
}
