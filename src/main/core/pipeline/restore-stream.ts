import { pipeline, type Readable } from 'node:stream'
import type { Compression } from '../../../shared/backup-model'
import { destroyOnAbort } from './abort'
import { createDecompressor } from './compress'
import { createDecryptor } from './encrypt'
import type { DecryptionKey } from './pipeline'

export interface RestoreStreamOptions {
  /** The stored file, as a destination's get() returns it. */
  source: Readable
  compression: Compression
  /** null for a file stored without encryption. */
  encryption: DecryptionKey | null
  signal?: AbortSignal
}

/**
 * The stored bytes back to the dump tool's output: decrypt (age), then decompress. Any failure (wrong
 * key: AUTH_FAILED; damage: INTEGRITY; abort) destroys the source and errors the returned stream.
 * Throws synchronously only for an unusable key (VALIDATION) or a missing zstd (TOOL_MISSING).
 */
export function restoreStream(opts: RestoreStreamOptions): Readable {
  const signal = opts.signal ?? new AbortController().signal
  const decryptor = opts.encryption ? [createDecryptor(opts.encryption)] : []
  const decompressor = createDecompressor(opts.compression, signal)
  // The last stream carries every stage's error; the callback only keeps pipeline from throwing.
  const out = pipeline([opts.source, ...decryptor, decompressor], () => {}) as unknown as Readable
  destroyOnAbort(out, signal)
  return out
}
