import { randomBytes } from 'node:crypto'
import { PassThrough, Readable } from 'node:stream'
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import type { DestinationTestResult } from '../../../../shared/destination-model'
import { AppError } from '../../../../shared/errors'
import { abortReason, destroyOnAbort } from '../../pipeline/abort'
import type { Destination, PutHint, PutResult } from '../destination'
import { assertPlainFileName } from '../local/fs-errors'
import { abortableClient, createS3Client, resolveOptions, type S3Config, type S3Credentials, type S3Options } from './s3-client'
import { isNoSuchKey, isNoSuchUpload, isNotImplemented, s3Error, type S3Where } from './s3-errors'

export type { S3Config, S3Credentials, S3Options } from './s3-client'

const READ_BUFFER = 1024 * 1024

/** Send options the SDK takes per call. */
interface CallOptions {
  abortSignal?: AbortSignal
}

/**
 * A bucket (and key prefix) on AWS S3 or an S3-compatible (R2, MinIO, Wasabi...). put() streams a
 * multipart upload (lib-storage; parts are buffered, so each is retryable): nothing is visible under
 * the key until CompleteMultipartUpload — or the single PutObject of a small object — which is what
 * makes it atomic. A failed or aborted put aborts its upload; removePartial aborts what a crash left
 * open. The SDK client is created on first use (credentials read then) and shared by all calls;
 * transient errors (5xx, 429, network) are retried by the SDK (standard mode).
 */
/** S3 allows 10,000 parts: grow the parts for big databases (with room for a wrong estimate). */
export function partSizeFor(base: number, expectedBytes: number | undefined): number {
  const MAX_PART = 5 * 1024 ** 3
  if (!expectedBytes || expectedBytes <= 0) return base
  return Math.min(MAX_PART, Math.max(base, Math.ceil((expectedBytes * 1.5) / 9_000 / (1024 * 1024)) * 1024 * 1024))
}

export class S3Destination implements Destination {
  readonly kind = 's3' as const
  private readonly options: Required<S3Options>
  private readonly where: S3Where
  private clientPromise: Promise<S3Client> | undefined

  constructor(
    readonly name: string,
    readonly config: S3Config,
    private readonly credentials: () => Promise<S3Credentials | null>,
    options: S3Options = {},
  ) {
    this.options = resolveOptions(options)
    this.where = {
      prefix: `S3 destination "${name}": `,
      url: `s3://${config.bucket}/${config.prefix}`,
      bucket: config.bucket,
      endpoint: config.endpoint ?? `https://s3.${config.region}.amazonaws.com`,
      region: config.region,
    }
  }

  location(fileName: string): string {
    return `s3://${this.config.bucket}/${this.key(fileName)}`
  }

  async put(fileName: string, source: Readable, signal: AbortSignal, hint?: PutHint): Promise<PutResult> {
    let key: string | undefined
    let uploadId: string | undefined
    let bytes = 0
    try {
      key = this.key(fileName)
      if (signal.aborted) throw abortReason(signal)
      const client = await this.client()
      // An abort fails the source, which fails the upload; the signal also stops the requests in flight.
      destroyOnAbort(source, signal)
      const upload = new Upload({
        client: abortableClient(client, signal, (id) => (uploadId = id)),
        params: { Bucket: this.config.bucket, Key: key, Body: Readable.from(counted(source, (n) => (bytes += n)), { objectMode: false, highWaterMark: READ_BUFFER }) },
        partSize: partSizeFor(this.options.partSize, hint?.expectedBytes),
        queueSize: this.options.queueSize,
        // We abort the upload ourselves: upload.abort() makes done() reject before the parts in
        // flight have settled, so a part could land after the abort. This way done() rejects only
        // once every request has ended.
        leavePartsOnError: true,
      })
      await upload.done()
      return { location: this.location(fileName), size: bytes }
    } catch (e) {
      const error = s3Error(e, this.where, 'write to', signal)
      // Nothing else will read the source now: fail it so the producer stops at once (see LocalDestination.put).
      if (!source.destroyed) source.on('error', () => {}).destroy(error)
      if (key && uploadId) await this.abortUpload(key, uploadId).catch(() => {}) // best effort: removePartial retries
      throw error
    }
  }

  async get(fileName: string, signal: AbortSignal): Promise<Readable> {
    const key = this.key(fileName)
    if (signal.aborted) throw abortReason(signal)
    const object = await this.call(
      'read from',
      signal,
      (c, o) => c.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: key }), o),
      (e) => (isNoSuchKey(e) ? new AppError('NOT_FOUND', `${this.where.prefix}no object ${fileName} in ${this.where.url}`) : undefined),
    )
    const body = object.Body
    if (!(body instanceof Readable)) throw new AppError('DESTINATION_FAILED', `${this.where.prefix}cannot read from ${this.where.url}: the SDK returned no stream`)
    // Errors of the body (a connection dropped mid-download) reach the reader as AppErrors too.
    const stream = new PassThrough({ highWaterMark: READ_BUFFER })
    body.on('error', (e) => stream.destroy(s3Error(e, this.where, 'read from', signal)))
    stream.on('close', () => {
      if (!body.readableEnded) body.destroy()
    })
    body.pipe(stream)
    destroyOnAbort(stream, signal)
    return stream
  }

  async stat(fileName: string, signal?: AbortSignal): Promise<{ size: number } | null> {
    const key = this.key(fileName)
    const head = await this.call('read from', signal, (c, o) =>
      c.send(new HeadObjectCommand({ Bucket: this.config.bucket, Key: key }), o).catch((e: unknown) => {
        if (isNoSuchKey(e)) return null
        throw e
      }),
    )
    return head ? { size: head.ContentLength ?? 0 } : null
  }

  async delete(fileName: string, signal?: AbortSignal): Promise<void> {
    const key = this.key(fileName)
    // DeleteObject is idempotent on S3; some compatibles answer 404 for a missing key.
    await this.call('delete from', signal, (c, o) =>
      c.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: key }), o).then(
        () => undefined,
        (e: unknown) => {
          if (!isNoSuchKey(e)) throw e
        },
      ),
    )
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    const prefix = this.config.prefix
    const names: string[] = []
    let token: string | undefined
    do {
      const page = await this.call('list', signal, (c, o) =>
        // Delimiter "/": deeper "folders" come back as CommonPrefixes, which we skip.
        c.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: prefix || undefined, Delimiter: '/', ContinuationToken: token }), o),
      )
      for (const object of page.Contents ?? []) {
        // "" is a folder marker object; dot names are never ours (assertPlainFileName), as in the other backends
        const name = object.Key?.slice(prefix.length)
        if (name && !name.startsWith('.')) names.push(name)
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined
    } while (token)
    return names.sort()
  }

  /** Aborts every open multipart upload of this key (what a kill -9 during put leaves; S3 bills its parts). */
  async removePartial(fileName: string, signal?: AbortSignal): Promise<void> {
    const key = this.key(fileName)
    for (const uploadId of await this.openUploads(key, signal)) {
      await this.call('clean up in', signal, (c, o) => this.abortUploadWith(c, key, uploadId, o))
    }
  }

  /** Lists one key, writes and deletes a probe object. Never throws. */
  async test(signal?: AbortSignal): Promise<DestinationTestResult> {
    const started = Date.now()
    const probe = `lifeboat-write-test-${randomBytes(4).toString('hex')}.tmp`
    const result = (ok: boolean, message: string): DestinationTestResult => ({ ok, message, latencyMs: Date.now() - started, hostKey: null })
    let wrote = false
    try {
      await this.call('list', signal, (c, o) => c.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: this.config.prefix || undefined, MaxKeys: 1 }), o))
      wrote = true
      await this.put(probe, Readable.from([Buffer.from('lifeboat write test\n')]), signal ?? new AbortController().signal)
      await this.delete(probe, signal)
      return result(true, `can list, write and delete in ${this.where.url} (${this.where.endpoint})`)
    } catch (e) {
      if (wrote) await this.delete(probe).catch(() => {})
      return result(false, e instanceof Error ? e.message : String(e))
    }
  }

  /** Drops the SDK client and its sockets; the next call creates a new one (and reads the credentials again). */
  async close(): Promise<void> {
    const pending = this.clientPromise
    this.clientPromise = undefined
    const client = await pending?.catch(() => undefined)
    client?.destroy()
  }

  private client(): Promise<S3Client> {
    this.clientPromise ??= createS3Client(this.config, this.credentials, this.options).catch((e: unknown) => {
      this.clientPromise = undefined // reading the credentials failed: try again next time
      throw e
    })
    return this.clientPromise
  }

  /** Runs one SDK call with the signal, mapping its failure (`special` first, unless aborted). */
  private async call<T>(verb: string, signal: AbortSignal | undefined, fn: (client: S3Client, options: CallOptions) => Promise<T>, special?: (e: unknown) => AppError | undefined): Promise<T> {
    if (signal?.aborted) throw abortReason(signal)
    try {
      return await fn(await this.client(), signal ? { abortSignal: signal } : {})
    } catch (e) {
      throw (signal?.aborted ? undefined : special?.(e)) ?? s3Error(e, this.where, verb, signal)
    }
  }

  /** Open multipart upload ids of exactly `key`; none when the server cannot list them (s3rver: NotImplemented). */
  private async openUploads(key: string, signal?: AbortSignal): Promise<string[]> {
    const ids: string[] = []
    let keyMarker: string | undefined
    let uploadIdMarker: string | undefined
    for (;;) {
      const page = await this.call('list uploads in', signal, (c, o) =>
        c.send(new ListMultipartUploadsCommand({ Bucket: this.config.bucket, Prefix: key, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }), o).catch((e: unknown) => {
          if (isNotImplemented(e)) return null
          throw e
        }),
      )
      if (!page) return ids
      // Prefix also matches longer keys (x.dump.manifest.json for x.dump)
      for (const u of page.Uploads ?? []) if (u.Key === key && u.UploadId) ids.push(u.UploadId)
      if (!page.IsTruncated || (!page.NextKeyMarker && !page.NextUploadIdMarker)) return ids
      keyMarker = page.NextKeyMarker
      uploadIdMarker = page.NextUploadIdMarker
    }
  }

  /** After a failed put: not bound to its (maybe aborted) signal. */
  private async abortUpload(key: string, uploadId: string): Promise<void> {
    await this.abortUploadWith(await this.client(), key, uploadId, {})
  }

  private async abortUploadWith(client: S3Client, key: string, uploadId: string, options: CallOptions): Promise<void> {
    try {
      await client.send(new AbortMultipartUploadCommand({ Bucket: this.config.bucket, Key: key, UploadId: uploadId }), options)
    } catch (e) {
      if (!isNoSuchUpload(e)) throw e // already gone (completed or aborted): fine
    }
  }

  private key(fileName: string): string {
    assertPlainFileName(fileName)
    return `${this.config.prefix}${fileName}`
  }
}

/** The source's chunks as Buffers, counted. Returning early leaves the source open: put() fails it with the error that stopped the upload. */
async function* counted(source: Readable, add: (bytes: number) => void): AsyncGenerator<Buffer> {
  for await (const chunk of source.iterator({ destroyOnReturn: false })) {
    const buffer: Buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string)
    add(buffer.length)
    yield buffer
  }
}
