import { createHash, type Hash } from 'node:crypto'
import { Transform, Writable, type Readable, type TransformCallback } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AppError, isAppError } from '../../../shared/errors'
import { abortReason } from './abort'
import { formatBytes } from '../../../shared/format'

export interface ChecksumOptions {
  /** Ending past this many bytes destroys the stream with LIMIT_EXCEEDED (before the offending chunk is passed on). */
  maxBytes?: number
  /** Awaited in flush, before the readable side ends; a rejection errors the stream instead. */
  beforeEnd?: () => Promise<void>
  /** After each chunk, with the running total. */
  onBytes?: (total: number) => void
}

/** Passes bytes through unchanged while computing their SHA-256 and count. */
export class ChecksumTransform extends Transform {
  bytes = 0
  private readonly hash: Hash = createHash('sha256')
  private digest: string | null = null

  constructor(private readonly options: ChecksumOptions = {}) {
    super({ highWaterMark: 256 * 1024 })
  }

  /** The hex SHA-256 of everything that passed; available once the stream has flushed. */
  get sha256(): string {
    if (this.digest === null) throw new Error('sha256 read before the stream ended')
    return this.digest
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const { maxBytes } = this.options
    if (maxBytes !== undefined && this.bytes + chunk.length > maxBytes) {
      callback(new AppError('LIMIT_EXCEEDED', `the backup exceeded its maximum size of ${maxBytes} bytes${maxBytes >= 1024 ? ` (${formatBytes(maxBytes)})` : ''}`))
      return
    }
    this.bytes += chunk.length
    this.hash.update(chunk)
    this.options.onBytes?.(this.bytes)
    callback(null, chunk)
  }

  override _flush(callback: TransformCallback): void {
    this.digest = this.hash.digest('hex')
    const before = this.options.beforeEnd
    if (!before) {
      callback()
      return
    }
    // A dump tool that failed must not produce an ending stream: the destination would commit it.
    before().then(
      () => {
        if (!this.destroyed) callback()
      },
      (e: unknown) => {
        if (!this.destroyed) callback(e instanceof Error ? e : new Error(String(e)))
      },
    )
  }
}

/** SHA-256 and length of a whole stream (verify); honours the signal. */
export async function sha256OfStream(readable: Readable, signal: AbortSignal): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256')
  let bytes = 0
  const sink = new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      bytes += chunk.length
      callback()
    },
  })
  try {
    await pipeline(readable, sink, { signal })
  } catch (e) {
    if (signal.aborted && !isAppError(e)) throw abortReason(signal)
    throw e
  }
  return { sha256: hash.digest('hex'), bytes }
}
