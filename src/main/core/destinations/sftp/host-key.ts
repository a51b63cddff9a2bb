import { Client } from 'ssh2'
import { AppError } from '../../../../shared/errors'
import { abortReason } from '../../pipeline/abort'
import { fingerprintOfKey } from '../../transport/known-hosts'
import { connectError } from './sftp-errors'

export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000

/** 'SHA256:' + unpadded base64 of the key blob's SHA-256: what `ssh-keygen -lf` and OpenSSH's prompts print. */
export const fingerprintOf = fingerprintOfKey

/**
 * Connects only far enough to see the server's host key (for trust-on-first-use): 'SHA256:…'.
 * The key exchange is then refused on purpose, so no user name, password or key is ever sent.
 */
export async function fetchHostKeyFingerprint(host: string, port: number, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<string> {
  const { signal } = opts
  const timeoutMs = opts.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS
  if (signal?.aborted) throw abortReason(signal)
  const client = new Client()
  let seen: string | undefined
  let onAbort: (() => void) | undefined
  try {
    return await new Promise<string>((resolve, reject) => {
      const settle = (error: AppError | null) => {
        if (seen) resolve(seen)
        else reject(error ?? new AppError('UNREACHABLE', `${host}:${port} closed the connection before showing its host key — is it an SSH server?`))
      }
      onAbort = () => reject(abortReason(signal as AbortSignal))
      signal?.addEventListener('abort', onAbort, { once: true })
      client.on('error', (e) => settle(seen ? null : connectError(e, { prefix: '', host, port, timeoutMs })))
      client.on('ready', () => settle(null)) // cannot happen (the key is refused), but would still be an answer
      client.on('close', () => settle(null))
      try {
        client.connect({
          host,
          port,
          username: 'lifeboat',
          readyTimeout: timeoutMs,
          hostVerifier: (key: Buffer) => {
            seen = fingerprintOf(key)
            return false
          },
        })
      } catch (e) {
        reject(connectError(e, { prefix: '', host, port, timeoutMs }))
      }
    })
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort)
    client.on('error', () => {}) // late socket errors after we settled
    client.end()
  }
}
