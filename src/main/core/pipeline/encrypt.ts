import type { Duplex } from 'node:stream'
import { Decrypter, Encrypter } from 'age-encryption'
import { ageRecipientSchema } from '../../../shared/backup-model'
import { AppError, isAppError } from '../../../shared/errors'
import type { DecryptionKey, EncryptionKey } from './pipeline'
import { AsyncScryptIdentity, AsyncScryptRecipient } from './scrypt'
import { WebStreamDuplex } from './web-duplex'

/**
 * age encryption (https://age-encryption.org/v1) as a Node stream: a passphrase (scrypt, work factor
 * 2^18 like `age -p`) or an X25519 recipient (`age1…`). The output decrypts with the stock `age -d`.
 * Invalid keys throw VALIDATION at once.
 */
export function createEncryptor(key: EncryptionKey): Duplex {
  const encrypter = new Encrypter()
  if ('passphrase' in key) {
    if (!key.passphrase) throw new AppError('VALIDATION', 'the encryption passphrase is empty', 'passphrase')
    encrypter.addRecipient(new AsyncScryptRecipient(key.passphrase))
  } else {
    // X25519 only: stock age 1.1 cannot open post-quantum or tag recipients' files.
    const recipient = key.recipient.trim()
    if (!ageRecipientSchema.safeParse(recipient).success) throw new AppError('VALIDATION', 'not an age X25519 recipient (age1…, as printed by age-keygen -y)', 'recipient')
    try {
      encrypter.addRecipient(recipient)
    } catch (e) {
      throw new AppError('VALIDATION', `not an age X25519 recipient: ${message(e)}`, 'recipient')
    }
  }
  const input = new TransformStream<Uint8Array, Uint8Array>()
  return new WebStreamDuplex(input.writable, encrypter.encrypt(input.readable), (e) => (isAppError(e) ? e : new AppError('INTERNAL', `encryption failed: ${message(e)}`)))
}

/**
 * Removes the age layer. `identity` may be a whole key file (`age-keygen` output, comments included).
 * A key that opens nothing ends the stream with AUTH_FAILED; a damaged or modified file with INTEGRITY.
 */
export function createDecryptor(key: DecryptionKey): Duplex {
  const decrypter = new Decrypter()
  if ('passphrase' in key) {
    decrypter.addIdentity(new AsyncScryptIdentity(key.passphrase))
  } else {
    const identity = key.identity.split(/\r?\n/).map((l) => l.trim()).find((l) => l.startsWith('AGE-SECRET-KEY-'))
    try {
      if (!identity) throw new Error('no AGE-SECRET-KEY-… line')
      decrypter.addIdentity(identity)
    } catch (e) {
      throw new AppError('VALIDATION', `not an age identity: ${message(e)}`, 'identity')
    }
  }
  const input = new TransformStream<Uint8Array, Uint8Array>()
  return new WebStreamDuplex(input.writable, decrypter.decrypt(input.readable), decryptionError)
}

function decryptionError(e: unknown): Error {
  if (isAppError(e)) return e
  const text = message(e)
  if (/no identity matched/.test(text)) return new AppError('AUTH_FAILED', 'cannot decrypt: the passphrase or identity does not match this file')
  return new AppError('INTEGRITY', `cannot decrypt: the file is not age-encrypted, or it is damaged or was modified (${text})`)
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}
