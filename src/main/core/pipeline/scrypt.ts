import { randomBytes, scrypt } from 'node:crypto'
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { scryptAsync } from '@noble/hashes/scrypt.js'
import { Stanza, type Identity, type Recipient } from 'age-encryption'

/**
 * age's passphrase (scrypt) recipient and identity, as in age-encryption's own but with the KDF run by
 * node:crypto on the libuv thread pool. age-encryption's scrypt is synchronous JavaScript: at the
 * default work factor (2^18) it blocks the event loop — the Electron main process — for over a second.
 * The format is age's (https://age-encryption.org/v1, "scrypt" stanza); the key-wrap AEAD stays
 * @noble/ciphers (age-encryption's own dependency) because Electron's BoringSSL lacks chacha20-poly1305
 * (electron/electron#24024).
 */

/** age's default; stock `age -p` uses it too. */
export const SCRYPT_WORK_FACTOR = 18
/** The highest work factor we accept when decrypting (age-encryption: 20, Go age: 22); bounds memory to 1 GiB. */
const MAX_WORK_FACTOR = 20
const LABEL = 'age-encryption.org/v1/scrypt'

function deriveKey(passphrase: string, salt: Buffer, logN: number): Promise<Uint8Array> {
  const N = 2 ** logN
  const labelAndSalt = Buffer.concat([Buffer.from(LABEL, 'ascii'), salt])
  const native = new Promise<Uint8Array>((resolve, reject) => {
    // scrypt needs 128·N·r bytes (256 MiB at 2^18); maxmem must allow it.
    scrypt(passphrase, labelAndSalt, 32, { N, r: 8, p: 1, maxmem: 128 * N * 8 + 16 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)))
  })
  // Should a crypto build lack scrypt, noble's version still yields to the event loop every 10 ms.
  return native.catch(() => scryptAsync(passphrase, labelAndSalt, { N, r: 8, p: 1, dkLen: 32 }))
}

const ZERO_NONCE = new Uint8Array(12)

export class AsyncScryptRecipient implements Recipient {
  constructor(
    private readonly passphrase: string,
    private readonly logN = SCRYPT_WORK_FACTOR,
  ) {}

  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    const salt = randomBytes(16)
    const key = await deriveKey(this.passphrase, salt, this.logN)
    const body = chacha20poly1305(key, ZERO_NONCE).encrypt(fileKey)
    return [new Stanza(['scrypt', salt.toString('base64').replace(/=+$/, ''), String(this.logN)], body)]
  }
}

export class AsyncScryptIdentity implements Identity {
  constructor(private readonly passphrase: string) {}

  async unwrapFileKey(stanzas: Stanza[]): Promise<Uint8Array | null> {
    const stanza = stanzas.find((s) => s.args[0] === 'scrypt')
    if (!stanza) return null
    // The spec: an scrypt stanza must be alone (it proves nobody else can read the file).
    if (stanzas.length !== 1) throw new Error('scrypt recipient is not the only one in the header')
    const [, saltText = '', logNText = ''] = stanza.args
    const salt = Buffer.from(saltText, 'base64')
    const canonical = salt.toString('base64').replace(/=+$/, '') === saltText
    if (stanza.args.length !== 3 || !canonical || salt.length !== 16 || !/^[1-9][0-9]*$/.test(logNText) || stanza.body.length !== 32) {
      throw new Error('invalid scrypt stanza')
    }
    const logN = Number(logNText)
    if (logN > MAX_WORK_FACTOR) throw new Error('scrypt work factor is too high')
    const key = await deriveKey(this.passphrase, salt, logN)
    try {
      return chacha20poly1305(key, ZERO_NONCE).decrypt(stanza.body)
    } catch {
      return null // wrong passphrase
    }
  }
}
