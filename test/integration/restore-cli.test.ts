import { appendFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { REPO, runBuiltCli } from '../support/run-cli'
import { tempDir } from '../support/temp-home'

const skip = !existsSync(join(REPO, 'out', 'main', 'cli.js')) && process.env.CI !== 'true'

function makeDb(file: string, rows: string[]) {
  const db = new Database(file)
  db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)')
  const insert = db.prepare('INSERT INTO t (v) VALUES (?)')
  for (const r of rows) insert.run(r)
  db.pragma('user_version = 7')
  db.close()
}
const rowsOf = (file: string) => {
  const db = new Database(file, { readonly: true })
  try {
    return db.prepare('SELECT v FROM t ORDER BY id').pluck().all()
  } finally {
    db.close()
  }
}

/** `lifeboat restore` through the built CLI on SQLite: confirmation rules, dry run, safety backup, integrity. */
describe.skipIf(skip)('lifeboat restore (built CLI, SQLite)', () => {
  async function setup() {
    const home = tempDir()
    const work = tempDir()
    const source = join(work, 'prod.sqlite')
    makeDb(source, ['a', 'b', 'ü 😀'])
    const env = { LIFEBOAT_HOME: home }
    expect((await runBuiltCli(['profile', 'add', 'prod', '--engine', 'sqlite', '--file', source, '--tag', 'production'], { env })).code).toBe(0)
    const staging = join(work, 'staging.sqlite')
    makeDb(staging, ['old staging row'])
    expect((await runBuiltCli(['profile', 'add', 'staging', '--engine', 'sqlite', '--file', staging, '--tag', 'staging'], { env })).code).toBe(0)
    const backup = JSON.parse((await runBuiltCli(['backup', 'prod', '--json'], { env })).stdout)
    expect(backup.status).toBe('success')
    return { home, work, env, source, staging, id: backup.id as string, fileName: backup.fileName as string }
  }

  it('refuses a missing or wrong --confirm (exit 2) and a production target without --confirm-production, changing nothing', async () => {
    const s = await setup()
    const before = readFileSync(s.staging)
    const missing = await runBuiltCli(['restore', s.id, '--to', 'staging'], { env: s.env })
    expect(missing).toMatchObject({ code: 2, stderr: 'error: --confirm: required: type the target database name to confirm the restore\n' })
    const wrong = await runBuiltCli(['restore', s.id, '--to', 'staging', '--confirm', 'staging'], { env: s.env })
    expect(wrong.code).toBe(2)
    expect(wrong.stderr).toContain('--confirm: type the target database name exactly')
    const prod = await runBuiltCli(['restore', s.id, '--to', 'prod', '--confirm', s.source], { env: s.env })
    expect(prod).toMatchObject({ code: 2, stderr: expect.stringContaining('--confirm-production') })
    expect(readFileSync(s.staging).equals(before)).toBe(true)
    expect(rowsOf(s.source)).toEqual(['a', 'b', 'ü 😀'])
    const history = JSON.parse((await runBuiltCli(['history', '--json'], { env: s.env })).stdout)
    expect(history).toHaveLength(1) // no safety backup was taken either
  })

  it('--dry-run prints the plan and changes nothing', async () => {
    const s = await setup()
    const before = readFileSync(s.staging)
    const plan = await runBuiltCli(['restore', s.id, '--to', 'staging', '--dry-run', '--json'], { env: s.env })
    expect(plan.code, plan.stderr).toBe(0)
    const p = JSON.parse(plan.stdout)
    expect(p).toMatchObject({ target: { profileName: 'staging', database: s.staging, exists: true }, backup: { id: s.id } })
    expect(p.steps.join('\n')).toMatch(/Verify .*SHA-256[\s\S]*safety backup[\s\S]*Restore/)
    expect(p.commands.length).toBeGreaterThan(0)
    expect(readFileSync(s.staging).equals(before)).toBe(true)
    expect(JSON.parse((await runBuiltCli(['history', '--json'], { env: s.env })).stdout)).toHaveLength(1)
  })

  it('restores into staging with a safety backup that brings the old content back', async () => {
    const s = await setup()
    const r = await runBuiltCli(['restore', s.id, '--to', 'staging', '--confirm', s.staging, '--json'], { env: s.env })
    expect(r.code, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result).toMatchObject({ status: 'success', rolledBack: false, safetyBackupId: expect.any(String) })
    expect(rowsOf(s.staging)).toEqual(['a', 'b', 'ü 😀'])
    const safety = JSON.parse((await runBuiltCli(['history', '--json'], { env: s.env })).stdout).find((b: { id: string }) => b.id === result.safetyBackupId)
    expect(safety).toMatchObject({ reason: 'pre-restore', status: 'success', profileName: 'staging' })
    const back = await runBuiltCli(['restore', result.safetyBackupId, '--to', 'staging', '--confirm', s.staging, '--no-safety-backup'], { env: s.env })
    expect(back.code, back.stderr).toBe(0)
    expect(rowsOf(s.staging)).toEqual(['old staging row'])
  })

  it('refuses a corrupted backup before touching the target (exit 1, INTEGRITY)', async () => {
    const s = await setup()
    const before = readFileSync(s.staging)
    appendFileSync(join(s.home, 'backups', s.fileName), 'x')
    const r = await runBuiltCli(['restore', s.id, '--to', 'staging', '--confirm', s.staging, '--json'], { env: s.env })
    expect(r.code).toBe(1)
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'failed', safetyBackupId: null, errorCode: 'INTEGRITY', error: { code: 'INTEGRITY', message: expect.stringContaining('does not match its recorded SHA-256') } })
    expect(readFileSync(s.staging).equals(before)).toBe(true)
  })
})
