import { createHash, randomBytes } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { gunzipSync } from 'node:zlib'
import { generateX25519Identity, identityToRecipient } from 'age-encryption'
import { describe, expect, it } from 'vitest'
import { createDecryptor, createEncryptor, restoreStream, runPipeline, sha256OfStream, zstdImplementation } from '../../src/main/core/pipeline'
import type { PipelineOptions, PipelineProgress } from '../../src/main/core/pipeline'
import { AppError } from '../../src/shared/errors'
import { collect, rejection } from '../support/assertions'

/** A source that makes its bytes on demand (asynchronously, like a pipe) and says how many were pulled from it. */
function generated(total: number, chunk = 64 * 1024, make: (n: number) => Buffer = (n) => randomBytes(n)): Readable & { produced: number } {
  let produced = 0
  const stream = new Readable({
    highWaterMark: chunk,
    read() {
      if (produced >= total) return void this.push(null)
      const n = Math.min(chunk, total - produced)
      produced += n
      ;(stream as Readable & { produced: number }).produced = produced
      setImmediate(() => this.push(make(n)))
    },
  }) as Readable & { produced: number }
  stream.produced = 0
  return stream
}

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const never = () => new AbortController().signal
const base = (source: Readable, over: Partial<PipelineOptions> = {}): PipelineOptions => ({
  source,
  compression: 'gzip',
  encryption: null,
  signal: never(),
  beforeEnd: async () => {},
  ...over,
})

describe('runPipeline', () => {
  it('gzip: output is a standard gzip of the source; totals and sha256 describe the stored bytes', async () => {
    const data = Buffer.from('INSERT INTO t VALUES (1, \'hello\');\n'.repeat(50_000))
    const run = runPipeline(base(Readable.from([data.subarray(0, 1000), data.subarray(1000)])))
    const stored = await collect(run.output)
    const totals = await run.result
    expect(gunzipSync(stored).equals(data)).toBe(true)
    expect(totals).toEqual({ rawBytes: data.length, storedBytes: stored.length, sha256: sha(stored) })
    expect(stored.length).toBeLessThan(data.length / 10)
  })

  it('none passes bytes through; an empty source makes an empty file', async () => {
    const data = randomBytes(300_000)
    const run = runPipeline(base(Readable.from([data]), { compression: 'none' }))
    expect((await collect(run.output)).equals(data)).toBe(true)
    expect((await run.result).sha256).toBe(sha(data))
    const empty = runPipeline(base(Readable.from([]), { compression: 'none' }))
    expect((await collect(empty.output)).length).toBe(0)
    expect(await empty.result).toEqual({ rawBytes: 0, storedBytes: 0, sha256: sha(Buffer.alloc(0)) })
  })

  it('zstd round-trips through createDecompressor (binary or zlib)', async (ctx) => {
    if (!zstdImplementation()) {
      if (process.env.CI === 'true') throw new Error('CI=true: zstd is required (binary on PATH or a Node with zlib zstd)')
      ctx.skip('zstd not found: neither the zstd binary on PATH nor zlib zstd in this Node')
    }
    const data = Buffer.from('abc123\n'.repeat(200_000))
    const run = runPipeline(base(Readable.from([data]), { compression: 'zstd' }))
    const stored = await collect(run.output)
    await run.result
    expect(stored.subarray(0, 4).toString('hex')).toBe('28b52ffd') // zstd frame magic
    const back = await collect(restoreStream({ source: Readable.from([stored]), compression: 'zstd', encryption: null }))
    expect(back.equals(data)).toBe(true)
  })

  it('a missing zstd (and no zlib zstd) fails the run with TOOL_MISSING, destroying the source', async (ctx) => {
    if (zstdImplementation('') === 'zlib') ctx.skip('this Node has zlib zstd, so zstd is never missing')
    const path = process.env.PATH
    process.env.PATH = ''
    try {
      const source = Readable.from([Buffer.from('x')])
      const run = runPipeline(base(source, { compression: 'zstd' }))
      const e = await rejection(run.result)
      expect(e.code).toBe('TOOL_MISSING')
      expect(e.message).toBe('zstd not found: install zstd, or choose --compress gzip')
      expect(source.destroyed).toBe(true)
      await expect(collect(run.output)).rejects.toBe(e)
    } finally {
      process.env.PATH = path
    }
  })

  it('encrypts for an X25519 recipient and decrypts with the identity', async () => {
    const identity = await generateX25519Identity()
    const recipient = await identityToRecipient(identity)
    const data = randomBytes(200_000)
    const run = runPipeline(base(Readable.from([data]), { encryption: { recipient } }))
    const stored = await collect(run.output)
    expect(stored.subarray(0, 21).toString()).toBe('age-encryption.org/v1')
    expect((await run.result).sha256).toBe(sha(stored))
    const keyFile = `# created: now\n# public key: ${recipient}\n${identity}\n`
    const back = await collect(restoreStream({ source: Readable.from([stored]), compression: 'gzip', encryption: { identity: keyFile } }))
    expect(back.equals(data)).toBe(true)
  })

  it('passphrase: scrypt stanza at work factor 18, round trip, wrong passphrase is AUTH_FAILED, tampering is INTEGRITY', async () => {
    const data = randomBytes(150_000)
    const t0 = performance.now()
    const stored = await collect(Readable.from([data]).pipe(createEncryptor({ passphrase: 'correct horse' })))
    console.log(`[pipeline] scrypt (2^18) + encrypt 150 kB: ${Math.round(performance.now() - t0)} ms`)
    expect(stored.toString('latin1', 0, 200)).toMatch(/^age-encryption\.org\/v1\n-> scrypt [A-Za-z0-9+/]{22} 18\n/)
    const back = await collect(Readable.from([stored]).pipe(createDecryptor({ passphrase: 'correct horse' })))
    expect(back.equals(data)).toBe(true)

    const wrong = Readable.from([stored]).pipe(createDecryptor({ passphrase: 'wrong' }))
    expect((await rejection(collect(wrong))).code).toBe('AUTH_FAILED')

    const tampered = Buffer.from(stored)
    tampered[tampered.length - 100]! ^= 1
    const bad = Readable.from([tampered]).pipe(createDecryptor({ passphrase: 'correct horse' }))
    expect((await rejection(collect(bad))).code).toBe('INTEGRITY')
  })

  it('the scrypt KDF (2^18, ~256 MiB, ~1 s) runs off the event loop', async () => {
    let maxGap = 0
    let last = performance.now()
    const timer = setInterval(() => {
      const now = performance.now()
      maxGap = Math.max(maxGap, now - last)
      last = now
    }, 10)
    const t0 = performance.now()
    await collect(Readable.from([Buffer.from('x')]).pipe(createEncryptor({ passphrase: 'p' })))
    clearInterval(timer)
    console.log(`[pipeline] passphrase encryption of 1 byte: ${Math.round(performance.now() - t0)} ms, longest event-loop stall ${Math.round(maxGap)} ms`)
    expect(maxGap).toBeLessThan(250) // age-encryption's own synchronous scrypt stalls it for ~1.3 s
  })

  it('the passphrase format is age-encryption’s: its own Decrypter opens our file', async () => {
    const { Decrypter } = await import('age-encryption')
    const stored = await collect(Readable.from([Buffer.from('hello age')]).pipe(createEncryptor({ passphrase: 'pw' })))
    const d = new Decrypter()
    d.addPassphrase('pw')
    expect(await d.decrypt(new Uint8Array(stored), 'text')).toBe('hello age')
  })

  it('refuses a bad recipient or identity with VALIDATION (the run fails, the source is destroyed)', async () => {
    const source = Readable.from([Buffer.from('x')])
    const run = runPipeline(base(source, { encryption: { recipient: 'age1notakey' } }))
    expect((await rejection(run.result)).code).toBe('VALIDATION')
    expect(source.destroyed).toBe(true)
    expect(() => createDecryptor({ identity: 'nope' })).toThrow(AppError)
  })

  it('maxBytes: exceeding it fails output and result with LIMIT_EXCEEDED', async () => {
    const source = generated(4 * 1024 * 1024)
    const run = runPipeline(base(source, { compression: 'none', maxBytes: 1024 * 1024 }))
    const outErr = rejection(collect(run.output))
    const e = await rejection(run.result)
    expect(e.code).toBe('LIMIT_EXCEEDED')
    expect(e.message).toBe('the backup exceeded its maximum size of 1048576 bytes (1.0 MB)')
    expect(await outErr).toBe(e)
    expect(source.destroyed).toBe(true)
  })

  it('beforeEnd: the output does not end until it resolves, and errors if it rejects', async () => {
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const run = runPipeline(base(Readable.from([Buffer.from('data')]), { beforeEnd: () => gate }))
    let ended = false
    const done = collect(run.output).then(() => (ended = true))
    await new Promise((r) => setTimeout(r, 100))
    expect(ended).toBe(false)
    release()
    await done
    await run.result

    const failing = runPipeline(base(Readable.from([Buffer.from('data')]), { beforeEnd: async () => { throw new AppError('DUMP_FAILED', 'pg_dump: exit 1') } }))
    const chunks: Buffer[] = []
    failing.output.on('data', (c: Buffer) => chunks.push(c))
    let endEvent = false
    failing.output.on('end', () => (endEvent = true))
    const e = await rejection(failing.result)
    expect(e.message).toBe('pg_dump: exit 1')
    expect(endEvent).toBe(false)
  })

  it('abort: an AppError reason is kept, anything else is CANCELLED; an already-aborted signal fails at once', async () => {
    for (const [reason, code] of [[new AppError('TIMEOUT', 'the backup took longer than 1 s'), 'TIMEOUT'], [new Error('x'), 'CANCELLED']] as const) {
      const ac = new AbortController()
      const source = generated(Number.MAX_SAFE_INTEGER)
      const run = runPipeline(base(source, { signal: ac.signal }))
      run.output.resume()
      setTimeout(() => ac.abort(reason), 50)
      const e = await rejection(run.result)
      expect(e.code).toBe(code)
      expect(source.destroyed).toBe(true)
    }
    const ac = new AbortController()
    ac.abort()
    const run = runPipeline(base(Readable.from([Buffer.from('x')]), { signal: ac.signal }))
    expect((await rejection(run.result)).code).toBe('CANCELLED')
  })

  it('backpressure: with nobody reading the output, the source is read only a bounded amount ahead', async () => {
    for (const compression of ['none', 'gzip'] as const) {
      const source = generated(256 * 1024 * 1024)
      const run = runPipeline(base(source, { compression }))
      await new Promise((r) => setTimeout(r, 300))
      const ahead = source.produced
      console.log(`[pipeline] ${compression}: ${(ahead / 2 ** 20).toFixed(2)} MiB read ahead of a consumer that reads nothing`)
      expect(ahead).toBeLessThan(8 * 1024 * 1024)
      run.output.destroy()
      await run.result.catch(() => {})
    }
  })

  it('progress: at most ~10 calls a second plus one final call with the totals', async () => {
    const calls: (PipelineProgress & { at: number })[] = []
    const source = generated(64 * 1024 * 1024, 64 * 1024, (n) => Buffer.alloc(n, 'a'))
    const t0 = Date.now()
    const run = runPipeline(base(source, { compression: 'none', onProgress: (p) => calls.push({ ...p, at: Date.now() }) }))
    const slow = new Writable({ highWaterMark: 64 * 1024, write: (_c, _e, cb) => setTimeout(cb, 0) })
    await pipeline(run.output, slow)
    const totals = await run.result
    const elapsed = Date.now() - t0
    expect(calls.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2)
    for (let i = 1; i < calls.length - 1; i++) expect(calls[i]!.at - calls[i - 1]!.at).toBeGreaterThanOrEqual(95) // both sides read Date.now()
    expect(calls.at(-1)).toMatchObject({ rawBytes: totals.rawBytes, storedBytes: totals.storedBytes })
  })

  it('a throwing progress callback fails the run instead of crashing the process', async () => {
    const run = runPipeline(base(Readable.from([Buffer.from('x')]), { onProgress: () => { throw new Error('bug in callback') } }))
    run.output.resume()
    await expect(run.result).rejects.toThrow('bug in callback')
  })
})

describe('sha256OfStream', () => {
  it('hashes and counts; abort ends with the reason', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 7)
    expect(await sha256OfStream(Readable.from([data]), never())).toEqual({ sha256: sha(data), bytes: data.length })
    const ac = new AbortController()
    const p = sha256OfStream(generated(Number.MAX_SAFE_INTEGER), ac.signal)
    setTimeout(() => ac.abort(), 20)
    expect((await rejection(p)).code).toBe('CANCELLED')
  })
})
