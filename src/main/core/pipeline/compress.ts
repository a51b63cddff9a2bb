import { PassThrough, type Duplex, type Transform } from 'node:stream'
import * as zlib from 'node:zlib'
import { AppError } from '../../../shared/errors'
import type { Compression } from '../../../shared/backup-model'
import { destroyOnAbort } from './abort'
import { ChildProcessDuplex, findOnPath } from './child-process-duplex'

/** zlib's zstd (Node ≥ 22.15 / 23.8, so Electron 45 has it; Node 20 does not): typed here since @types/node 20 lacks it. */
interface ZstdZlib {
  createZstdCompress?: (options?: { chunkSize?: number }) => Transform
  createZstdDecompress?: (options?: { chunkSize?: number }) => Transform
}
const zstdZlib = zlib as unknown as ZstdZlib

const ZLIB_CHUNK = 64 * 1024
const ZSTD_MISSING = 'zstd not found: install zstd, or choose --compress gzip'

/** Where the zstd implementation comes from; tests and the bench report it. */
export function zstdImplementation(pathEnv?: string): 'binary' | 'zlib' | null {
  if (findOnPath('zstd', pathEnv)) return 'binary'
  return zstdZlib.createZstdCompress ? 'zlib' : null
}

/**
 * A stream turning raw bytes into a standard .zst / .gz (or passing them through). zstd prefers the
 * system binary (multi-threaded, faster than zlib's, and the same code `zstd -d` restores with) and
 * falls back to zlib's zstd. Throws TOOL_MISSING when neither exists. Destroyed (child killed) on abort.
 */
export function createCompressor(compression: Compression, signal: AbortSignal): Duplex {
  const stream = build(compression, 'compress')
  destroyOnAbort(stream, signal)
  return stream
}

/** The inverse of createCompressor. Damaged input ends the stream with INTEGRITY. */
export function createDecompressor(compression: Compression, signal: AbortSignal): Duplex {
  const stream = build(compression, 'decompress')
  destroyOnAbort(stream, signal)
  return stream
}

function build(compression: Compression, direction: 'compress' | 'decompress'): Duplex {
  const compress = direction === 'compress'
  switch (compression) {
    case 'none':
      return new PassThrough({ highWaterMark: ZLIB_CHUNK })
    case 'gzip':
      return compress
        ? zlib.createGzip({ level: 6, chunkSize: ZLIB_CHUNK })
        : withIntegrityErrors(zlib.createGunzip({ chunkSize: ZLIB_CHUNK }), 'gzip')
    case 'zstd': {
      const binary = findOnPath('zstd')
      if (binary) {
        const args = compress ? ['-q', '-3', '-T0', '-c'] : ['-q', '-d', '-c']
        return new ChildProcessDuplex(binary, args, compress ? { what: 'zstd compression', code: 'DUMP_FAILED' } : { what: 'zstd decompression', code: 'INTEGRITY' })
      }
      const factory = compress ? zstdZlib.createZstdCompress : zstdZlib.createZstdDecompress
      if (!factory) throw new AppError('TOOL_MISSING', ZSTD_MISSING)
      const stream = factory({ chunkSize: ZLIB_CHUNK })
      return compress ? stream : withIntegrityErrors(stream, 'zstd')
    }
  }
}

/** zlib reports damaged input as plain errors ("incorrect header check"); say what it means. */
function withIntegrityErrors(stream: Transform, format: string): Transform {
  const destroy = stream.destroy.bind(stream)
  stream.destroy = (error?: Error) => {
    const wrapped = error && !(error instanceof AppError) ? new AppError('INTEGRITY', `the file could not be decompressed (${format}): ${error.message}`) : error
    return destroy(wrapped)
  }
  return stream
}
