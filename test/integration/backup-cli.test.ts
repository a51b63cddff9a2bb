import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, expect, it } from 'vitest'
import { describeWith } from '../support/skip'
import { psql } from '../support/sql'
import { CLI, REPO, runBuiltCli } from '../support/run-cli'
import { tempDir } from '../support/temp-home'

const built = existsSync(join(REPO, 'out', 'main', 'cli.js'))
const RSS_REPORTER = join(REPO, 'test', 'support', 'max-rss-reporter.cjs')

/** ~540 MB of COPY output: enough to prove memory stays flat while the dump streams. */
const BIG_ROWS = 520_000

describeWith('postgres', 'lifeboat backup (built CLI) against PostgreSQL', (pg) => {
  if (!built && process.env.CI !== 'true') return
  const db = 'bigdb'

  beforeAll(async () => {
    await psql(pg, [`DROP DATABASE IF EXISTS ${db}`, `CREATE DATABASE ${db} OWNER ${pg.user}`])
    await psql(pg, [`CREATE TABLE big (id int PRIMARY KEY, payload text)`, `ALTER TABLE big OWNER TO ${pg.user}`], db)
    await psql(pg, `INSERT INTO big SELECT i, repeat(md5(i::text), 32) FROM generate_series(1, ${BIG_ROWS}) i`, db)
  }, 300_000)

  async function homeWithProfile(): Promise<{ home: string; env: NodeJS.ProcessEnv }> {
    const home = tempDir()
    const env = { LIFEBOAT_HOME: home, PGPW: pg.password }
    const add = await runBuiltCli(['profile', 'add', 'big', '--engine', 'postgres', '--host', '127.0.0.1', '--port', String(pg.port), '--user', pg.user, '--database', db, '--password-env', 'PGPW'], { env })
    expect(add.code, add.stderr).toBe(0)
    return { home, env }
  }

  it(`dumps ≥ 500 MB with the CLI's peak RSS under 200 MB`, async () => {
    const { home, env } = await homeWithProfile()
    const rssFile = join(home, 'maxrss.json')
    const r = await runBuiltCli(['backup', 'big', '--json'], { env: { ...env, NODE_OPTIONS: `--require ${RSS_REPORTER}`, LIFEBOAT_MAXRSS_FILE: rssFile } })
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    const backup = JSON.parse((await runBuiltCli(['history', '--json'], { env })).stdout)[0]
    expect(backup.rawBytes).toBeGreaterThan(500 * 1024 * 1024)
    const maxRssBytes = JSON.parse(readFileSync(rssFile, 'utf8')).maxRssBytes as number
    console.log(`[memory] dumped ${(backup.rawBytes / 2 ** 20).toFixed(0)} MiB raw -> ${(result.sizeBytes / 2 ** 20).toFixed(1)} MiB stored in ${result.durationMs} ms; CLI peak RSS ${(maxRssBytes / 2 ** 20).toFixed(1)} MiB`)
    expect(maxRssBytes).toBeLessThan(200 * 1024 * 1024)
  }, 300_000)

  it('kill -9 mid-run: the next command marks the row interrupted and no partial file remains', async () => {
    const { home, env } = await homeWithProfile()
    const backups = join(home, 'backups')
    const child = spawn(process.execPath, [CLI, 'backup', 'big', '--compress', 'none'], { env: { ...process.env, ...env }, stdio: 'ignore' })
    // Wait until bytes are being written under a temporary name (polling the file system, bounded).
    const deadline = Date.now() + 60_000
    let partial: string | undefined
    while (!partial && Date.now() < deadline) {
      partial = existsSync(backups) ? readdirSync(backups).find((f) => f.endsWith('.partial') && statSync(join(backups, f)).size > 1_000_000) : undefined
      if (!partial) await new Promise((r) => setTimeout(r, 20))
    }
    expect(partial, 'a partial file with data appeared').toBeDefined()
    child.kill('SIGKILL')
    await new Promise((r) => child.once('exit', r))

    const history = await runBuiltCli(['history', '--json'], { env })
    expect(history.code).toBe(0)
    const [row] = JSON.parse(history.stdout)
    expect(row).toMatchObject({ status: 'interrupted', error: expect.stringMatching(/^interrupted: the Lifeboat process \(pid \d+\) stopped/) })
    expect(readdirSync(backups)).toEqual([]) // no partial, and nothing under a final name
    expect(existsSync(join(home, 'tmp', row.id))).toBe(false)
  }, 120_000)
})
