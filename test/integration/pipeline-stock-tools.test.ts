import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, it, type TestContext } from 'vitest'
import { LocalDestination } from '../../src/main/core/destinations/local/local-destination'
import { createDecryptor, createDecompressor, restoreStream, runPipeline, sha256OfStream } from '../../src/main/core/pipeline'
import type { Compression } from '../../src/shared/backup-model'
import { findBinary, run } from '../support/processes'
import { tempDir } from '../support/temp-home'
import { rejection } from '../support/assertions'

/** A stock tool, or skip naming it (fail under CI=true: the acceptance checks need them). */
async function requireTool(ctx: TestContext, name: string): Promise<string> {
  const path = await findBinary(name)
  if (path) return path
  if (process.env.CI === 'true') throw new Error(`CI=true: ${name} is required on PATH for the stock-tool round trips`)
  ctx.skip(`${name} not found on PATH: install it to run this test`)
  return ''
}

/** Dump-like text: moderately compressible (~4-5x with zstd), made on demand with pauses like a pipe. */
function dumpLike(total: number): Readable & { produced: number; hash: () => string } {
  const hash = createHash('sha256')
  let produced = 0
  let row = 0
  const stream = new Readable({
    read() {
      if (produced >= total) return void this.push(null)
      let text = ''
      while (text.length < 64 * 1024) {
        row++
        text += `INSERT INTO rental VALUES (${row}, '${randomBytes(6).toString('hex')}', ${(row * 7919) % 100_000}, '2024-0${row % 9 + 1}-1${row % 10}', 'customer ${row % 599}');\n`
      }
      const chunk = Buffer.from(text).subarray(0, total - produced)
      produced += chunk.length
      stream.produced = produced
      hash.update(chunk)
      setImmediate(() => this.push(chunk))
    },
  }) as Readable & { produced: number; hash: () => string }
  stream.produced = 0
  stream.hash = () => hash.digest('hex')
  return stream
}

const never = () => new AbortController().signal
const fileSha = (path: string) => sha256OfStream(createReadStream(path), never()).then((r) => r.sha256)

async function backup(dir: string, name: string, total: number, compression: Compression, encryption: Parameters<typeof runPipeline>[0]['encryption'] = null) {
  const source = dumpLike(total)
  const dest = new LocalDestination('local', dir)
  const pipeline = runPipeline({ source, compression, encryption, signal: never(), beforeEnd: async () => {} })
  const [put, totals] = await Promise.all([dest.put(name, pipeline.output, never()), pipeline.result])
  expect(put.size).toBe(totals.storedBytes)
  expect(totals.rawBytes).toBe(total)
  // The recorded sha256 is the stored file's, as sha256sum sees it.
  expect((await run('sha256sum', [put.location])).split(' ')[0]).toBe(totals.sha256)
  return { path: put.location, totals, sourceSha: source.hash() }
}

/** Children of this process whose command is `name`, from /proc (Linux). */
async function childrenNamed(name: string): Promise<number[]> {
  const pids: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    const m = /^\d+ \((.*)\) \S+ (\d+)/.exec(stat)
    if (m && m[1] === name && Number(m[2]) === process.pid) pids.push(Number(entry))
  }
  return pids
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('pipeline output restores with stock tools', () => {
  it('zstd: `zstd -d` restores the dump', async (ctx) => {
    await requireTool(ctx, 'zstd')
    const dir = tempDir()
    const { path, totals, sourceSha } = await backup(dir, 'b.sql.zst', 20 * 1024 * 1024, 'zstd')
    console.log(`[pipeline] zstd ratio ${(totals.rawBytes / totals.storedBytes).toFixed(1)}x`)
    await run('zstd', ['-q', '-d', path, '-o', join(dir, 'out.sql')])
    expect(await fileSha(join(dir, 'out.sql'))).toBe(sourceSha)
  })

  it('gzip: `gunzip` restores the dump', async (ctx) => {
    await requireTool(ctx, 'gunzip')
    const dir = tempDir()
    const { path, sourceSha } = await backup(dir, 'b.sql.gz', 5 * 1024 * 1024, 'gzip')
    await run('gunzip', [path])
    expect(await fileSha(join(dir, 'b.sql'))).toBe(sourceSha)
  })

  it('zstd + age X25519: `age -d -i key.txt` then `zstd -d` restores the dump', async (ctx) => {
    await requireTool(ctx, 'zstd')
    await requireTool(ctx, 'age')
    await requireTool(ctx, 'age-keygen')
    const dir = tempDir()
    const keyFile = join(dir, 'key.txt')
    await run('age-keygen', ['-o', keyFile])
    const recipient = (await run('age-keygen', ['-y', keyFile])).trim()
    const { path, sourceSha } = await backup(dir, 'b.sql.zst.age', 5 * 1024 * 1024, 'zstd', { recipient })
    await run('age', ['-d', '-i', keyFile, '-o', join(dir, 'b.sql.zst'), path])
    await run('zstd', ['-q', '-d', join(dir, 'b.sql.zst'), '-o', join(dir, 'b.sql')])
    expect(await fileSha(join(dir, 'b.sql'))).toBe(sourceSha)
    // and our own restore path with the key file as age-keygen wrote it
    const back = restoreStream({ source: createReadStream(path), compression: 'zstd', encryption: { identity: await readFile(keyFile, 'utf8') } })
    expect((await sha256OfStream(back, never())).sha256).toBe(sourceSha)
  })

  it('gzip + passphrase: our decryptor and stock `age -d` (passphrase typed on a pty via `script`) restore it; our decryptor opens `age -p` files', async (ctx) => {
    await requireTool(ctx, 'age')
    await requireTool(ctx, 'script')
    const dir = tempDir()
    const passphrase = 'correct horse battery staple'
    const { path, sourceSha } = await backup(dir, 'b.sql.gz.age', 2 * 1024 * 1024, 'gzip', { passphrase })
    const ours = restoreStream({ source: createReadStream(path), compression: 'gzip', encryption: { passphrase } })
    expect((await sha256OfStream(ours, never())).sha256).toBe(sourceSha)

    const t0 = performance.now()
    await ageOnPty(['-d', '-o', join(dir, 'b.sql.gz'), path], [passphrase])
    console.log(`[pipeline] stock age -d with passphrase (scrypt 2^18): ${Math.round(performance.now() - t0)} ms`)
    await run('gunzip', [join(dir, 'b.sql.gz')])
    expect(await fileSha(join(dir, 'b.sql'))).toBe(sourceSha)

    writeFileSync(join(dir, 'plain.txt'), 'made by stock age\n')
    await ageOnPty(['-p', '-o', join(dir, 'stock.age'), join(dir, 'plain.txt')], [passphrase, passphrase])
    const opened = createReadStream(join(dir, 'stock.age')).pipe(createDecryptor({ passphrase }))
    let text = ''
    for await (const c of opened) text += String(c)
    expect(text).toBe('made by stock age\n')
  })

  it('a damaged .zst fails decompression with INTEGRITY and zstd’s own message', async (ctx) => {
    await requireTool(ctx, 'zstd')
    const stream = Readable.from([Buffer.from('definitely not zstd')]).pipe(createDecompressor('zstd', never()))
    const e = await rejection(sha256OfStream(stream, never()))
    expect(e.code).toBe('INTEGRITY')
    expect(e.message).toMatch(/^zstd decompression failed \(exit code 1\): .*unknown header|unsupported format/i)
  })
})

describe('pipeline failure handling with the zstd binary', () => {
  it('cancel mid-stream kills the zstd child and leaves no partial file', async (ctx) => {
    await requireTool(ctx, 'zstd')
    const dir = tempDir()
    const ac = new AbortController()
    const source = dumpLike(Number.MAX_SAFE_INTEGER)
    const pipeline = runPipeline({ source, compression: 'zstd', encryption: null, signal: ac.signal, beforeEnd: async () => {} })
    const put = new LocalDestination('local', dir).put('c.sql.zst', pipeline.output, ac.signal)
    while (source.produced < 8 * 1024 * 1024) await new Promise((r) => setTimeout(r, 20))
    const children = await childrenNamed('zstd')
    expect(children).toHaveLength(1)
    expect(readdirSync(dir)).toEqual(['.c.sql.zst.partial'])
    ac.abort()
    expect((await rejection(put)).code).toBe('CANCELLED')
    expect((await rejection(pipeline.result)).code).toBe('CANCELLED')
    // result settles only after every stage closed: the child is already reaped
    expect(alive(children[0]!)).toBe(false)
    expect(await childrenNamed('zstd')).toEqual([])
    expect(readdirSync(dir)).toEqual([])
  })

  it('zstd dying mid-run fails the backup (DUMP_FAILED) and commits nothing', async (ctx) => {
    await requireTool(ctx, 'zstd')
    const dir = tempDir()
    const source = dumpLike(Number.MAX_SAFE_INTEGER)
    const pipeline = runPipeline({ source, compression: 'zstd', encryption: null, signal: never(), beforeEnd: async () => {} })
    const put = new LocalDestination('local', dir).put('d.sql.zst', pipeline.output, never())
    while (source.produced < 4 * 1024 * 1024) await new Promise((r) => setTimeout(r, 20))
    const [pid] = await childrenNamed('zstd')
    process.kill(pid!, 'SIGKILL')
    const e = await rejection(pipeline.result)
    expect(e.code).toBe('DUMP_FAILED')
    expect(e.message).toBe('zstd compression failed (killed by SIGKILL)')
    expect(await rejection(put)).toBe(e)
    expect(readdirSync(dir)).toEqual([])
  })

  it('backpressure through zstd: a consumer that reads nothing holds the source to a bounded read-ahead', async (ctx) => {
    await requireTool(ctx, 'zstd')
    const ac = new AbortController()
    const source = dumpLike(Number.MAX_SAFE_INTEGER)
    const pipeline = runPipeline({ source, compression: 'zstd', encryption: null, signal: ac.signal, beforeEnd: async () => {} })
    let last = -1
    while (source.produced !== last) {
      last = source.produced
      await new Promise((r) => setTimeout(r, 300))
    }
    console.log(`[pipeline] zstd: ${(last / 2 ** 20).toFixed(1)} MiB read ahead of a consumer that reads nothing (pipes + zstd's own buffers)`)
    expect(last).toBeLessThan(64 * 1024 * 1024)
    ac.abort()
    await pipeline.result.catch(() => {})
  })

  it('64 MiB through zstd + age into a folder: memory stays flat', async (ctx) => {
    await requireTool(ctx, 'zstd')
    await requireTool(ctx, 'age-keygen')
    const dir = tempDir()
    const recipient = (await run('age-keygen', [])).match(/public key: (age1\S+)/)![1]!
    globalThis.gc?.()
    const before = process.memoryUsage()
    let peakRss = before.rss
    let peakHeap = before.heapUsed
    const sampler = setInterval(() => {
      const m = process.memoryUsage()
      peakRss = Math.max(peakRss, m.rss)
      peakHeap = Math.max(peakHeap, m.heapUsed)
    }, 25)
    const t0 = performance.now()
    try {
      await backup(dir, 'm.sql.zst.age', 64 * 1024 * 1024, 'zstd', { recipient })
    } finally {
      clearInterval(sampler)
    }
    const mib = (n: number) => (n / 2 ** 20).toFixed(1)
    console.log(
      `[pipeline] 64 MiB zstd+age: ${Math.round(performance.now() - t0)} ms, heapUsed +${mib(peakHeap - before.heapUsed)} MiB (peak ${mib(peakHeap)}), rss +${mib(peakRss - before.rss)} MiB (peak ${mib(peakRss)})`,
    )
    // A buffered dump would add ≥ 64 MiB; streaming adds a few high-water marks plus garbage not yet collected.
    expect(peakHeap - before.heapUsed).toBeLessThan(48 * 1024 * 1024)
    expect(existsSync(join(dir, 'm.sql.zst.age'))).toBe(true)
  })
})

/** Runs stock `age` on a pseudo-terminal (util-linux `script`), typing each answer when it prompts. */
async function ageOnPty(args: string[], answers: string[]): Promise<void> {
  const quoted = ['age', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
  const child = spawn('script', ['-q', '-e', '-c', quoted, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] })
  let seen = ''
  let prompts = 0
  child.stdout.on('data', (c: Buffer) => {
    seen += c.toString()
    const count = (seen.match(/passphrase/gi) ?? []).length
    while (prompts < count && prompts < answers.length) child.stdin.write(`${answers[prompts++]}\n`)
  })
  child.stderr.on('data', (c: Buffer) => (seen += c.toString()))
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
  child.stdin.destroy()
  if (code !== 0) throw new Error(`age ${args.join(' ')} failed (${code}): ${seen}`)
}
