import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../src/main/core/store/open-store'
import { SchedulerLockRepo } from '../../src/main/core/store/scheduler-lock-repo'
import { cli } from '../support/cli-in-process'
import { tempDir } from '../support/temp-home'

/** job / prune / status / activity / daemon lock through the CLI, in-process, on SQLite profiles (no server). */
async function homeWithSqlite() {
  const home = tempDir()
  const dbFile = join(tempDir(), 'notes.sqlite')
  const db = new Database(dbFile)
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT); INSERT INTO notes (body) VALUES ('hello'), ('wörld')")
  db.close()
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => cli(args, { home, env })
  expect((await run(['profile', 'add', 'notes', '--engine', 'sqlite', '--file', dbFile])).code).toBe(0)
  return { home, dbFile, run }
}

describe('lifeboat job / prune / status (in-process CLI, SQLite)', () => {
  it('add shows the schedule in words and its next runs; list and show; edit changes only what is given', async () => {
    const { run } = await homeWithSqlite()
    const add = await run(['job', 'add', 'nightly', '--profile', 'notes', '--daily', '00:00', '--tz', 'Europe/Berlin', '--keep-last', '5', '--json'])
    expect(add.code, add.stderr).toBe(0)
    const job = JSON.parse(add.stdout)
    expect(job).toMatchObject({ name: 'nightly', profileName: 'notes', destinations: ['local'], timeZone: 'Europe/Berlin', retention: { keepLast: 5 }, catchUp: true, runState: 'idle', description: 'Every day at 00:00 (Europe/Berlin)' })
    // the next local midnight in Berlin is 22:00 or 23:00 UTC
    expect(job.nextDueAt).toMatch(/T2[23]:00:00\.000Z$/)
    const show = JSON.parse((await run(['job', 'show', 'nightly', '--json'])).stdout)
    expect(show.nextRuns).toHaveLength(5)
    expect(new Set(show.nextRuns.map((r: string) => r.slice(11))).size).toBeLessThanOrEqual(2)
    const list = await run(['job', 'list'])
    expect(list.stdout).toMatch(/nightly\s+notes\s+Every day at 00:00 \(Europe\/Berlin\)/)
    expect(list.stdout).toContain('keep the 5 newest')

    const edit = await run(['job', 'edit', 'nightly', '--keep-days', '30', '--weekly', 'sun', '03:30', '--rename', 'weekly', '--json'])
    expect(edit.code, edit.stderr).toBe(0)
    expect(JSON.parse(edit.stdout)).toMatchObject({ name: 'weekly', retention: { keepLast: 5, keepDays: 30 }, timeZone: 'Europe/Berlin', schedule: { kind: 'weekly', day: 'sun', time: '03:30' } })
    expect((await run(['job', 'remove', 'weekly'])).code).toBe(0)
    expect((await run(['job', 'list', '--json'])).stdout.trim()).toBe('[]')
  })

  it('every mistake names its flag and saves nothing', async () => {
    const { run } = await homeWithSqlite()
    const cases: [string[], RegExp][] = [
      [['--cron', '61 * * * *'], /^error: --cron: .*minute.*61/],
      [['--cron', '* * *'], /^error: --cron: .*5 fields/],
      [['--cron', '0 0 * * *', '--daily', '02:00'], /^error: --daily: choose one of/],
      [['--daily', '25:00'], /^error: --daily\/--weekly\/--monthly: expected a time as HH:MM/],
      [['--weekly', 'funday', '02:00'], /^error: --weekly: expected DAY HH:MM/],
      [['--monthly', '31', '02:00'], /^error: --weekly\/--monthly: expected a day 1–28 or "last"/],
      [['--daily', '02:00', '--tz', 'Mars/Olympus'], /^error: --tz: expected an IANA time zone/],
      [['--daily', '02:00', '--gfs', '7,4'], /^error: --gfs: expected four counts/],
      [['--daily', '02:00', '--keep-last', 'five'], /^error: --keep-last: expected a whole number/],
      [['--daily', '02:00', '--dest', 'nas'], /^error: --dest: no destination named "nas"/],
      [['--daily', '02:00', '--format', 'custom'], /^error: --format: sqlite backups can be sqlite or plain, not custom/],
      [['--daily', '02:00', '--slack-webhook-env', 'NOT_SET'], /^error: --slack-webhook-env: environment variable NOT_SET is not set/],
      [['--daily', '02:00', '--test-restore-to', 'notes', '--max-age', 'soon'], /^error: --max-age: expected a duration/],
    ]
    for (const [flags, message] of cases) {
      const r = await run(['job', 'add', 'j', '--profile', 'notes', ...flags])
      expect({ flags, code: r.code, stderr: r.stderr }).toEqual({ flags, code: 2, stderr: expect.stringMatching(message) })
    }
    expect(await run(['job', 'add', 'j', '--daily', '02:00'])).toMatchObject({ code: 2, stderr: 'error: --profile: required: the profile to back up\n' })
    expect(await run(['job', 'add', 'j', '--profile', 'nope', '--daily', '02:00'])).toMatchObject({ code: 1, stderr: 'error: no profile named "nope"\n' })
    expect((await run(['job', 'list', '--json'])).stdout.trim()).toBe('[]')
    expect((await run(['job', 'add', 'j', '--profile', 'notes', '--daily', '02:00'])).code).toBe(0)
    expect(await run(['job', 'add', 'J', '--profile', 'notes', '--daily', '02:00'])).toMatchObject({ code: 2, stderr: 'error: name: a job named "j" already exists\n' })
    // a profile a job depends on can't disappear under it
    expect(await run(['profile', 'remove', 'notes'])).toMatchObject({ code: 2, stderr: 'error: profile "notes" is used by the job "j"; remove or change it first\n' })
  })

  it('webhook URLs are write-only secrets: not in the store, not in any output', async () => {
    const { home, run } = await homeWithSqlite()
    const url = 'https://hooks.slack.com/services/T000/B000/s3cretT0ken'
    const add = await run(['job', 'add', 'j', '--profile', 'notes', '--daily', '02:00', '--slack-webhook-env', 'HOOK', '--json'], { HOOK: url })
    expect(add.code, add.stderr).toBe(0)
    expect(JSON.parse(add.stdout)).toMatchObject({ hasSlackWebhook: true, hasWebhook: false })
    const outputs = [add.stdout, (await run(['job', 'list', '--json'])).stdout, (await run(['job', 'show', 'j', '--json'])).stdout, (await run(['activity', '--json'])).stdout]
    for (const text of outputs) expect(text).not.toContain('s3cretT0ken')
    for (const f of readdirSync(home).filter((n) => n.startsWith('lifeboat.db'))) expect(readFileSync(join(home, f)).includes('s3cretT0ken')).toBe(false)
    const cleared = await run(['job', 'edit', 'j', '--clear-slack-webhook', '--json'])
    expect(JSON.parse(cleared.stdout)).toMatchObject({ hasSlackWebhook: false })
  })

  it('job run: a scheduled-reason backup, retention keep-last 1 after each success, prune --dry-run, activity by origin', async () => {
    const { run } = await homeWithSqlite()
    expect((await run(['job', 'add', 'j', '--profile', 'notes', '--cron', '0 3 * * *', '--tz', 'UTC', '--keep-last', '1'])).code).toBe(0)
    const first = await run(['job', 'run', 'j', '--json'])
    expect(first.code, first.stderr).toBe(0)
    const firstBackup = JSON.parse(first.stdout).backup
    expect(firstBackup).toMatchObject({ status: 'success', reason: 'scheduled', jobId: expect.any(String) })
    const second = JSON.parse((await run(['job', 'run', 'j', '--json'])).stdout).backup
    const history = JSON.parse((await run(['history', '--json'])).stdout)
    expect(history.map((b: { id: string }) => b.id)).toEqual([second.id])
    const pruned = JSON.parse((await run(['activity', '--action', 'backup.prune', '--json'])).stdout)
    expect(pruned).toEqual([expect.objectContaining({ origin: 'cli', subject: 'j', outcome: 'ok', detail: expect.objectContaining({ destination: 'local', deleted: [firstBackup.fileName], kept: 1 }) })])
    expect(JSON.parse((await run(['job', 'list', '--json'])).stdout)[0]).toMatchObject({ lastStatus: 'success', lastBackupId: second.id, runState: 'idle' })

    const dry = await run(['prune', '--dry-run', '--json'])
    expect(dry.code).toBe(0)
    expect(JSON.parse(dry.stdout).plans).toEqual([expect.objectContaining({ jobName: 'j', destination: 'local', refused: null, decisions: [expect.objectContaining({ backupId: second.id, action: 'keep' })] })])
    expect((await run(['prune'])).code).toBe(0)

    const cliRuns = JSON.parse((await run(['activity', '--origin', 'cli', '--action', 'backup', '--json'])).stdout)
    expect(cliRuns.filter((e: { action: string }) => e.action === 'backup.run')).toHaveLength(2)
    expect(JSON.parse((await run(['activity', '--origin', 'scheduler', '--json'])).stdout)).toEqual([])
    expect((await run(['activity', '--origin', 'robot'])).code).toBe(2)
  })

  it('status: exit 0 while healthy or unmonitored, 3 when a job’s profile fails; --json says why', async () => {
    const { run, dbFile } = await homeWithSqlite()
    const idle = await run(['status', '--json'])
    expect(idle.code).toBe(0)
    expect(JSON.parse(idle.stdout)).toMatchObject({ overall: 'ok', unhealthy: false, profiles: [{ name: 'notes', state: 'unmonitored' }] })
    expect((await run(['job', 'add', 'j', '--profile', 'notes', '--daily', '02:00'])).code).toBe(0)
    expect(JSON.parse((await run(['status', '--json'])).stdout).profiles[0]).toMatchObject({ state: 'ok', reason: 'waiting for the first scheduled run' })
    expect((await run(['job', 'run', 'j'])).code).toBe(0)
    const good = await run(['status'])
    expect(good.code).toBe(0)
    expect(good.stdout).toMatch(/notes\s+ok\s+just now/)
    rmSync(dbFile)
    expect((await run(['job', 'run', 'j'])).code).toBe(1)
    const bad = await run(['status', '--json'])
    expect(bad.code).toBe(3)
    expect(JSON.parse(bad.stdout)).toMatchObject({ overall: 'failing', unhealthy: true, profiles: [{ state: 'failing', lastError: expect.any(String), stats: { successCount: 1, failedCount: 1 } }] })
  })

  it('a job with a test restore: restores each good backup into a scratch copy, compares row counts, records the result', async () => {
    const { run } = await homeWithSqlite()
    const scratchTarget = join(tempDir(), 'staging.sqlite')
    expect((await run(['profile', 'add', 'staging', '--engine', 'sqlite', '--file', scratchTarget, '--tag', 'staging'])).code).toBe(0)
    expect((await run(['job', 'add', 'checked', '--profile', 'notes', '--daily', '02:00', '--test-restore-to', 'staging'])).code).toBe(0)
    expect((await run(['job', 'run', 'checked'])).code).toBe(0)
    const checks = JSON.parse((await run(['activity', '--action', 'job.test-restore', '--json'])).stdout)
    expect(checks).toEqual([expect.objectContaining({ subject: 'checked', outcome: 'ok', origin: 'cli', detail: expect.objectContaining({ status: 'passed', tables: [] }) })])
    const restore = JSON.parse((await run(['activity', '--action', 'restore', '--json'])).stdout)
    expect(restore).toEqual([expect.objectContaining({ outcome: 'ok', origin: 'cli', subject: expect.stringContaining('lifeboat_test_') })])
    // the scratch copy is gone and the target profile's own file was never touched
    expect(readdirSync(join(scratchTarget, '..'))).toEqual([])
  })

  it('daemon refuses to start while another scheduler holds the data dir', async () => {
    const { home, run } = await homeWithSqlite()
    const db = openStore(join(home, 'lifeboat.db'))
    new SchedulerLockRepo(db).acquire({ token: 'app', pid: process.pid, kind: 'desktop' }, new Date(), 120_000)
    db.close()
    const r = await run(['daemon'])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/^error: another scheduler already runs the jobs of this data dir: the Lifeboat app \(pid \d+ on .+\); stop it first\n$/)
  })
})
