import type { Readable } from 'node:stream'
import type { BlobGetPropertiesResponse, BlockBlobClient } from '@azure/storage-blob'
import { AppError } from '../../../../shared/errors'
import { abortReason, destroyOnAbort } from '../../pipeline/abort'
import { isBlobNotFound, isConditionFailed } from './azure-errors'

/** Azure's limit on the committed blocks of one blob. */
export const MAX_BLOCKS = 50_000
/** Metadata naming the upload that committed a blob: how a failed put recognises a commit of its own that landed after all. */
export const UPLOAD_MARK = 'lifeboatupload'

/** How long blocks already on the wire may take to land after a put failed or was cancelled, before they are cut off. */
export const GRACE_MS = 5_000

export interface BlockUploadOptions {
  blockSize: number
  concurrency: number
  /** The caller's signal: stops the read at once (blocks on the wire get GRACE_MS) and the commit. */
  signal: AbortSignal
  /** A signal for one request: `base` plus the per-call deadline. */
  requestSignal: (base: AbortSignal) => AbortSignal
  /** The AppError a failed request ends the upload with. */
  error: (e: unknown) => AppError
}

/**
 * Reads `source` into blocks of `blockSize`, stages up to `concurrency` at a time (memory stays near
 * (concurrency + 1) × blockSize whatever the size), then commits the block list. Staged blocks are
 * invisible: only the commit makes the blob appear, or replaces the old one in one step — that is what
 * makes put() atomic. Resolves with the byte count.
 *
 * On failure or abort, reading and staging stop at once, but blocks already on the wire are given
 * GRACE_MS to land before they are cut off: a request aborted after its body went out may still be
 * stored by the service moments later, after the caller's clean-up looked. So it rejects only once
 * every request has settled.
 *
 * Why not the SDK's uploadStream (same idea)? It gives its stageBlock calls no abort signal and rejects
 * while they still run, so a put could neither stop its uploads nor clean up after them reliably.
 */
export async function uploadBlocks(blob: BlockBlobClient, source: Readable, uploadId: string, opts: BlockUploadOptions): Promise<number> {
  const { blockSize, concurrency, signal } = opts
  const cutOff = new AbortController() // ends requests still running GRACE_MS after a failure
  const inflight = new Set<Promise<void>>()
  const ids: string[] = []
  let failure: AppError | undefined
  let bytes = 0
  let wake = (): void => {}
  const woken = new Promise<void>((resolve) => (wake = resolve)) // a failure or the caller's abort
  signal.addEventListener('abort', wake, { once: true })

  const fail = (e: unknown): void => {
    failure ??= opts.error(e)
    wake()
    if (!source.destroyed) source.on('error', () => {}).destroy(failure) // wakes the read loop
  }
  const stopped = (): void => {
    if (failure) throw failure
    if (signal.aborted) throw abortReason(signal)
  }
  const stage = (block: Buffer): void => {
    if (ids.length >= MAX_BLOCKS) {
      const gib = Math.floor((MAX_BLOCKS * blockSize) / 2 ** 30)
      throw new AppError('DESTINATION_FAILED', `the backup is larger than Azure allows for one blob with ${blockSize / 2 ** 20} MiB blocks (${MAX_BLOCKS} blocks, ${gib} GiB)`)
    }
    // Block ids: base64, all of one length within a blob.
    const id = Buffer.from(`${uploadId}-${String(ids.length).padStart(6, '0')}`).toString('base64')
    ids.push(id)
    const request = blob.stageBlock(id, block, block.length, { abortSignal: opts.requestSignal(cutOff.signal) })
    const done: Promise<void> = request.then(() => undefined, fail).finally(() => inflight.delete(done))
    inflight.add(done)
  }

  destroyOnAbort(source, signal)
  try {
    let block = Buffer.allocUnsafe(blockSize)
    let filled = 0
    for await (const chunk of source as AsyncIterable<Buffer | string>) {
      const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
      bytes += data.length
      for (let offset = 0; offset < data.length; ) {
        const n = Math.min(data.length - offset, blockSize - filled)
        data.copy(block, filled, offset, offset + n)
        filled += n
        offset += n
        if (filled < blockSize) continue
        // back-pressure: the source waits for a free slot
        while (inflight.size >= concurrency && !failure && !signal.aborted) await Promise.race([...inflight, woken])
        stopped()
        stage(block)
        block = Buffer.allocUnsafe(blockSize)
        filled = 0
      }
    }
    stopped()
    if (filled > 0) stage(block.subarray(0, filled))
    await Promise.race([Promise.all(inflight), woken])
    stopped()
    await blob.commitBlockList(ids, { metadata: { [UPLOAD_MARK]: uploadId }, abortSignal: opts.requestSignal(signal) })
    return bytes
  } catch (e) {
    const cause = failure ?? e // not the cut-off's AbortErrors that may follow
    const timer = setTimeout(() => cutOff.abort(), GRACE_MS)
    await Promise.all(inflight) // never reject: `fail` caught them
    clearTimeout(timer)
    throw cause
  } finally {
    signal.removeEventListener('abort', wake)
  }
}

/** The blob's properties; null when no committed blob has that name. */
export async function blobProperties(blob: BlockBlobClient, signal: AbortSignal): Promise<BlobGetPropertiesResponse | null> {
  try {
    return await blob.getProperties({ abortSignal: signal })
  } catch (e) {
    if (isBlobNotFound(e)) return null
    throw e
  }
}

/**
 * Drops the staged (uncommitted) blocks of a name that has no committed blob. Azure never shows them
 * (no list, no get) and garbage-collects them after 7 days, but has no call to drop them — committing a
 * block list does, discarding every block not in it. So: commit an empty list, only while still no blob
 * exists (If-None-Match: *), and delete that empty blob at once (If-Match: its ETag). A lister may glimpse
 * a 0-byte object under the name for those few milliseconds.
 * Beside a committed blob they are left alone: dropping them would mean rewriting that blob; the next
 * commit of the name (or Azure's clean-up) discards them.
 */
export async function discardStaged(blob: BlockBlobClient, signal: () => AbortSignal): Promise<void> {
  let staged: number
  try {
    staged = (await blob.getBlockList('uncommitted', { abortSignal: signal() })).uncommittedBlocks?.length ?? 0
  } catch (e) {
    if (isBlobNotFound(e)) return
    throw e
  }
  if (staged === 0) return
  try {
    const { etag } = await blob.commitBlockList([], { conditions: { ifNoneMatch: '*' }, abortSignal: signal() })
    await blob.deleteIfExists({ conditions: { ifMatch: etag }, abortSignal: signal() })
  } catch (e) {
    if (!isConditionFailed(e)) throw e // a blob appeared meanwhile: not ours to touch
  }
}
