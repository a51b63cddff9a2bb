import { createHash, randomBytes } from 'node:crypto'
import { Readable } from 'node:stream'
import { expect, it } from 'vitest'
import { AppError } from '../../src/shared/errors'
import type { Destination } from '../../src/main/core/destinations/destination'
import { collect, rejection } from './assertions'

/**
 * The one suite every Destination passes (restic's backend test idea): call it inside a describe
 * with a factory that returns a fresh, empty destination. Backend-specific behaviour (multipart,
 * host keys, credentials...) is tested beside it.
 */
export interface ConformanceTarget {
  /** A fresh destination with nothing stored yet. */
  fresh(): Promise<Destination>
  /** What a put left behind that is not a final object (partial files, open multipart uploads); [] when clean. */
  leftovers(dest: Destination): Promise<string[]>
}

const never = () => new AbortController().signal
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** `total` random bytes in 64 KiB chunks that arrive asynchronously, like a dump on a pipe; fails after `failAfter` bytes if given. */
export function slowSource(total: number, opts: { failAfter?: number } = {}): Readable & { sent: Buffer[] } {
  let sent = 0
  const chunks: Buffer[] = []
  const source = new Readable({
    read() {
      if (opts.failAfter !== undefined && sent >= opts.failAfter) return void this.destroy(new Error('the dump died'))
      if (sent >= total) return void this.push(null)
      const chunk = randomBytes(Math.min(64 * 1024, total - sent))
      sent += chunk.length
      chunks.push(chunk)
      setImmediate(() => this.push(chunk))
    },
  }) as Readable & { sent: Buffer[] }
  source.sent = chunks
  return source
}

export function destinationConformance(target: ConformanceTarget): void {
  it('put, then get / stat / list / delete; the location names the object', async () => {
    const dest = await target.fresh()
    const data = randomBytes(3 * 1024 * 1024 + 7)
    const put = await dest.put('backup_a.sql.zst', Readable.from([data.subarray(0, 100), data.subarray(100)]), never())
    expect(put).toEqual({ location: dest.location('backup_a.sql.zst'), size: data.length })
    expect(put.location).toContain('backup_a.sql.zst')
    expect(sha(await collect(await dest.get('backup_a.sql.zst', never())))).toBe(sha(data))
    expect(await dest.stat('backup_a.sql.zst')).toEqual({ size: data.length })
    expect(await dest.stat('missing.sql.zst')).toBeNull()
    await dest.put('backup_a.sql.zst.manifest.json', Readable.from(['{"x":1}\n']), never())
    expect(await dest.list()).toEqual(['backup_a.sql.zst', 'backup_a.sql.zst.manifest.json'])
    await dest.delete('backup_a.sql.zst')
    await dest.delete('backup_a.sql.zst') // already gone: fine
    expect(await dest.stat('backup_a.sql.zst')).toBeNull()
    expect(await dest.list()).toEqual(['backup_a.sql.zst.manifest.json'])
    expect((await rejection(dest.get('backup_a.sql.zst', never()))).code).toBe('NOT_FOUND')
    await dest.close?.()
  })

  it('an empty object and an object of one byte round-trip', async () => {
    const dest = await target.fresh()
    await dest.put('empty.sql', Readable.from([]), never())
    await dest.put('one.sql', Readable.from([Buffer.from('x')]), never())
    expect(await dest.stat('empty.sql')).toEqual({ size: 0 })
    expect((await collect(await dest.get('empty.sql', never()))).length).toBe(0)
    expect((await collect(await dest.get('one.sql', never()))).toString()).toBe('x')
    await dest.close?.()
  })

  it('put replaces an existing object only once the new one is complete', async () => {
    const dest = await target.fresh()
    const first = randomBytes(200_000)
    await dest.put('same.dump', Readable.from([first]), never())
    // a failing second put leaves the first object as it was
    await rejection(dest.put('same.dump', slowSource(8 * 1024 * 1024, { failAfter: 1024 * 1024 }), never()))
    expect(sha(await collect(await dest.get('same.dump', never())))).toBe(sha(first))
    const second = randomBytes(300_000)
    await dest.put('same.dump', Readable.from([second]), never())
    expect(sha(await collect(await dest.get('same.dump', never())))).toBe(sha(second))
    expect(await target.leftovers(dest)).toEqual([])
    await dest.close?.()
  })

  it('a source that fails mid-way leaves no object and nothing half-written', async () => {
    const dest = await target.fresh()
    const e = await rejection(dest.put('broken.sql.zst', slowSource(12 * 1024 * 1024, { failAfter: 6 * 1024 * 1024 }), never()))
    expect(e.message).toMatch(/dump died|failed|aborted/i)
    expect(await dest.stat('broken.sql.zst')).toBeNull()
    expect(await dest.list()).toEqual([])
    expect(await target.leftovers(dest)).toEqual([])
    await dest.close?.()
  })

  it('abort mid-way rejects with the abort reason, leaves no object and nothing half-written', async () => {
    const dest = await target.fresh()
    const controller = new AbortController()
    const source = slowSource(64 * 1024 * 1024)
    source.on('data', () => {
      if (source.sent.length * 64 * 1024 >= 6 * 1024 * 1024 && !controller.signal.aborted) controller.abort(new AppError('CANCELLED', 'cancelled'))
    })
    const e = await rejection(dest.put('aborted.dump', source, controller.signal))
    expect(e.code).toBe('CANCELLED')
    expect(await dest.stat('aborted.dump')).toBeNull()
    expect(await target.leftovers(dest)).toEqual([])
    await dest.close?.()
  })

  it('an already-aborted signal rejects put and get at once', async () => {
    const dest = await target.fresh()
    const controller = new AbortController()
    controller.abort(new AppError('CANCELLED', 'cancelled'))
    expect((await rejection(dest.put('x.sql', Readable.from(['x']), controller.signal))).code).toBe('CANCELLED')
    expect(await dest.stat('x.sql')).toBeNull()
    await dest.put('y.sql', Readable.from(['y']), never())
    expect((await rejection(dest.get('y.sql', controller.signal))).code).toBe('CANCELLED')
    await dest.close?.()
  })

  it('removePartial after an interrupted put cleans up; harmless when there is nothing', async () => {
    const dest = await target.fresh()
    await dest.removePartial('nothing.sql')
    const controller = new AbortController()
    const source = slowSource(32 * 1024 * 1024)
    const put = dest.put('crashed.sql', source, controller.signal).catch(() => {})
    source.once('data', () => setImmediate(() => controller.abort(new AppError('CANCELLED', 'cancelled'))))
    await put
    await dest.removePartial('crashed.sql')
    expect(await target.leftovers(dest)).toEqual([])
    expect(await dest.list()).toEqual([])
    await dest.close?.()
  })

  it('file names with spaces, unicode and many dots are kept exactly', async () => {
    const dest = await target.fresh()
    const names = ['backup_2026-11-22_08-00-00_0a1b2c3d_før release.sql.gz.age', 'a.b.c.d.dump.zst']
    for (const n of names) await dest.put(n, Readable.from([Buffer.from(n)]), never())
    expect(await dest.list()).toEqual([...names].sort())
    for (const n of names) expect((await collect(await dest.get(n, never()))).toString()).toBe(n)
    await dest.close?.()
  })

  it('test() says it can write, and leaves nothing behind', async () => {
    const dest = await target.fresh()
    const result = await dest.test()
    expect(result).toMatchObject({ ok: true, message: expect.any(String), latencyMs: expect.any(Number) })
    expect(await dest.list()).toEqual([])
    expect(await target.leftovers(dest)).toEqual([])
    await dest.close?.()
  })
}
