import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { destinationError } from '../../src/main/core/destinations/local/fs-errors'
import { LocalDestination } from '../../src/main/core/destinations/local/local-destination'
import { runPipeline } from '../../src/main/core/pipeline'
import { AppError } from '../../src/shared/errors'
import { tempDir } from '../support/temp-home'
import { collect, rejection } from '../support/assertions'

const never = () => new AbortController().signal
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')

/** Endless (or `total`-byte) random source that yields between chunks, like a pipe. */
function slowSource(total = Number.MAX_SAFE_INTEGER): Readable {
  let sent = 0
  return new Readable({
    read() {
      if (sent >= total) return void this.push(null)
      sent += 64 * 1024
      setTimeout(() => this.push(randomBytes(64 * 1024)), 1)
    },
  })
}

describe('LocalDestination', () => {
  it('put creates the folder (0700) and a 0600 file under its final name; get/stat/list/delete', async () => {
    const dir = join(tempDir(), 'new', 'backups')
    const dest = new LocalDestination('local', dir)
    const data = randomBytes(3 * 1024 * 1024 + 5)
    const put = await dest.put('backup_a.sql.gz', Readable.from([data.subarray(0, 10), data.subarray(10)]), never())
    expect(put).toEqual({ location: join(dir, 'backup_a.sql.gz'), size: data.length })
    expect(dest.location('backup_a.sql.gz')).toBe(put.location)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(statSync(put.location).mode & 0o777).toBe(0o600)
    expect(readdirSync(dir)).toEqual(['backup_a.sql.gz'])
    expect(sha(await collect(await dest.get('backup_a.sql.gz', never())))).toBe(sha(data))
    expect(await dest.stat('backup_a.sql.gz')).toEqual({ size: data.length })
    expect(await dest.stat('missing')).toBeNull()

    await dest.put('backup_a.sql.gz.manifest.json', Readable.from(['{}\n']), never())
    writeFileSync(join(dir, '.backup_b.sql.gz.partial'), 'junk')
    mkdirSync(join(dir, 'subdir'))
    expect(await dest.list()).toEqual(['backup_a.sql.gz', 'backup_a.sql.gz.manifest.json'])

    await dest.delete('backup_a.sql.gz')
    await dest.delete('backup_a.sql.gz') // already gone: fine
    expect(await dest.stat('backup_a.sql.gz')).toBeNull()
    expect((await rejection(dest.get('backup_a.sql.gz', never()))).code).toBe('NOT_FOUND')
    expect(await new LocalDestination('x', join(dir, 'nope')).list()).toEqual([])
  })

  it('an existing folder keeps its mode; a relative folder gives absolute locations', async () => {
    const dir = tempDir()
    const dest = new LocalDestination('local', dir)
    const before = statSync(dir).mode & 0o777
    await dest.put('f', Readable.from(['x']), never())
    expect(statSync(dir).mode & 0o777).toBe(before)
    expect(new LocalDestination('rel', 'some/dir').location('f')).toBe(join(process.cwd(), 'some/dir/f'))
  })

  it('a stale partial from a crash is replaced; removePartial cleans one up', async () => {
    const dir = tempDir()
    const dest = new LocalDestination('local', dir)
    writeFileSync(join(dir, '.b.sql.partial'), 'left by kill -9')
    await dest.put('b.sql', Readable.from(['fresh']), never())
    expect(readdirSync(dir)).toEqual(['b.sql'])
    expect(readFileSync(join(dir, 'b.sql'), 'utf8')).toBe('fresh')

    writeFileSync(join(dir, '.c.sql.partial'), 'left by kill -9')
    await dest.removePartial('c.sql')
    await dest.removePartial('c.sql')
    expect(readdirSync(dir)).toEqual(['b.sql'])
  })

  it('a failing source: rejects with its error, removes the partial, leaves an existing file alone', async () => {
    const dir = tempDir()
    const dest = new LocalDestination('local', dir)
    writeFileSync(join(dir, 'b.sql'), 'previous')
    const source = new Readable({ read() {} })
    source.push(randomBytes(100_000))
    setTimeout(() => source.destroy(new AppError('DUMP_FAILED', 'pg_dump: connection lost')), 50)
    const e = await rejection(dest.put('b.sql', source, never()))
    expect(e.message).toBe('pg_dump: connection lost')
    expect(readdirSync(dir)).toEqual(['b.sql'])
    expect(readFileSync(join(dir, 'b.sql'), 'utf8')).toBe('previous')
  })

  it('abort mid-stream: CANCELLED (or the AppError reason), partial removed, source destroyed', async () => {
    const dir = tempDir()
    const dest = new LocalDestination('local', dir)
    for (const [reason, code] of [[undefined, 'CANCELLED'], [new AppError('TIMEOUT', 'too slow'), 'TIMEOUT']] as const) {
      const ac = new AbortController()
      const source = slowSource()
      const put = dest.put('c.sql', source, ac.signal)
      await new Promise((r) => setTimeout(r, 100))
      expect(readdirSync(dir)).toEqual(['.c.sql.partial'])
      ac.abort(reason)
      expect((await rejection(put)).code).toBe(code)
      expect(readdirSync(dir)).toEqual([])
      expect(source.destroyed).toBe(true)
    }
    const ac = new AbortController()
    ac.abort()
    expect((await rejection(dest.put('d.sql', Readable.from(['x']), ac.signal))).code).toBe('CANCELLED')
    expect(readdirSync(dir)).toEqual([])
  })

  it('ENOTDIR: a folder below a file, or a file where the folder should be', async () => {
    const root = tempDir()
    writeFileSync(join(root, 'file'), 'x')
    for (const dir of [join(root, 'file', 'sub'), join(root, 'file')]) {
      const source = Readable.from(['data'])
      const e = await rejection(new LocalDestination('local', dir).put('a.sql', source, never()))
      expect(e.code).toBe('DESTINATION_FAILED')
      expect(e.message).toBe(`cannot write to ${dir}: not a directory`)
      expect(source.destroyed).toBe(true)
    }
  })

  it('a read-only folder is PERMISSION_DENIED naming the folder', async (ctx) => {
    if (process.getuid?.() === 0) ctx.skip('running as root: permissions do not apply (the ENOTDIR test covers the error path)')
    const dir = tempDir()
    const { chmodSync } = await import('node:fs')
    chmodSync(dir, 0o500)
    const e = await rejection(new LocalDestination('local', dir).put('a.sql', Readable.from(['x']), never()))
    chmodSync(dir, 0o700)
    expect(e.code).toBe('PERMISSION_DENIED')
    expect(e.message).toBe(`cannot write to ${dir}: permission denied`)
  })

  it('maps OS errors to a message naming the folder and the cause', () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: raw`), { code })
    expect(destinationError(errno('EACCES'), 'write to', '/b').toInfo()).toEqual({ code: 'PERMISSION_DENIED', message: 'cannot write to /b: permission denied' })
    expect(destinationError(errno('EROFS'), 'write to', '/b').toInfo()).toEqual({ code: 'DESTINATION_FAILED', message: 'cannot write to /b: read-only file system' })
    expect(destinationError(errno('ENOSPC'), 'write to', '/b').message).toBe('cannot write to /b: no space left on device')
    expect(destinationError(errno('EWHATEVER'), 'list', '/b').message).toBe('cannot list /b: EWHATEVER: raw')
    const ac = new AbortController()
    ac.abort(new AppError('TIMEOUT', 'too slow'))
    expect(destinationError(errno('EIO'), 'write to', '/b', ac.signal).code).toBe('TIMEOUT')
  })

  it('get honours the signal', async () => {
    const dir = tempDir()
    const dest = new LocalDestination('local', dir)
    writeFileSync(join(dir, 'big'), randomBytes(8 * 1024 * 1024))
    const ac = new AbortController()
    const stream = await dest.get('big', ac.signal)
    stream.once('data', () => ac.abort())
    expect((await rejection(collect(stream))).code).toBe('CANCELLED')
    ac.abort()
    expect((await rejection(dest.get('big', ac.signal))).code).toBe('CANCELLED')
  })

  it('refuses names that are not plain file names', async () => {
    const dest = new LocalDestination('local', tempDir())
    for (const name of ['', '../x', 'a/b', 'a\\b', '..', 'a..b', 'x\0y', '.hidden', 'n'.repeat(256)]) {
      expect(() => dest.location(name), name).toThrow(AppError)
      const e = await rejection(dest.put(name, Readable.from(['x']), never()))
      expect(e.code).toBe('VALIDATION')
      await expect(dest.removePartial(name)).rejects.toThrow(AppError)
      await expect(dest.delete(name)).rejects.toThrow(AppError)
    }
  })

  it('with runPipeline: a rejecting beforeEnd (the dump tool failed) commits nothing', async () => {
    const dir = tempDir()
    const dest = new LocalDestination('local', dir)
    const run = runPipeline({
      source: Readable.from([randomBytes(500_000)]),
      compression: 'gzip',
      encryption: null,
      signal: never(),
      beforeEnd: async () => {
        await new Promise((r) => setTimeout(r, 50))
        expect(readdirSync(dir)).toEqual(['.e.sql.gz.partial']) // all data written, not yet committed
        throw new AppError('DUMP_FAILED', 'mariadb-dump: exit code 2')
      },
    })
    const put = dest.put('e.sql.gz', run.output, never())
    expect((await rejection(put)).message).toBe('mariadb-dump: exit code 2')
    expect((await rejection(run.result)).message).toBe('mariadb-dump: exit code 2')
    expect(existsSync(join(dir, 'e.sql.gz'))).toBe(false)
    expect(readdirSync(dir)).toEqual([])
  })

  it('with runPipeline: maxBytes fails the put and leaves nothing', async () => {
    const dir = tempDir()
    const dest = new LocalDestination('local', dir)
    const run = runPipeline({ source: slowSource(2 * 1024 * 1024), compression: 'none', encryption: null, signal: never(), maxBytes: 1_000_000, beforeEnd: async () => {} })
    const e = await rejection(dest.put('f.sql', run.output, never()))
    expect(e.code).toBe('LIMIT_EXCEEDED')
    expect(await rejection(run.result)).toBe(e)
    expect(readdirSync(dir)).toEqual([])
  })
})
