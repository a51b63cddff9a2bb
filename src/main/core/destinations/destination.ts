import type { Readable } from 'node:stream'
import type { DestinationTestResult, DestinationType } from '../../../shared/destination-model'

export interface PutResult {
  /** Human/tool readable place of the object: an absolute path, s3://bucket/key, ... */
  location: string
  size: number
}

/** What a put may know in advance (the stream's length is unknown). */
export interface PutHint {
  /** An upper estimate of the bytes to come (the database size): S3 sizes its parts from it. */
  expectedBytes?: number
}

/**
 * Where backup files live (restic's Backend, as DESIGN §10 suggests): one interface, one conformance
 * suite (test/support/destination-conformance.ts) that every backend passes.
 *
 * Every write is atomic: readers (and crash recovery) never see a partial object under its final
 * name. Every operation honours its AbortSignal. Errors are AppErrors: NOT_FOUND for a missing object,
 * AUTH_FAILED / PERMISSION_DENIED / UNREACHABLE / TIMEOUT where the backend can tell, otherwise
 * DESTINATION_FAILED — each message names the destination and what to check.
 */
export interface Destination {
  readonly name: string
  readonly kind: DestinationType
  /**
   * Writes `source` to a temporary name (or an uncommitted upload) and makes it visible as
   * `fileName` only after the source ended without error and the data is durable. On error or
   * abort the temporary object/upload is removed and the promise rejects; an existing object with
   * the same name is never touched before that. Replaces an existing object of that name.
   */
  put(fileName: string, source: Readable, signal: AbortSignal, hint?: PutHint): Promise<PutResult>
  /** The object's bytes; NOT_FOUND when missing. */
  get(fileName: string, signal: AbortSignal): Promise<Readable>
  /** null when there is no such object. */
  stat(fileName: string, signal?: AbortSignal): Promise<{ size: number } | null>
  /** Deleting what is not there is fine. */
  delete(fileName: string, signal?: AbortSignal): Promise<void>
  /** Every final object name (no partials, no "folders"), sorted. */
  list(signal?: AbortSignal): Promise<string[]>
  location(fileName: string): string
  /** Removes what an interrupted put(fileName) may have left (after a crash or kill -9). */
  removePartial(fileName: string, signal?: AbortSignal): Promise<void>
  /** Can we list, write and delete here? Never throws: the result says what failed. */
  test(signal?: AbortSignal): Promise<DestinationTestResult>
  /** Releases connections (SFTP); the destination may be used again afterwards. */
  close?(): Promise<void>
}
