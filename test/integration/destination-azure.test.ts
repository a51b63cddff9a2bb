import { createHash, randomBytes } from 'node:crypto'
import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http'
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net'
import { Readable } from 'node:stream'
import { AccountSASPermissions } from '@azure/storage-blob'
import { afterEach, describe, expect, it } from 'vitest'
import { AzureDestination, type AzureOptions } from '../../src/main/core/destinations/azure/azure-destination'
import type { Destination } from '../../src/main/core/destinations/destination'
import { redact } from '../../src/main/core/logging/redact'
import { azureConfigSchema } from '../../src/shared/destination-model'
import { peakLiveMemory } from '../support/live-memory'
import { AZURITE_KEY, describeWithAzurite, type AzuriteServer } from '../support/azurite-server'
import { destinationConformance, slowSource } from '../support/destination-conformance'
import { freePort } from '../support/free-port'
import { collect, rejection } from '../support/assertions'

const never = () => new AbortController().signal
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const MiB = 1024 * 1024

/** Where each destination made here stores its blobs, for leftovers() and direct checks. */
const placeOf = new WeakMap<Destination, { container: string; prefix: string }>()

function destination(azurite: AzuriteServer, container: string, opts: { prefix?: string; secret?: string | null; options?: AzureOptions } = {}): AzureDestination {
  const config = azureConfigSchema.parse({ type: 'azure', container, prefix: opts.prefix ?? '' })
  const secret = opts.secret === undefined ? azurite.connectionString : opts.secret
  const dest = new AzureDestination('offsite', config, async () => secret, opts.options)
  placeOf.set(dest, { container, prefix: config.prefix })
  return dest
}

/**
 * What a put may leave that is not a final object: names that have only staged (uncommitted) blocks,
 * and staged blocks beside a committed blob (Azurite reports both, like Azure).
 */
async function leftovers(azurite: AzuriteServer, dest: Destination): Promise<string[]> {
  const place = placeOf.get(dest)
  if (!place) throw new Error('not made by destination()')
  const container = azurite.service.getContainerClient(place.container)
  const out: string[] = []
  for await (const blob of container.listBlobsFlat({ prefix: place.prefix, includeUncommitedBlobs: true })) {
    const { uncommittedBlocks = [] } = await container.getBlockBlobClient(blob.name).getBlockList('uncommitted')
    if (uncommittedBlocks.length > 0) out.push(`${blob.name} (${uncommittedBlocks.length} staged blocks)`)
  }
  return out
}

const closers: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()))
})

/** An HTTP proxy in front of Azurite; `intercept` may answer a request itself (return true) instead of forwarding it. */
async function proxy(azurite: AzuriteServer, intercept: (req: IncomingMessage, res: ServerResponse) => boolean | 'drop-answer'): Promise<{ endpoint: string; seen: string[] }> {
  const seen: string[] = []
  const server: HttpServer = createHttpServer((req, res) => {
    seen.push(`${req.method} ${new URL(req.url ?? '/', 'http://x').searchParams.get('comp') ?? ''}`)
    const verdict = intercept(req, res)
    if (verdict === true) return
    const upstream = httpRequest({ host: '127.0.0.1', port: azurite.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
      if (verdict === 'drop-answer') {
        // Azurite did the work; the client never hears of it (as when a connection dies after a commit).
        answer.resume()
        answer.once('end', () => res.socket?.destroy())
        return
      }
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    upstream.on('error', () => res.socket?.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  closers.push(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })
  return { endpoint: `http://127.0.0.1:${port}/devstoreaccount1`, seen }
}

const isBlockPut = (req: IncomingMessage) => req.method === 'PUT' && /[?&]comp=block(&|$)/.test(req.url ?? '')
const isCommit = (req: IncomingMessage) => req.method === 'PUT' && /[?&]comp=blocklist(&|$)/.test(req.url ?? '')

/** Answers after the whole request body arrived (answering earlier makes the client see a reset, not the status). */
function answer(req: IncomingMessage, res: ServerResponse, status: number, errorCode: string): void {
  req.resume()
  req.once('end', () => res.writeHead(status, { 'x-ms-error-code': errorCode, 'content-length': '0' }).end())
}

await describeWithAzurite('Azure Blob destination against Azurite', (azurite) => {
  describe('conformance (a fresh container per test, with a prefix, 1 MiB blocks)', () => {
    destinationConformance({
      // 1 MiB blocks: the failure cases then have blocks staged and on the wire when they strike
      fresh: async () => destination(azurite(), await azurite().createContainer(), { prefix: 'backups/prod', options: { blockSize: MiB } }),
      leftovers: (dest) => leftovers(azurite(), dest),
    })
  })

  it('lists only the names directly under the prefix, sorted; location names account, container and blob', async () => {
    const container = await azurite().createContainer()
    const dest = destination(azurite(), container, { prefix: 'backups/prod' })
    expect(dest.location('a.sql')).toBe(`azure://${container}/backups/prod/a.sql`) // account not known yet
    const raw = azurite().service.getContainerClient(container)
    for (const name of ['root.sql', 'backups/prodx.sql', 'backups/prod/deeper/x.sql', 'backups/prod/b.sql', 'backups/prod/a.sql', 'backups/prod/.hidden']) {
      await raw.getBlockBlobClient(name).upload('x', 1)
    }
    expect(await dest.list()).toEqual(['a.sql', 'b.sql'])
    expect(dest.location('a.sql')).toBe(`azure://devstoreaccount1/${container}/backups/prod/a.sql`)
    const unprefixed = destination(azurite(), container)
    expect(await unprefixed.list()).toEqual(['root.sql'])
  })

  it('streams a 256 MiB upload in bounded memory; the download matches', async () => {
    const dest = destination(azurite(), await azurite().createContainer())
    const total = 256 * MiB
    const hash = createHash('sha256')
    let sent = 0
    const source = new Readable({
      highWaterMark: MiB,
      read() {
        if (sent >= total) return void this.push(null)
        const chunk = randomBytes(Math.min(MiB, total - sent))
        sent += chunk.length
        hash.update(chunk)
        this.push(chunk)
      },
    })
    const started = performance.now()
    const { result: put, peak } = await peakLiveMemory(() => dest.put('big.dump', source, never()))
    const seconds = (performance.now() - started) / 1000
    expect(put.size).toBe(total)
    console.log(
      `azure put: ${total / MiB} MiB in ${seconds.toFixed(2)} s = ${(total / MiB / seconds).toFixed(0)} MiB/s; ` +
        `live buffers +${(peak.arrayBuffers / MiB).toFixed(0)} MiB, RSS +${(peak.rss / MiB).toFixed(0)} MiB (8 MiB blocks × 4)`,
    )
    // (concurrency + 1) blocks of 8 MiB, the source's read-ahead, and the HTTP layer's copy of each block
    // on the wire: measured 65 MiB live at 160 MiB and 73 at 400 MiB — flat, far below the 256 MiB a buffering upload holds
    expect(peak.arrayBuffers).toBeLessThan(112 * MiB)
    const down = createHash('sha256')
    const readStarted = performance.now()
    for await (const chunk of await dest.get('big.dump', never())) down.update(chunk as Buffer)
    console.log(`azure get: ${(total / MiB / ((performance.now() - readStarted) / 1000)).toFixed(0)} MiB/s`)
    expect(down.digest('hex')).toBe(hash.digest('hex'))
    expect(await dest.stat('big.dump')).toEqual({ size: total })
  })

  it('removePartial drops the staged blocks of a put killed before its commit, and leaves a committed blob alone', async () => {
    const container = await azurite().createContainer()
    const dest = destination(azurite(), container)
    const raw = azurite().service.getContainerClient(container)
    const id = Buffer.from('crashed-000000').toString('base64')
    await raw.getBlockBlobClient('crashed.sql').stageBlock(id, Buffer.from('half'), 4)
    await dest.put('kept.sql', Readable.from([Buffer.from('kept')]), never())
    await raw.getBlockBlobClient('kept.sql').stageBlock(id, Buffer.from('half'), 4)
    expect(await leftovers(azurite(), dest)).toEqual(['crashed.sql (1 staged blocks)', 'kept.sql (1 staged blocks)'])
    expect(await dest.list()).toEqual(['kept.sql'])
    await dest.removePartial('crashed.sql')
    await dest.removePartial('kept.sql')
    expect(await leftovers(azurite(), dest)).toEqual(['kept.sql (1 staged blocks)']) // discarded by its next commit, or by Azure after 7 days
    expect(await dest.list()).toEqual(['kept.sql'])
    expect((await collect(await dest.get('kept.sql', never()))).toString()).toBe('kept')
  })

  describe('errors', () => {
    it('a wrong account key: AUTH_FAILED naming the cause, without the key or the connection string', async () => {
      const container = await azurite().createContainer()
      const badKey = randomBytes(64).toString('base64')
      const secret = azurite().connectionStringFor({ key: badKey })
      const dest = destination(azurite(), container, { secret, options: { maxTries: 1 } })
      const errors = [await rejection(dest.list()), await rejection(dest.put('x.sql', Readable.from(['x']), never())), await rejection(dest.stat('x.sql'))]
      const tested = await dest.test()
      expect(tested.ok).toBe(false)
      for (const message of [...errors.map((e) => e.message), tested.message]) {
        expect(message).not.toContain(badKey)
        expect(message).not.toContain(secret)
        expect(message).not.toContain(AZURITE_KEY)
      }
      expect(errors[0]?.code).toBe('AUTH_FAILED')
      expect(errors[0]?.message).toMatch(/^Azure destination "offsite": cannot list azure:\/\/devstoreaccount1\/t-\w+: the account key was refused .* check the connection string$/)
      expect(errors[1]?.code).toBe('AUTH_FAILED')
      expect(tested.message).toMatch(/account key was refused/)
      expect(redact(`x ${secret} y ${badKey}`)).toBe('x *** y ***') // registered before first use
    })

    it('a missing container: DESTINATION_FAILED saying so, for every operation', async () => {
      const dest = destination(azurite(), 'no-such-container', { prefix: 'p' })
      for (const e of [
        await rejection(dest.list()),
        await rejection(dest.put('x.sql', slowSource(3 * MiB), never())),
        await rejection(dest.stat('x.sql')),
        await rejection(dest.get('x.sql', never())),
      ]) {
        expect(e.code).toBe('DESTINATION_FAILED')
        expect(e.message).toMatch(/azure:\/\/devstoreaccount1\/no-such-container\/p: the container "no-such-container" does not exist/)
      }
      const tested = await dest.test()
      expect(tested).toMatchObject({ ok: false, hostKey: null })
      expect(tested.message).toMatch(/container "no-such-container" does not exist/)
    })

    it('nothing listening: UNREACHABLE at once, naming the endpoint', async () => {
      const port = await freePort()
      const dest = destination(azurite(), 'c-x1', { secret: azurite().connectionStringFor({ endpoint: `http://127.0.0.1:${port}/devstoreaccount1` }), options: { maxTries: 2, tryTimeoutMs: 500 } })
      const started = Date.now()
      const e = await rejection(dest.put('x.sql', Readable.from(['x']), never()))
      expect(e.code).toBe('UNREACHABLE')
      expect(e.message).toContain(`cannot reach 127.0.0.1:${port}: connection refused`)
      expect(e.message).not.toContain(AZURITE_KEY)
      expect(Date.now() - started).toBeLessThan(5_000)
    })

    it('a server that never answers: TIMEOUT after the per-try budget', async () => {
      const sockets: Socket[] = []
      const silent: TcpServer = createTcpServer((s) => sockets.push(s))
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
      closers.push(async () => {
        sockets.forEach((s) => s.destroy())
        await new Promise<void>((resolve) => silent.close(() => resolve()))
      })
      const address = silent.address()
      const port = typeof address === 'object' && address ? address.port : 0
      const dest = destination(azurite(), 'c-x2', { secret: azurite().connectionStringFor({ endpoint: `http://127.0.0.1:${port}/devstoreaccount1` }), options: { maxTries: 1, tryTimeoutMs: 300 } })
      const started = Date.now()
      for (const e of [await rejection(dest.list()), await rejection(dest.put('x.sql', Readable.from(['x']), never()))]) {
        expect(e.code).toBe('TIMEOUT')
        expect(e.message).toContain(`no answer from 127.0.0.1:${port} in time`)
      }
      expect(Date.now() - started).toBeLessThan(5_000)
    })

    it('no connection string saved, or a malformed one: AUTH_FAILED; a string saved later is used', async () => {
      let saved: string | null = null
      const container = await azurite().createContainer()
      const dest = new AzureDestination('offsite', azureConfigSchema.parse({ type: 'azure', container }), async () => saved)
      const none = await rejection(dest.list())
      expect(none.code).toBe('AUTH_FAILED')
      expect(none.message).toMatch(/no connection string saved/)
      saved = 'garbage-that-is-not-a-connection-string'
      const bad = await rejection(dest.list())
      expect(bad.code).toBe('AUTH_FAILED')
      expect(bad.message).toMatch(/connection string is not valid/)
      expect(bad.message).not.toContain(saved)
      saved = azurite().connectionString
      expect(await dest.list()).toEqual([])
    })

    it('a read-only SAS: PERMISSION_DENIED on write, without the token; an account URL with a SAS works too', async () => {
      const container = await azurite().createContainer()
      const sasUrl = azurite().service.generateAccountSasUrl(new Date(Date.now() + 3_600_000), AccountSASPermissions.parse('rl'), 'sco')
      const sas = new URL(sasUrl).search.slice(1)
      const secret = `BlobEndpoint=${azurite().blobEndpoint};SharedAccessSignature=${sas}`
      const dest = destination(azurite(), container, { secret, options: { maxTries: 1 } })
      expect(await dest.list()).toEqual([])
      const e = await rejection(dest.put('x.sql', Readable.from(['x']), never()))
      expect(e.code).toBe('PERMISSION_DENIED')
      expect(e.message).toMatch(/AuthorizationPermissionMismatch.*SAS token needs read, write, delete and list permission/)
      expect(e.message).not.toContain(new URLSearchParams(sas).get('sig') ?? 'no sig?')
      const byUrl = destination(azurite(), container, { secret: `${azurite().blobEndpoint}?${sas}` })
      expect(await byUrl.list()).toEqual([])
    })
  })

  describe('transient failures', () => {
    it('block uploads answered 500 and 503 are retried by the SDK; the upload succeeds', async () => {
      const container = await azurite().createContainer()
      let failures = 0
      const { endpoint, seen } = await proxy(azurite(), (req, res) => {
        if (!isBlockPut(req) || failures >= 2) return false
        answer(req, res, failures++ === 0 ? 500 : 503, failures === 1 ? 'InternalError' : 'ServerBusy')
        return true
      })
      const dest = destination(azurite(), container, { secret: azurite().connectionStringFor({ endpoint }), options: { blockSize: MiB } })
      const data = randomBytes(3 * MiB + 5)
      expect(await dest.put('retried.dump', Readable.from([data]), never())).toMatchObject({ size: data.length })
      expect(failures).toBe(2)
      expect(seen.filter((s) => s === 'PUT block')).toHaveLength(4 + 2) // 4 blocks, 2 of them sent twice
      expect(sha(await collect(await dest.get('retried.dump', never())))).toBe(sha(data))
      expect(await leftovers(azurite(), dest)).toEqual([])
    })

    it('errors that last past maxTries end the put with DESTINATION_FAILED and leave nothing behind', async () => {
      const container = await azurite().createContainer()
      let blocks = 0
      const { endpoint } = await proxy(azurite(), (req, res) => {
        if (!isBlockPut(req) || blocks++ < 2) return false // the first two blocks get through
        answer(req, res, 503, 'ServerBusy')
        return true
      })
      const dest = destination(azurite(), container, { secret: azurite().connectionStringFor({ endpoint }), options: { blockSize: MiB, maxTries: 2 } })
      const e = await rejection(dest.put('failed.dump', slowSource(6 * MiB), never()))
      expect(e.code).toBe('DESTINATION_FAILED')
      expect(e.message).toMatch(/the service kept failing \(503 ServerBusy\) after 2 tries/)
      expect(await dest.list()).toEqual([])
      expect(await leftovers(azurite(), dest)).toEqual([])
    })

    it('a commit that landed although its answer was lost is removed: the failed put leaves no object', async () => {
      const container = await azurite().createContainer()
      const { endpoint, seen } = await proxy(azurite(), (req) => (isCommit(req) ? 'drop-answer' : false))
      const dest = destination(azurite(), container, { secret: azurite().connectionStringFor({ endpoint }), options: { maxTries: 1 } })
      const e = await rejection(dest.put('lost.dump', Readable.from([randomBytes(1000)]), never()))
      expect(e.code).toBe('UNREACHABLE')
      expect(seen).toContain('PUT blocklist')
      expect(await destination(azurite(), container).list()).toEqual([])
    })
  })
})
