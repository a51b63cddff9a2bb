import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createServer, type Socket } from 'node:net'
import { Readable } from 'node:stream'
import { CreateMultipartUploadCommand, PutObjectCommand } from '@aws-sdk/client-s3'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { s3ConfigSchema } from '../../src/shared/destination-model'
import { AppError } from '../../src/shared/errors'
import { S3Destination, type S3Credentials, type S3Options } from '../../src/main/core/destinations/s3/s3-destination'
import { destinationConformance, slowSource } from '../support/destination-conformance'
import { freePort } from '../support/free-port'
import { peakLiveMemory } from '../support/live-memory'
import { startFaultProxy, startS3Server, type FaultProxy, type S3Server } from '../support/s3-server'
import { collect, rejection } from '../support/assertions'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true' // the SDK warns that it will need Node 22

const MiB = 1024 * 1024
const never = () => new AbortController().signal
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY-lifeboat-test'

let server: S3Server
beforeAll(async () => {
  server = await startS3Server()
})
afterAll(async () => {
  await server?.stop()
})

const opened: S3Destination[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()))
})

interface Setup {
  bucket: string
  prefix?: string
  endpoint?: string
  credentials?: () => Promise<S3Credentials | null>
  options?: S3Options
}

function destination(s: Setup): S3Destination {
  const config = s3ConfigSchema.parse({ type: 's3', bucket: s.bucket, prefix: s.prefix ?? '', endpoint: s.endpoint ?? server.endpoint, region: 'us-east-1', forcePathStyle: true })
  const credentials = s.credentials ?? (async () => ({ accessKeyId: server.accessKeyId, secretAccessKey: SECRET }))
  const dest = new S3Destination('offsite', config, credentials, s.options)
  opened.push(dest)
  return dest
}

/** What a put may leave besides final objects: open uploads (s3rver's own folders) and any object list() does not show. */
async function leftovers(dest: S3Destination): Promise<string[]> {
  const { bucket, prefix } = dest.config
  const finals = new Set((await dest.list()).map((n) => prefix + n))
  const uploads = (await server.uploadsOnDisk(bucket)).map((u) => `open upload of ${u.key}`)
  const objects = (await server.allKeys(bucket)).filter((k) => !finals.has(k)).map((k) => `object ${k}`)
  return [...uploads, ...objects]
}

describe('conformance: S3 (s3rver)', () => {
  destinationConformance({
    // the minimum part size, so the conformance sources (up to 64 MiB) take the multipart path
    fresh: async () => destination({ bucket: await server.createBucket(), prefix: 'backups/prod', options: { partSize: 5 * MiB } }),
    leftovers: (dest) => leftovers(dest as S3Destination),
  })
})

describe('S3 destination: keys, listing, lifecycle', () => {
  it('keys are <prefix><name>; list shows the prefix only (no deeper folders, nothing outside), all pages, sorted', async () => {
    // a server with pages of 10 keys (S3: 1,000), behind a proxy that counts the requests
    const small = await startS3Server({ listPageSize: 10 })
    const proxy = await startFaultProxy(small.endpoint)
    try {
      const bucket = await small.createBucket()
      const dest = destination({ bucket, prefix: 'db/prod', endpoint: proxy.endpoint })
      expect(dest.location('a.dump')).toBe(`s3://${bucket}/db/prod/a.dump`)
      await dest.put('a.dump', Readable.from([Buffer.from('a')]), never())
      expect(await small.allKeys(bucket)).toEqual(['db/prod/a.dump'])
      const put = (Key: string) => small.admin.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Buffer.from(Key) }))
      await Promise.all(['db/prod/older/x.dump', 'db/prodx.dump', 'db/other.dump', 'top.dump', 'db/prod/'].map(put))
      const many = Array.from({ length: 24 }, (_, i) => `f-${String(23 - i).padStart(2, '0')}.dump`)
      await Promise.all(many.map((n) => put(`db/prod/${n}`)))
      const before = proxy.requests.length
      expect(await dest.list()).toEqual(['a.dump', ...many].sort())
      const lists = proxy.requests.slice(before).filter((r) => r.method === 'GET' && r.url.includes('list-type=2'))
      expect(lists.length).toBe(3)
      expect(lists.slice(1).every((r) => r.url.includes('continuation-token='))).toBe(true)
    } finally {
      await proxy.stop()
      await small.stop()
    }
  })

  it('get: an abort mid-download fails the stream with the abort reason', async () => {
    const dest = destination({ bucket: await server.createBucket() })
    await dest.put('read.dump', Readable.from([randomBytes(20 * MiB)]), never())
    const controller = new AbortController()
    const stream = await dest.get('read.dump', controller.signal)
    let received = 0
    const e = await rejection(
      (async () => {
        for await (const c of stream) {
          received += (c as Buffer).length
          if (!controller.signal.aborted) controller.abort(new AppError('TIMEOUT', 'the backup took too long'))
        }
      })(),
    )
    expect(e).toMatchObject({ code: 'TIMEOUT', message: 'the backup took too long' })
    expect(received).toBeLessThan(20 * MiB)
  })

  it('the client is created once, on first use, and again after close()', async () => {
    let reads = 0
    const dest = destination({
      bucket: await server.createBucket(),
      credentials: async () => {
        reads++
        return { accessKeyId: server.accessKeyId, secretAccessKey: SECRET }
      },
    })
    expect(reads).toBe(0)
    await Promise.all([dest.list(), dest.stat('x.sql'), dest.put('x.sql', Readable.from(['x']), never())])
    expect(await dest.stat('x.sql')).toEqual({ size: 1 })
    expect(reads).toBe(1)
    await dest.close()
    expect(await dest.list()).toEqual(['x.sql'])
    expect(reads).toBe(2)
  })

  it('no saved key: the SDK default chain (here the environment) supplies one', async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY }
    process.env.AWS_ACCESS_KEY_ID = server.accessKeyId
    process.env.AWS_SECRET_ACCESS_KEY = SECRET
    try {
      const dest = destination({ bucket: await server.createBucket(), credentials: async () => null })
      await dest.put('env.sql', Readable.from(['env']), never())
      expect(await dest.list()).toEqual(['env.sql'])
    } finally {
      for (const [k, v] of [['AWS_ACCESS_KEY_ID', saved.id], ['AWS_SECRET_ACCESS_KEY', saved.secret]] as const) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
  })
})

describe('S3 destination: big multipart upload', () => {
  it('streams 200 MiB from a generator with flat memory; the download matches', async () => {
    const dest = destination({ bucket: await server.createBucket(), prefix: 'big' })
    // warm up (SDK code paths, sockets, s3rver) so the baseline holds what any upload needs
    await dest.put('warm-up.dump', Readable.from([randomBytes(12 * MiB)]), never())
    await dest.delete('warm-up.dump')
    const total = 200 * MiB
    const hash = createHash('sha256')
    async function* generate(): AsyncGenerator<Buffer> {
      for (let sent = 0; sent < total; sent += MiB) {
        const chunk = randomBytes(MiB)
        hash.update(chunk)
        yield chunk
      }
    }
    const started = performance.now()
    // highWaterMark 1: the source reads ahead one chunk, like a pipe from a dump tool
    const { result: put, peak } = await peakLiveMemory(() => dest.put('big.dump', Readable.from(generate(), { highWaterMark: 1 }), never()))
    const seconds = (performance.now() - started) / 1000
    expect(put.size).toBe(total)
    const down = createHash('sha256')
    const readStarted = performance.now()
    for await (const c of await dest.get('big.dump', never())) down.update(c as Buffer)
    const readSeconds = (performance.now() - readStarted) / 1000
    const mib = (n: number) => `${(n / MiB).toFixed(0)} MiB`
    console.log(
      `S3 (s3rver, in-process, part 8 MiB × 4): 200 MiB up in ${seconds.toFixed(2)} s = ${(total / MiB / seconds).toFixed(0)} MiB/s, ` +
        `down ${(total / MiB / readSeconds).toFixed(0)} MiB/s; peak growth during upload: live buffers ${mib(peak.arrayBuffers)}, RSS ${mib(peak.rss)}`,
    )
    expect(down.digest('hex')).toBe(hash.digest('hex'))
    expect(await dest.stat('big.dump')).toEqual({ size: total })
    // parts in flight (4 × 8 MiB) plus what s3rver (in this process) holds of the request it is storing — not the object's size
    expect(peak.arrayBuffers).toBeLessThan(100 * MiB)
    expect(await server.uploadsOnDisk(dest.config.bucket)).toEqual([])
  })
})

/** A separate process that streams an endless multipart upload to s3rver and reports each part; killed with SIGKILL. */
const CRASHING_UPLOADER = `
import { S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'
import { randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
const { S3_ENDPOINT, S3_BUCKET, S3_KEY, S3_KEY_ID } = process.env
const client = new S3Client({ endpoint: S3_ENDPOINT, region: 'us-east-1', forcePathStyle: true,
  credentials: { accessKeyId: S3_KEY_ID, secretAccessKey: 'x' },
  requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' })
const endless = new Readable({ read() { this.push(randomBytes(256 * 1024)) } })
const upload = new Upload({ client, params: { Bucket: S3_BUCKET, Key: S3_KEY, Body: endless }, partSize: 5 * 1024 * 1024, queueSize: 2 })
upload.on('httpUploadProgress', (p) => console.log('part ' + p.part))
await upload.done()
`

async function crashMidUpload(bucket: string, key: string, parts: number): Promise<void> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', CRASHING_UPLOADER], {
    cwd: process.cwd(), // bare imports resolve from here: /work/main/node_modules
    env: { ...process.env, S3_ENDPOINT: server.endpoint, S3_BUCKET: bucket, S3_KEY: key, S3_KEY_ID: server.accessKeyId },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? code)))
  await new Promise<void>((resolve, reject) => {
    let seen = 0
    child.stdout.on('data', (d: Buffer) => {
      seen += (d.toString().match(/^part /gm) ?? []).length
      if (seen >= parts) resolve()
    })
    void exited.then((how) => reject(new Error(`the uploader ended (${String(how)}) before ${parts} parts: ${stderr}`)))
  })
  child.kill('SIGKILL')
  expect(await exited).toBe('SIGKILL')
}

describe('S3 destination: interrupted uploads', () => {
  it('an upload killed with SIGKILL leaves no object, and removePartial aborts its open upload (only that key)', async () => {
    const bucket = await server.createBucket()
    const dest = destination({ bucket, prefix: 'nightly' })
    await crashMidUpload(bucket, 'nightly/crashed.dump', 3)
    // another key's open upload — "crashed.dump.manifest.json" also starts with the key — must survive
    const other = await server.admin.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'nightly/crashed.dump.manifest.json' }))

    expect((await server.uploadsOnDisk(bucket)).map((u) => u.key)).toEqual(['nightly/crashed.dump', 'nightly/crashed.dump.manifest.json'])
    expect((await server.openUploads(bucket)).map((u) => u.key)).toEqual(['nightly/crashed.dump', 'nightly/crashed.dump.manifest.json'])
    expect(await dest.stat('crashed.dump')).toBeNull()
    expect(await dest.list()).toEqual([])

    await dest.removePartial('crashed.dump')
    expect(await server.openUploads(bucket)).toEqual([{ key: 'nightly/crashed.dump.manifest.json', uploadId: other.UploadId }])
    expect((await server.uploadsOnDisk(bucket)).map((u) => u.key)).toEqual(['nightly/crashed.dump.manifest.json'])
    expect(await server.allKeys(bucket)).toEqual([])
    await dest.removePartial('crashed.dump') // nothing left: fine
  })

  it('a put that fails or is aborted after some parts aborts its upload once the requests in flight settled', async () => {
    const proxy = await startFaultProxy(server.endpoint)
    try {
      const bucket = await server.createBucket()
      const dest = destination({ bucket, endpoint: proxy.endpoint, options: { partSize: 5 * MiB } })
      const calls = (name: string) =>
        proxy.requests
          .filter((r) => r.url.startsWith(`/${bucket}/${name}?`))
          .map((r) => `${r.method} ${r.url.includes('partNumber=') ? 'part' : r.url.includes('uploads') ? 'create' : 'upload'} ${r.status}`)

      const died = await rejection(dest.put('dies.dump', slowSource(40 * MiB, { failAfter: 16 * MiB }), never()))
      expect(died.message).toMatch(/^S3 destination "offsite": cannot write to s3:\/\/b-\w+\/: the dump died$/)
      expect(calls('dies.dump')).toEqual(['POST create 200', 'PUT part 200', 'PUT part 200', 'PUT part 200', 'DELETE upload 204'])

      const controller = new AbortController()
      const source = slowSource(64 * MiB)
      source.on('data', () => {
        if (source.sent.length * 64 * 1024 >= 12 * MiB && !controller.signal.aborted) controller.abort(new AppError('CANCELLED', 'cancelled'))
      })
      expect((await rejection(dest.put('stopped.dump', source, controller.signal))).code).toBe('CANCELLED')
      expect(source.destroyed).toBe(true)
      const stopped = calls('stopped.dump')
      expect(stopped[0]).toBe('POST create 200')
      expect(stopped.at(-1)).toBe('DELETE upload 204')
      expect(await leftovers(dest)).toEqual([])
    } finally {
      await proxy.stop()
    }
  })

  it('plain s3rver (no ListMultipartUploads / AbortMultipartUpload): removePartial is a no-op and a failed put still rejects cleanly', async () => {
    const bare = await startS3Server({ shim: false })
    try {
      const bucket = await bare.createBucket()
      const dest = destination({ bucket, endpoint: bare.endpoint, options: { partSize: 5 * MiB } })
      await dest.removePartial('x.dump') // NotImplemented: nothing we can clean
      const e = await rejection(dest.put('x.dump', slowSource(12 * MiB, { failAfter: 6 * MiB }), never()))
      expect(e).toMatchObject({ code: 'DESTINATION_FAILED', message: expect.stringMatching(/^S3 destination "offsite": cannot write to s3:\/\/.*: the dump died$/) })
      expect(await dest.stat('x.dump')).toBeNull()
      // s3rver refused the abort (MethodNotAllowed): its parts stay on its disk — the gap the shim fills
      expect((await bare.uploadsOnDisk(bucket)).map((u) => u.key)).toEqual(['x.dump'])
      await dest.removePartial('x.dump')
    } finally {
      await bare.stop()
    }
  })
})

describe('S3 destination: retries through a faulty proxy', () => {
  let proxy: FaultProxy
  beforeAll(async () => {
    proxy = await startFaultProxy(server.endpoint)
  })
  afterAll(async () => {
    await proxy?.stop()
  })

  const answers = (method: string, path: string) => proxy.requests.filter((r) => r.method === method && r.url.split('?')[0] === path).map((r) => r.status)

  it('500, then 503, then success: put (single PutObject) and get succeed, and the proxy saw the retries', async () => {
    const bucket = await server.createBucket()
    const dest = destination({ bucket, prefix: 'r', endpoint: proxy.endpoint })
    const data = randomBytes(300_000)
    const path = `/${bucket}/r/small.dump`
    proxy.failNext((r) => r.method === 'PUT' && r.url.startsWith(path), [500, 503])
    expect(await dest.put('small.dump', Readable.from([data]), never())).toMatchObject({ size: data.length })
    expect(answers('PUT', path)).toEqual([500, 503, 200])
    proxy.failNext((r) => r.method === 'GET' && r.url.startsWith(path), [503, 500])
    expect(sha(await collect(await dest.get('small.dump', never())))).toBe(sha(data))
    expect(answers('GET', path)).toEqual([503, 500, 200])
  })

  it('a multipart part that fails twice is sent again, and the object is whole', async () => {
    const bucket = await server.createBucket()
    const dest = destination({ bucket, endpoint: proxy.endpoint, options: { partSize: 5 * MiB } })
    const data = randomBytes(12 * MiB)
    proxy.failNext((r) => r.method === 'PUT' && r.url.includes('partNumber=2&'), [500, 503])
    await dest.put('parts.dump', Readable.from([data.subarray(0, 7 * MiB), data.subarray(7 * MiB)]), never())
    const part2 = proxy.requests.filter((r) => r.method === 'PUT' && r.url.startsWith(`/${bucket}/parts.dump?`) && r.url.includes('partNumber=2&'))
    expect(part2.map((r) => r.status)).toEqual([500, 503, 200])
    expect(sha(await collect(await dest.get('parts.dump', never())))).toBe(sha(data))
  })

  it('a server that keeps failing: DESTINATION_FAILED after maxAttempts, no object, no open upload', async () => {
    const bucket = await server.createBucket()
    const dest = destination({ bucket, endpoint: proxy.endpoint, options: { maxAttempts: 2 } })
    proxy.failNext((r) => r.method === 'PUT' && r.url.startsWith(`/${bucket}/down.dump`), [503, 503])
    const e = await rejection(dest.put('down.dump', Readable.from(['x']), never()))
    expect(e).toMatchObject({ code: 'DESTINATION_FAILED', message: expect.stringMatching(/^S3 destination "offsite": cannot write to s3:\/\/b-\w+\/: the server kept failing \(503 SlowDown\) even after retries/) })
    expect(await leftovers(dest)).toEqual([])
  })
})

describe('S3 destination: errors', () => {
  it('a wrong access key: AUTH_FAILED naming the cause; the secret never shows', async () => {
    const dest = destination({ bucket: await server.createBucket(), credentials: async () => ({ accessKeyId: 'AKIAWRONGKEY', secretAccessKey: SECRET }) })
    const errors = [
      await rejection(dest.list()),
      await rejection(dest.put('x.sql', Readable.from(['x']), never())),
      await rejection(dest.get('x.sql', never())),
      await rejection(dest.stat('x.sql')),
    ]
    expect(errors[0]).toMatchObject({
      code: 'AUTH_FAILED',
      message: expect.stringMatching(/^S3 destination "offsite": cannot list s3:\/\/b-\w+\/: the access key was refused \(InvalidAccessKeyId\) — check the key id and secret$/),
    })
    expect(errors.map((e) => e.code)).toEqual(['AUTH_FAILED', 'AUTH_FAILED', 'AUTH_FAILED', 'AUTH_FAILED'])
    expect(errors[3]?.message).toMatch(/refused \(403 Forbidden\)/) // HEAD answers carry no error code
    const test = await dest.test()
    expect(test).toMatchObject({ ok: false, message: expect.stringContaining('InvalidAccessKeyId'), hostKey: null })
    for (const m of [...errors.map((e) => e.message), test.message]) expect(m).not.toContain(SECRET)
  })

  it('a missing bucket is named as such (and is not a missing object)', async () => {
    const dest = destination({ bucket: 'no-such-bucket-here', options: { partSize: 5 * MiB } })
    const list = await rejection(dest.list())
    expect(list).toMatchObject({
      code: 'DESTINATION_FAILED',
      message: 'S3 destination "offsite": cannot list s3://no-such-bucket-here/: the bucket "no-such-bucket-here" does not exist — check its name, the endpoint and the region',
    })
    expect((await rejection(dest.put('x.sql', Readable.from(['x']), never()))).message).toContain('does not exist') // PutObject
    const source = slowSource(12 * MiB)
    expect((await rejection(dest.put('y.sql', source, never()))).message).toContain('does not exist') // CreateMultipartUpload
    expect(source.destroyed).toBe(true) // the producer stops
    expect((await rejection(dest.get('x.sql', never()))).code).toBe('DESTINATION_FAILED')
    expect(await dest.test()).toMatchObject({ ok: false, message: expect.stringContaining('does not exist') })
  })

  it('an endpoint nobody listens on: UNREACHABLE within seconds, naming the endpoint', async () => {
    const port = await freePort()
    const dest = destination({ bucket: 'some-bucket', endpoint: `http://127.0.0.1:${port}`, options: { maxAttempts: 2, connectTimeoutMs: 1000 } })
    const started = Date.now()
    const e = await rejection(dest.list())
    expect(Date.now() - started).toBeLessThan(5000)
    expect(e).toMatchObject({ code: 'UNREACHABLE', message: `S3 destination "offsite": cannot list s3://some-bucket/: cannot reach http://127.0.0.1:${port}: connection refused — is the endpoint right, and is the server running?` })
    expect(await dest.test()).toMatchObject({ ok: false, message: e.message })
  })

  it('a server that accepts but never answers: TIMEOUT', async () => {
    const sockets: Socket[] = []
    const silent = createServer((s) => void sockets.push(s))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const address = silent.address()
    const port = typeof address === 'object' && address ? address.port : 0
    try {
      const dest = destination({ bucket: 'some-bucket', endpoint: `http://127.0.0.1:${port}`, options: { maxAttempts: 1, requestTimeoutMs: 300 } })
      const started = Date.now()
      const e = await rejection(dest.stat('x.sql'))
      expect(Date.now() - started).toBeLessThan(5000)
      expect(e).toMatchObject({ code: 'TIMEOUT', message: expect.stringContaining(`no answer from http://127.0.0.1:${port} in time`) })
    } finally {
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => silent.close(() => resolve()))
    }
  })

  it('refuses names that are not plain file names', async () => {
    const dest = destination({ bucket: await server.createBucket() })
    expect((await rejection(dest.put('../x', Readable.from(['x']), never()))).code).toBe('VALIDATION')
    expect(() => dest.location('a/b')).toThrow(AppError)
  })
})
