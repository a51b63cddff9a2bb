import { randomBytes } from 'node:crypto'
import { PassThrough, Readable } from 'node:stream'
import type { z } from 'zod'
import type { azureConfigSchema, DestinationTestResult } from '../../../../shared/destination-model'
import { AppError } from '../../../../shared/errors'
import { abortReason, destroyOnAbort } from '../../pipeline/abort'
import type { Destination, PutResult } from '../destination'
import { assertPlainFileName } from '../local/fs-errors'
import { openAzureClient, type AzureClient } from './azure-client'
import { azureError, isBlobNotFound, type AzureWhere } from './azure-errors'
import { blobProperties, discardStaged, UPLOAD_MARK, uploadBlocks } from './block-upload'

export type AzureConfig = z.output<typeof azureConfigSchema>

export interface AzureOptions {
  /** Block size of uploads (8 MiB): memory use is about (concurrency + 1) × blockSize. */
  blockSize?: number
  /** Blocks uploaded at once (4). */
  concurrency?: number
  /** Tries per request, retries of transient failures (500, 503, resets, refused connections) included (5). */
  maxTries?: number
  /**
   * Per try: the service's server-side timeout; and each call, its tries and back-off included, is
   * given up as TIMEOUT after that budget (a stalled connection would otherwise hang until the
   * caller's signal). Default: none. Downloads are bounded by the caller's signal only.
   */
  tryTimeoutMs?: number
}

const READ_CHUNK = 1024 * 1024
/** How long the clean-up after a failed put may take: the error it reports must not wait for minutes of retries. */
const CLEANUP_MS = 30_000
/** A signal that never fires, for calls without one. */
const NEVER = new AbortController().signal

/**
 * A container (and key prefix) in Azure Blob Storage. Blobs are named `<prefix><fileName>`. put()
 * stages blocks and commits the block list at the end (block-upload.ts): nothing is visible under the
 * name before that commit, and an existing blob stays as it was until it. The SDK client is created on
 * first use from the saved connection string and reused; it retries transient failures itself.
 * A missing container is a configuration error (never created here).
 */
export class AzureDestination implements Destination {
  readonly kind = 'azure' as const
  private readonly prefix: string
  private readonly options: Required<Omit<AzureOptions, 'tryTimeoutMs'>> & Pick<AzureOptions, 'tryTimeoutMs'>
  private opened: AzureClient | undefined
  private opening: Promise<AzureClient> | undefined

  constructor(
    readonly name: string,
    private readonly config: AzureConfig,
    private readonly connectionString: () => Promise<string | null>,
    options: AzureOptions = {},
  ) {
    this.prefix = `Azure destination "${name}": `
    this.options = { blockSize: options.blockSize ?? 8 * 1024 * 1024, concurrency: options.concurrency ?? 4, maxTries: options.maxTries ?? 5, tryTimeoutMs: options.tryTimeoutMs }
  }

  /** azure://<account>/<container>/<prefix><file>; before the first call (account unknown) azure://<container>/... */
  location(fileName: string): string {
    return `${this.containerUrl()}/${this.blobName(fileName)}`
  }

  async put(fileName: string, source: Readable, signal: AbortSignal): Promise<PutResult> {
    const uploadId = randomBytes(8).toString('hex')
    let client: AzureClient | undefined
    try {
      const name = this.blobName(fileName)
      if (signal.aborted) throw abortReason(signal)
      client = await this.client()
      const size = await uploadBlocks(client.container.getBlockBlobClient(name), source, uploadId, {
        blockSize: this.options.blockSize,
        concurrency: this.options.concurrency,
        signal,
        requestSignal: (base) => this.requestSignal(base),
        error: (e) => this.error(e, 'write to', signal),
      })
      return { location: this.location(fileName), size }
    } catch (e) {
      const error = this.error(e, 'write to', signal)
      // Nothing else will read the source now: fail it so the producer stops at once (see LocalDestination.put).
      if (!source.destroyed) source.on('error', () => {}).destroy(error)
      if (client) await this.discard(client, this.blobName(fileName), uploadId).catch(() => {})
      throw error
    }
  }

  async get(fileName: string, signal: AbortSignal): Promise<Readable> {
    const name = this.blobName(fileName)
    if (signal.aborted) throw abortReason(signal)
    // No deadline here: the body of a large backup takes as long as it takes (the caller's signal bounds it).
    const response = await this.call('read from', signal, (c) => c.container.getBlockBlobClient(name).download(0, undefined, { abortSignal: signal, maxRetryRequests: this.options.maxTries }), (e) =>
      isBlobNotFound(e) ? new AppError('NOT_FOUND', `${this.prefix}no file ${fileName} in ${this.folderUrl()}`) : undefined,
    )
    const body = response.readableStreamBody as Readable | undefined
    const out = new PassThrough({ highWaterMark: READ_CHUNK })
    if (!body) {
      out.end()
      return out
    }
    // The SDK's stream fails with raw errors (or an AbortError): hand on an AppError instead.
    body.on('error', (e) => out.destroy(this.error(e, 'read from', signal)))
    out.once('close', () => body.destroy())
    body.pipe(out)
    destroyOnAbort(out, signal)
    return out
  }

  async stat(fileName: string, signal?: AbortSignal): Promise<{ size: number } | null> {
    const name = this.blobName(fileName)
    const props = await this.call('read from', signal, (c) => blobProperties(c.container.getBlockBlobClient(name), this.requestSignal(signal)))
    return props ? { size: props.contentLength ?? 0 } : null
  }

  async delete(fileName: string, signal?: AbortSignal): Promise<void> {
    const name = this.blobName(fileName)
    await this.call('delete from', signal, (c) => c.container.getBlockBlobClient(name).deleteIfExists({ deleteSnapshots: 'include', abortSignal: this.requestSignal(signal) }))
  }

  /** Blob names directly under the prefix ("/" as delimiter keeps deeper "folders" out), page by page, sorted. */
  async list(signal?: AbortSignal): Promise<string[]> {
    return this.call('list', signal, async (c) => {
      const names: string[] = []
      const pages = c.container.listBlobsByHierarchy('/', { prefix: this.config.prefix, abortSignal: this.requestSignal(signal) }).byPage({ maxPageSize: 5000 })
      for await (const page of pages) {
        for (const blob of page.segment.blobItems) {
          const name = blob.name.slice(this.config.prefix.length)
          if (name && !name.startsWith('.')) names.push(name) // "." names are not ours (assertPlainFileName refuses them)
        }
      }
      return names.sort()
    })
  }

  /** A put killed before its commit leaves only staged blocks: drop them (see discardStaged). */
  async removePartial(fileName: string, signal?: AbortSignal): Promise<void> {
    const name = this.blobName(fileName)
    await this.call('delete from', signal, async (c) => {
      const blob = c.container.getBlockBlobClient(name)
      if (!(await blobProperties(blob, this.requestSignal(signal)))) await discardStaged(blob, () => this.requestSignal(signal))
    })
  }

  /** Lists, writes and deletes a probe blob. Never throws. */
  async test(signal?: AbortSignal): Promise<DestinationTestResult> {
    const started = Date.now()
    const probe = `lifeboat-write-test-${randomBytes(4).toString('hex')}.tmp`
    const result = (ok: boolean, message: string): DestinationTestResult => ({ ok, message, latencyMs: Date.now() - started, hostKey: null })
    try {
      await this.list(signal)
      await this.put(probe, Readable.from([Buffer.from('lifeboat write test\n')]), signal ?? NEVER)
      await this.delete(probe, signal)
      return result(true, `can list, write and delete in ${this.folderUrl()}`)
    } catch (e) {
      if (this.opened) await this.delete(probe).catch(() => {})
      return result(false, e instanceof Error ? e.message : String(e))
    }
  }

  /**
   * After a failed put: if its commit landed after all (its answer lost or aborted; the blob carries our
   * upload id) the blob is deleted — the put failed, so nothing it wrote may stay. Otherwise the name
   * holds the previous object or nothing; staged blocks are dropped where no blob exists.
   */
  private async discard(client: AzureClient, name: string, uploadId: string): Promise<void> {
    const blob = client.container.getBlockBlobClient(name)
    const budget = timeoutSignal(CLEANUP_MS)
    const signal = () => this.requestSignal(budget)
    const props = await blobProperties(blob, signal())
    if (props?.metadata?.[UPLOAD_MARK] === uploadId) await blob.deleteIfExists({ conditions: { ifMatch: props.etag }, abortSignal: signal() })
    else if (!props) await discardStaged(blob, signal)
  }

  /** Runs one operation with the (lazily created) client, mapping failures to AppErrors. */
  private async call<T>(verb: string, signal: AbortSignal | undefined, fn: (client: AzureClient) => Promise<T>, special?: (e: unknown) => AppError | undefined): Promise<T> {
    if (signal?.aborted) throw abortReason(signal)
    const client = await this.client()
    try {
      return await fn(client)
    } catch (e) {
      throw (signal?.aborted ? undefined : special?.(e)) ?? this.error(e, verb, signal)
    }
  }

  private async client(): Promise<AzureClient> {
    if (this.opened) return this.opened
    this.opening ??= (async () => {
      const secret = await this.connectionString()
      if (!secret?.trim()) throw new AppError('AUTH_FAILED', `${this.prefix}no connection string saved — add one (storage account → Access keys → Connection string)`)
      return openAzureClient(secret, this.config.container, { maxTries: this.options.maxTries, tryTimeoutMs: this.options.tryTimeoutMs }, this.prefix)
    })()
    try {
      this.opened = await this.opening
      return this.opened
    } finally {
      this.opening = undefined // after a failure, the next call reads the secret again
    }
  }

  /** The caller's signal plus, with tryTimeoutMs, a deadline covering every try and the SDK's back-off between them. */
  private requestSignal(signal: AbortSignal | undefined): AbortSignal {
    const { tryTimeoutMs, maxTries } = this.options
    if (!tryTimeoutMs) return signal ?? NEVER
    const deadline = timeoutSignal(maxTries * tryTimeoutMs + backoffMs(maxTries))
    return signal ? AbortSignal.any([signal, deadline]) : deadline
  }

  private error(e: unknown, verb: string, signal?: AbortSignal): AppError {
    return azureError(e, this.where(), verb, signal)
  }

  private where(): AzureWhere {
    return {
      prefix: this.prefix,
      url: this.folderUrl(),
      container: this.config.container,
      host: this.opened?.host ?? 'the blob endpoint',
      credential: this.opened?.credential ?? 'account key',
      maxTries: this.options.maxTries,
    }
  }

  private containerUrl(): string {
    return this.opened ? `azure://${this.opened.account}/${this.config.container}` : `azure://${this.config.container}`
  }

  /** azure://<account>/<container>[/<prefix>], without a trailing slash, for messages. */
  private folderUrl(): string {
    return `${this.containerUrl()}/${this.config.prefix}`.replace(/\/$/, '')
  }

  private blobName(fileName: string): string {
    assertPlainFileName(fileName)
    return `${this.config.prefix}${fileName}`
  }
}

/** The pauses of the SDK's exponential policy between `maxTries` tries: (2^(k-1) - 1) × 4 s, at most 120 s each. */
function backoffMs(maxTries: number): number {
  let total = 0
  for (let k = 1; k < maxTries; k++) total += Math.min((2 ** (k - 1) - 1) * 4000, 120_000)
  return total
}

/**
 * AbortSignal.timeout, but held by its own timer: Node 20 may garbage-collect a timeout signal that
 * only an AbortSignal.any() refers to, and then it never fires (nodejs/node#57736).
 */
function timeoutSignal(ms: number): AbortSignal {
  const controller = new AbortController()
  setTimeout(() => controller.abort(new DOMException('the deadline passed', 'TimeoutError')), ms).unref()
  return controller.signal
}
