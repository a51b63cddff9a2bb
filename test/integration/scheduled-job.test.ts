import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeWith } from '../support/skip'
import { psql } from '../support/sql'
import { CLI, REPO, runBuiltCli } from '../support/run-cli'
import { tempDir } from '../support/temp-home'

const built = existsSync(join(REPO, 'out', 'main', 'cli.js'))

interface SlackPost {
  path: string
  body: { text: string; blocks: unknown[] }
}

/** A local stand-in for Slack's incoming webhook: records every POST and answers "ok". */
function slackServer() {
  const posts: SlackPost[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      posts.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8')) })
      res.end('ok')
      for (const w of waiters.filter((w) => posts.length >= w.count)) w.resolve()
    })
  })
  return {
    posts,
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))),
    received: (count: number) => new Promise<void>((resolve) => (posts.length >= count ? resolve() : waiters.push({ count, resolve }))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describeWith('postgres', 'a scheduled job run by `lifeboat daemon` (built CLI, real clock)', (pg) => {
  if (!built && process.env.CI !== 'true') return
  const db = 'sched_db'
  const slack = slackServer()
  let slackPort = 0

  beforeAll(async () => {
    await psql(pg, [`DROP DATABASE IF EXISTS ${db}`, `CREATE DATABASE ${db} OWNER ${pg.user}`])
    await psql(pg, [`CREATE TABLE orders (id int PRIMARY KEY, note text)`, `ALTER TABLE orders OWNER TO ${pg.user}`, `INSERT INTO orders SELECT i, 'order ' || i FROM generate_series(1, 1000) i`], db)
    slackPort = await slack.listen()
  })
  afterAll(() => slack.close())

  it('backs up twice on a seconds-level cron, prunes to keep-last 1, and posts to Slack each time', async () => {
    const home = tempDir()
    const hook = `http://127.0.0.1:${slackPort}/services/T000/B000/secretHookToken`
    const env = { LIFEBOAT_HOME: home, PGPW: pg.password, HOOK: hook }
    const add = await runBuiltCli(['profile', 'add', 'shop', '--engine', 'postgres', '--host', '127.0.0.1', '--port', String(pg.port), '--user', pg.user, '--database', db, '--password-env', 'PGPW'], { env })
    expect(add.code, add.stderr).toBe(0)
    // every 3 seconds; success notifications on, so each run posts once
    const job = await runBuiltCli(['job', 'add', 'every3s', '--profile', 'shop', '--cron', '*/3 * * * * *', '--tz', 'UTC', '--keep-last', '1', '--slack-webhook-env', 'HOOK', '--notify-success', '--json'], { env })
    expect(job.code, job.stderr).toBe(0)
    expect(JSON.parse(job.stdout)).toMatchObject({ description: expect.stringMatching(/Every 3 seconds/), hasSlackWebhook: true })

    const daemon = spawn(process.execPath, [CLI, 'daemon'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    daemon.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    const exited = new Promise<number | null>((resolve) => daemon.on('close', (code) => resolve(code)))
    try {
      await slack.received(2)
    } finally {
      daemon.kill('SIGTERM')
    }
    expect(await exited, stderr).toBe(0)
    expect(stderr).toMatch(/lifeboat daemon: scheduling 1 job\(s\)/)

    // Slack got the database, size and duration of each run, and never the hook URL itself
    expect(slack.posts.slice(0, 2).map((p) => p.path)).toEqual(['/services/T000/B000/secretHookToken', '/services/T000/B000/secretHookToken'])
    for (const post of slack.posts.slice(0, 2)) {
      expect(post.body.text).toContain('shop')
      expect(post.body.text).toContain(db)
      expect(post.body.text).toMatch(/Size: \d+(\.\d+)? (B|kB|MB)/)
      expect(post.body.text).toMatch(/Duration: \d+(\.\d+)? (ms|s)/)
      expect(post.body.text).toContain('every3s')
    }

    const history = JSON.parse((await runBuiltCli(['history', '--json'], { env })).stdout) as { id: string; status: string; reason: string; fileName: string }[]
    const finished = history.filter((b) => b.status !== 'cancelled')
    // the second run pruned the first: exactly one good backup is left, on disk with its manifest
    expect(finished.filter((b) => b.status === 'success')).toHaveLength(1)
    const kept = finished.find((b) => b.status === 'success')!
    expect(kept.reason).toBe('scheduled')
    const files = readdirSync(join(home, 'backups')).filter((f) => !f.startsWith('.'))
    expect(files.sort()).toEqual([kept.fileName, `${kept.fileName}.manifest.json`].sort())

    const activity = JSON.parse((await runBuiltCli(['activity', '--origin', 'scheduler', '--json'], { env })).stdout) as { action: string; outcome: string; detail?: { deleted?: string[] } }[]
    const runs = activity.filter((a) => a.action === 'backup.run' && a.outcome === 'ok')
    expect(runs.length).toBeGreaterThanOrEqual(2)
    const prunes = activity.filter((a) => a.action === 'backup.prune')
    expect(prunes.length).toBeGreaterThanOrEqual(1)
    expect(prunes.every((p) => p.outcome === 'ok' && p.detail!.deleted!.length === 1)).toBe(true)

    // nothing left holding the data dir: a second daemon could start (status shows the job's health)
    const status = JSON.parse((await runBuiltCli(['status', '--json'], { env })).stdout)
    expect(status.profiles[0]).toMatchObject({ name: 'shop', jobs: ['every3s'], stats: { successCount: 1 } })
  }, 90_000)
})
