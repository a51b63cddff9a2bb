import type { Readable } from 'node:stream'
import type { Compression } from '../../../shared/backup-model'

export type EncryptionKey = { passphrase: string } | { recipient: string }

export interface PipelineProgress {
  rawBytes: number
  storedBytes: number
}

export interface PipelineOptions {
  /** The dump tool's output. */
  source: Readable
  compression: Compression
  encryption: EncryptionKey | null
  signal: AbortSignal
  /** The stored (compressed, encrypted) size may not exceed this; exceeding fails the run with LIMIT_EXCEEDED. */
  maxBytes?: number
  /**
   * Awaited before the output stream ends: the dump tool's exit status. If it rejects, the output
   * errors instead of ending, so no destination ever commits a dump whose tool failed.
   */
  beforeEnd: () => Promise<void>
  /** At most ~10 calls a second while bytes flow, plus one final call with the totals once output has ended. */
  onProgress?: (progress: PipelineProgress) => void
}

export interface PipelineRun {
  /** The bytes to store, with backpressure from whoever consumes it (one or more destinations). */
  output: Readable
  /** Resolves with the totals once output has ended; rejects if any stage failed. */
  result: Promise<{ rawBytes: number; storedBytes: number; sha256: string }>
}

/** What opens an age file: the passphrase, or an X25519 identity (`AGE-SECRET-KEY-1…`, or a whole `age-keygen` key file). */
export type DecryptionKey = { passphrase: string } | { identity: string }
