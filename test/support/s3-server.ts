import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CreateBucketCommand, ListMultipartUploadsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'

/**
 * An in-process s3rver (TEST-INFRA §4) on 127.0.0.1 in a temp dir, plus a fault-injecting HTTP proxy
 * to put in front of it. s3rver 3.7.1 has three gaps that the `shim` (on by default) fills, as S3 behaves:
 * - no ListMultipartUploads (NotImplemented) and no AbortMultipartUpload (MethodNotAllowed): an
 *   aborted upload would stay on disk forever. The shim answers both from s3rver's own upload
 *   folders (`<dir>/<bucket>/._S3rver_uploads/<uploadId>/{key,metadata,<part>}`).
 * - ListObjectsV2 continuation tokens are DES-encrypted, which OpenSSL 3 (Node >= 17) lacks: any
 *   truncated page is a 500. The shim pages with start-after instead and hands out its own tokens.
 */
export interface S3Server {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string
  readonly port: number
  /** s3rver's data folder. */
  readonly dir: string
  /** s3rver's only account; it checks the key id, not the secret. */
  readonly accessKeyId: string
  readonly secretAccessKey: string
  /** A client for setting up and inspecting (path style, checksums only when required). */
  readonly admin: S3Client
  /** Creates a bucket (a random name unless given) and returns its name. */
  createBucket(name?: string): Promise<string>
  /** Every object key in the bucket (no delimiter). */
  allKeys(bucket: string): Promise<string[]>
  /** Open multipart uploads as s3rver keeps them on disk. */
  uploadsOnDisk(bucket: string): Promise<{ key: string; uploadId: string }[]>
  /** Open multipart uploads through the S3 API (needs the shim). */
  openUploads(bucket: string): Promise<{ key: string; uploadId: string }[]>
  stop(): Promise<void>
}

// s3rver ships no types: the little of it (a Koa app) used here.
interface KoaContext {
  method: string
  path: string
  headers: Record<string, string | string[] | undefined>
  /** Setting it replaces the query string. */
  query: Record<string, string | string[] | undefined>
  status: number
  body: unknown
  type: string
}
type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>
interface S3rverApp {
  middleware: Middleware[]
  run(): Promise<{ address: string; port: number }>
  close(): Promise<void>
}
type S3rverClass = new (options: { address: string; port: number; directory: string; silent: boolean }) => S3rverApp
const S3rver = createRequire(import.meta.url)('s3rver') as S3rverClass

const ACCESS_KEY = 'S3RVER'
const UPLOADS_DIR = '._S3rver_uploads'

export interface S3ServerOptions {
  /** Fill s3rver's gaps (see above). Default true. */
  shim?: boolean
  /** ListObjectsV2 pages hold at most this many keys (S3: 1,000), to test paging cheaply. Needs the shim. */
  listPageSize?: number
}

export async function startS3Server(opts: S3ServerOptions = {}): Promise<S3Server> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-s3rver-'))
  const app = new S3rver({ address: '127.0.0.1', port: 0, directory: dir, silent: true })
  // just before the router (the last middleware), after the one that turns objects into XML
  if (opts.shim !== false) app.middleware.splice(app.middleware.length - 1, 0, shim(dir, opts.listPageSize ?? 1000))
  let port: number
  try {
    port = (await app.run()).port
  } catch (e) {
    await rm(dir, { recursive: true, force: true })
    throw e
  }
  const endpoint = `http://127.0.0.1:${port}`
  const admin = s3Client(endpoint)
  return {
    endpoint,
    port,
    dir,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: ACCESS_KEY,
    admin,
    async createBucket(name = `b-${randomBytes(6).toString('hex')}`) {
      await admin.send(new CreateBucketCommand({ Bucket: name }))
      return name
    },
    async allKeys(bucket) {
      const keys: string[] = []
      let token: string | undefined
      do {
        const page = await admin.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }))
        keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''))
        token = page.IsTruncated ? page.NextContinuationToken : undefined
      } while (token)
      return keys.sort()
    },
    uploadsOnDisk: (bucket) => uploadsOnDisk(dir, bucket),
    async openUploads(bucket) {
      const page = await admin.send(new ListMultipartUploadsCommand({ Bucket: bucket }))
      return (page.Uploads ?? []).map((u) => ({ key: u.Key ?? '', uploadId: u.UploadId ?? '' }))
    },
    async stop() {
      admin.destroy()
      await app.close().catch(() => {})
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The client settings s3rver needs: path style, and no aws-chunked bodies (TEST-INFRA §4). */
export function s3Client(endpoint: string, accessKeyId = ACCESS_KEY): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey: ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  })
}

async function uploadsOnDisk(dir: string, bucket: string): Promise<{ key: string; uploadId: string }[]> {
  const root = join(dir, bucket, UPLOADS_DIR)
  const ids = await readdir(root).catch(() => [] as string[])
  const uploads = await Promise.all(ids.map(async (uploadId) => ({ uploadId, key: await readFile(join(root, uploadId, 'key'), 'utf8').catch(() => '?') })))
  return uploads.sort((a, b) => (a.key === b.key ? a.uploadId.localeCompare(b.uploadId) : a.key < b.key ? -1 : 1))
}

const ENTITIES: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' }
const xmlEscape = (s: string) => s.replace(/[<>&'"]/g, (c) => ENTITIES[c] ?? c)

function xmlError(ctx: KoaContext, status: number, code: string, message: string): void {
  ctx.status = status
  ctx.type = 'application/xml'
  ctx.body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error>`
}

/** s3rver's gaps (see the top): ListMultipartUploads, AbortMultipartUpload, ListObjectsV2 paging. */
function shim(dir: string, pageSize: number): Middleware {
  return async (ctx, next) => {
    // path style: /bucket, /bucket/ (the SDK's form for bucket calls) or /bucket/key...
    const [, bucket = '', ...keyParts] = ctx.path.split('/')
    const key = keyParts.map(decodeURIComponent).join('/')
    if (ctx.method === 'GET' && key === '' && ctx.query['list-type'] === '2' && !('uploads' in ctx.query)) return listV2(ctx, next, pageSize)
    const list = ctx.method === 'GET' && key === '' && 'uploads' in ctx.query
    const abort = ctx.method === 'DELETE' && key !== '' && typeof ctx.query.uploadId === 'string'
    if (!list && !abort) return next()
    // s3rver's own check (which runs later, in the router): only the access key id counts
    const credential = /Credential=([^/]+)\//.exec(String(ctx.headers.authorization ?? ''))?.[1]
    if (credential !== undefined && credential !== ACCESS_KEY) return xmlError(ctx, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.')
    const name = decodeURIComponent(bucket)
    if (!(await stat(join(dir, name)).then((s) => s.isDirectory(), () => false))) return xmlError(ctx, 404, 'NoSuchBucket', 'The specified bucket does not exist')
    if (list) {
      const prefix = typeof ctx.query.prefix === 'string' ? ctx.query.prefix : ''
      const uploads = (await uploadsOnDisk(dir, name)).filter((u) => u.key.startsWith(prefix))
      ctx.status = 200
      ctx.type = 'application/xml'
      ctx.body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` +
        `<Bucket>${xmlEscape(name)}</Bucket><Prefix>${xmlEscape(prefix)}</Prefix><MaxUploads>1000</MaxUploads><IsTruncated>false</IsTruncated>` +
        uploads.map((u) => `<Upload><Key>${xmlEscape(u.key)}</Key><UploadId>${u.uploadId}</UploadId><Initiated>${new Date().toISOString()}</Initiated></Upload>`).join('') +
        `</ListMultipartUploadsResult>`
      return
    }
    const uploadId = String(ctx.query.uploadId)
    const folder = join(dir, name, UPLOADS_DIR, uploadId)
    const stored = /^[0-9a-f]+$/.test(uploadId) ? await readFile(join(folder, 'key'), 'utf8').catch(() => null) : null
    if (stored !== key) return xmlError(ctx, 404, 'NoSuchUpload', 'The specified upload does not exist.')
    await rm(folder, { recursive: true, force: true })
    ctx.status = 204
    ctx.body = null
  }
}

/** ListObjectsV2 run as s3rver's V1 listing (marker = the last key seen), its answer rewritten into V2's shape. */
async function listV2(ctx: KoaContext, next: () => Promise<void>, pageSize: number): Promise<void> {
  const { 'list-type': _type, 'continuation-token': token, 'start-after': startAfter, 'fetch-owner': _owner, 'max-keys': maxKeys, ...rest } = ctx.query
  const marker = typeof token === 'string' ? Buffer.from(token, 'base64url').toString() : startAfter
  ctx.query = { ...rest, 'max-keys': String(Math.min(Number(maxKeys ?? 1000), pageSize)), ...(marker ? { marker } : {}) }
  await next()
  const result = (ctx.body as { ListBucketResult?: Record<string, unknown> } | null)?.ListBucketResult
  if (!result) return
  const contents = (result.Contents ?? []) as { Key: string; Owner?: unknown }[]
  for (const c of contents) delete c.Owner
  delete result.Marker
  delete result.NextMarker
  result.KeyCount = contents.length
  if (typeof token === 'string') result.ContinuationToken = token
  const last = contents.at(-1)
  if (result.IsTruncated && last) result.NextContinuationToken = Buffer.from(last.Key).toString('base64url')
}

/** One request the proxy saw; `injected` when it answered with a fault instead of forwarding. */
export interface ProxiedRequest {
  method: string
  url: string
  status: number
  injected: boolean
}

/** In front of an S3 endpoint: forwards everything (bodies streamed both ways, headers kept) unless told to fail. */
export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string
  readonly requests: ProxiedRequest[]
  /** The next requests that match are answered with these statuses, one each (e.g. [500, 503]); later ones are forwarded. */
  failNext(match: (req: { method: string; url: string }) => boolean, statuses: number[]): void
  stop(): Promise<void>
}

const FAULT_CODES: Record<number, string> = { 500: 'InternalError', 503: 'SlowDown', 429: 'SlowDown' }

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target)
  const requests: ProxiedRequest[] = []
  const rules: { match: (req: { method: string; url: string }) => boolean; statuses: number[] }[] = []

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const seen = { method: req.method ?? 'GET', url: req.url ?? '/' }
    const rule = rules.find((r) => r.statuses.length > 0 && r.match(seen))
    const status = rule?.statuses.shift()
    if (status !== undefined) {
      requests.push({ ...seen, status, injected: true })
      // answer once the body is in, as a real server would
      req.resume()
      req.once('end', () => {
        const code = FAULT_CODES[status] ?? 'InjectedFault'
        res.writeHead(status, { 'content-type': 'application/xml' })
        res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>injected by the test proxy</Message></Error>`)
      })
      return
    }
    const headers = { ...req.headers }
    delete headers.expect // this server already answered "100 Continue"
    // agent: false — one connection per request, so dropping one never poisons a pooled socket
    const forward = request({ host: upstream.hostname, port: upstream.port, method: seen.method, path: seen.url, headers, agent: false }, (answer) => {
      requests.push({ ...seen, status: answer.statusCode ?? 0, injected: false })
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
      answer.once('error', () => res.destroy())
    })
    forward.once('error', () => res.destroy())
    res.once('close', () => {
      if (!res.writableFinished) forward.destroy() // the client went away
    })
    req.pipe(forward)
  }

  const server: Server = createServer(handle)
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    failNext(match, statuses) {
      rules.push({ match, statuses: [...statuses] })
    },
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
