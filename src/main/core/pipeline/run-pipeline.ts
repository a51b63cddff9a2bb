import { PassThrough, Readable, Transform, pipeline, type Duplex, type Stream } from 'node:stream'
import { finished } from 'node:stream/promises'
import { isAppError } from '../../../shared/errors'
import { abortReason, destroyOnAbort } from './abort'
import { ChecksumTransform } from './checksum'
import { createCompressor } from './compress'
import { createEncryptor } from './encrypt'
import type { PipelineOptions, PipelineRun } from './pipeline'

const PROGRESS_INTERVAL_MS = 100

/**
 * source → count raw bytes → compress → encrypt (optional) → SHA-256 + stored count (+ maxBytes,
 * beforeEnd) → `output`. All Node streams under stream.pipeline, so the slowest consumer of `output`
 * paces the dump tool and nothing is buffered beyond the streams' high-water marks.
 *
 * Any failure — a stage, maxBytes, beforeEnd, the consumer destroying `output`, or `signal` (its reason
 * when that is an AppError, else CANCELLED) — destroys every stage (child processes killed) and the
 * source; `output` errors and `result` rejects, the latter only after every stage has closed.
 * Never throws: a stage that cannot be built (zstd missing, bad recipient) fails the run the same way.
 * `output` carries a no-op 'error' listener so a consumer attaching late cannot crash the process;
 * stream.pipeline and finished() still see the error.
 */
export function runPipeline(opts: PipelineOptions): PipelineRun {
  let rawBytes = 0
  let lastReport = 0
  const final = new ChecksumTransform({ maxBytes: opts.maxBytes, beforeEnd: opts.beforeEnd, onBytes: () => report(false) })
  final.on('error', () => {})

  function report(force: boolean): void {
    const now = Date.now()
    if (!opts.onProgress || (!force && now - lastReport < PROGRESS_INTERVAL_MS)) return
    lastReport = now
    try {
      opts.onProgress({ rawBytes, storedBytes: final.bytes })
    } catch (e) {
      final.destroy(e instanceof Error ? e : new Error(String(e)))
    }
  }

  let stages: Duplex[]
  try {
    // The encryptor first: it can refuse its key without side effects; the compressor may spawn zstd.
    const encryptor = opts.encryption ? [createEncryptor(opts.encryption)] : []
    stages = [rawCounter((n) => ((rawBytes += n), report(false))), createCompressor(opts.compression, opts.signal), ...encryptor]
  } catch (e) {
    return failedRun(opts.source, e instanceof Error ? e : new Error(String(e)))
  }

  const piped = new Promise<void>((resolve, reject) => {
    pipeline([opts.source, ...stages, final], (error) => (error ? reject(error) : resolve()))
  })
  const consumed = finished(final)
  consumed.catch(() => {})
  destroyOnAbort(final, opts.signal)

  const result = (async () => {
    try {
      await piped // the first error of any stage, in preference to the output's own
      await consumed
    } catch (e) {
      await Promise.all([...stages, final].map(closed))
      throw opts.signal.aborted && !isAppError(e) ? abortReason(opts.signal) : e
    }
    report(true)
    return { rawBytes, storedBytes: final.bytes, sha256: final.sha256 }
  })()
  result.catch(() => {})
  return { output: final, result }
}

function rawCounter(onBytes: (n: number) => void): Transform {
  return new Transform({
    highWaterMark: 256 * 1024,
    transform(chunk: Buffer, _encoding, callback) {
      onBytes(chunk.length)
      callback(null, chunk)
    },
  })
}

function closed(stream: Stream & { closed?: boolean }): Promise<void> {
  return stream.closed ? Promise.resolve() : new Promise((resolve) => stream.once('close', () => resolve()))
}

function failedRun(source: Readable, error: Error): PipelineRun {
  source.destroy(error)
  source.on('error', () => {})
  const output = new PassThrough()
  output.on('error', () => {})
  output.destroy(error)
  const result = Promise.reject(error)
  result.catch(() => {})
  return { output, result }
}
