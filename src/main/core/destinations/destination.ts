import type { Readable } from 'node:stream'

export interface PutResult {
  /** Human/tool readable place of the object: an absolute path, s3://bucket/key, ... */
  location: string
  size: number
}

/**
 * Where backup files live. Every write is atomic: readers (and crash recovery) never see a partial
 * object under its final name. All operations honour the signal. (Issue 7 adds S3, Azure, SFTP.)
 */
export interface Destination {
  readonly name: string
  readonly kind: 'local'
  /**
   * Writes `source` to a temporary name and moves it to `fileName` only after the source ended
   * without error and the data is durable (fsync). On error or abort the temporary object is removed
   * and the promise rejects; an existing object with the same name is never touched before that.
   */
  put(fileName: string, source: Readable, signal: AbortSignal): Promise<PutResult>
  get(fileName: string, signal: AbortSignal): Promise<Readable>
  /** null when there is no such object. */
  stat(fileName: string): Promise<{ size: number } | null>
  delete(fileName: string): Promise<void>
  list(): Promise<string[]>
  location(fileName: string): string
  /** Removes what an interrupted put(fileName) may have left (after a crash or kill -9). */
  removePartial(fileName: string): Promise<void>
}
