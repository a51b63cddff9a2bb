import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { open, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { generateX25519Identity, identityToRecipient } from 'age-encryption'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import { runTestRestore, type TestRestoreDeps, type TestRestoreResult } from '../../src/main/core/services/test-restore'
import { manifestName } from '../../src/shared/backup-files'
import type { Backup, BackupOptionsInput } from '../../src/shared/backup-model'
import type { ProfileInput } from '../../src/shared/model'
import { createMariadbEdgeDatabase, createPgEdgeDatabase, createSqliteEdgeDatabase, myIdent, pgIdent } from '../support/generated-data'
import { describeWith } from '../support/skip'
import { mariadbSql, psql } from '../support/sql'

/**
 * Test restores against real servers: a backup restored into a lifeboat_test_<hex> scratch database
 * (SQLite: a file in a private temp dir), row counts compared with the manifest, and the scratch
 * database gone afterwards whatever happened.
 */

const home = mkdtempSync(join(tmpdir(), 'lifeboat-test-restore-'))
const timings: string[] = []
let core: LifeboatCore
let deps: TestRestoreDeps
let profileCount = 0

beforeAll(() => {
  core = createApp({ home, origin: 'cli', logger: silentLogger })
  deps = { backups: core.backups, restores: core.restores, profiles: core.profiles, logger: silentLogger, tempRoot: core.paths.temp }
})
afterAll(() => {
  core?.close()
  rmSync(home, { recursive: true, force: true })
  console.log(`[test restore] ${timings.join('; ')}`)
})

async function profileOf(profile: ProfileInput, password: string | undefined): Promise<string> {
  const p = await core.profiles.create({ profile: { ...profile, name: `tr${++profileCount}` } as ProfileInput, password } as never)
  return p.id
}

async function backUp(profileId: string, options: BackupOptionsInput = {}, passphrase?: string): Promise<Backup> {
  const backup = await (await core.backups.start({ profileId, options, passphrase })).finished
  expect(backup.status, backup.error ?? '').toBe('success')
  return backup
}

async function testRestore(label: string, backupId: string, targetProfileId: string, extra: { passphrase?: string; signal?: AbortSignal } = {}): Promise<TestRestoreResult> {
  const t = performance.now()
  const result = await runTestRestore(deps, { backupId, targetProfileId, ...extra })
  timings.push(`${label} ${Math.round(performance.now() - t)} ms`)
  return result
}

/** Flips one byte in the middle of the stored file (the local destination's copy). */
async function corrupt(backup: Backup): Promise<void> {
  const file = backup.copies[0]?.location as string
  const at = Math.floor((await stat(file)).size / 2)
  const fh = await open(file, 'r+')
  try {
    const b = Buffer.alloc(1)
    await fh.read(b, 0, 1, at)
    b[0] = (b[0] as number) ^ 0x01
    await fh.write(b, 0, 1, at)
  } finally {
    await fh.close()
  }
}

/** Nothing of a test restore is left in the temp root. */
const scratchDirs = async () => (await readdir(core.paths.temp).catch(() => [] as string[])).filter((f) => f.startsWith('test-restore-'))

const expectAllCounted = (result: TestRestoreResult) => {
  expect(result.tables.length).toBeGreaterThan(0)
  for (const t of result.tables) expect(t, JSON.stringify(t)).toMatchObject({ ok: true })
  expect(result.tables.every((t) => typeof t.actual === 'number')).toBe(true)
}

// ---------------------------------------------------------------------------------------------

describeWith('postgres', 'test restore (PostgreSQL)', (pg) => {
  const profile = (database: string): ProfileInput => ({ engine: 'postgres', name: 'x', host: '127.0.0.1', port: pg.port, user: pg.user, database })
  const src = 'lb tr edge'
  const oddName = '"Odd Schema.ü"."Odd ""Name"""'
  let source = ''
  let target = ''
  const scratchDatabases = async () => (await psql(pg, "SELECT datname FROM pg_database WHERE datname LIKE 'lifeboat\\_test\\_%'")).split('\n').filter(Boolean)

  beforeAll(async () => {
    await psql(pg, `ALTER ROLE ${pgIdent(pg.user)} CREATEDB`)
    await createPgEdgeDatabase(pg, src)
    await psql(pg, [`SET ROLE ${pgIdent(pg.user)}`, `CREATE TABLE ${oddName} (id int, "wh""at" text)`, `INSERT INTO ${oddName} SELECT i, 'row ' || i FROM generate_series(1, 5000) i`], src)
    // A fresh ANALYZE, so the manifest's estimates (pg_class.reltuples) are close to the real counts.
    await psql(pg, 'ANALYZE', src)
    source = await profileOf(profile(src), pg.password)
    target = await profileOf(profile(pg.database), pg.password)
  })

  it('restores into a scratch database, counts every table, passes, and drops it', async () => {
    const backup = await backUp(source)
    const result = await testRestore('pg edge', backup.id, target)
    expect(result, result.error ?? JSON.stringify(result.tables.filter((t) => !t.ok))).toMatchObject({ status: 'passed', error: null, backupId: backup.id, targetProfileId: target })
    expect(result.scratchDatabase).toMatch(/^lifeboat_test_[0-9a-f]{8}$/)
    expectAllCounted(result)
    expect(result.tables.find((t) => t.name === oddName)).toMatchObject({ expected: 5000, actual: 5000, ok: true, note: expect.stringMatching(/estimate/) })
    // An inheritance parent is counted without its child, as its estimate is.
    expect(result.tables.find((t) => t.name === 'public.inh_parent')).toMatchObject({ actual: 1 })
    expect(result.tables.find((t) => t.name === 'public.measurements')).toMatchObject({ expected: null, actual: 3000, note: 'no estimate: presence checked' })
    expect(await scratchDatabases()).toEqual([])
  })

  it('schema-only backups check presence only', async () => {
    const backup = await backUp(source, { schemaOnly: true })
    const result = await testRestore('pg schema only', backup.id, target)
    expect(result.status, result.error ?? '').toBe('passed')
    expect(result.tables.every((t) => t.expected === 0 && t.actual === 0 && t.ok)).toBe(true)
    expect(await scratchDatabases()).toEqual([])
  })

  it('a damaged backup fails with an integrity error, and no scratch database is left', async () => {
    const backup = await backUp(target)
    await corrupt(backup)
    const result = await testRestore('pg damaged', backup.id, target)
    expect(result.status).toBe('failed')
    expect(result.error).toMatch(/INTEGRITY.*SHA-256/)
    expect(await scratchDatabases()).toEqual([])
  })

  it('a cancel after the scratch database was filled still drops it', async () => {
    const backup = await backUp(target)
    const controller = new AbortController()
    let restored = ''
    const stop = core.events.subscribe((e) => {
      // Cancelled at the very end of the restore, which then still reports success: the database exists.
      if (e.type === 'restore.progress' && e.progress.phase === 'finishing') controller.abort()
      if (e.type === 'restore.finished') restored = e.result.status
    })
    const result = await testRestore('pg cancelled', backup.id, target, { signal: controller.signal }).finally(stop)
    expect(restored).toBe('success')
    expect(result).toMatchObject({ status: 'failed', error: 'test restore cancelled' })
    expect(await scratchDatabases()).toEqual([])
  })

  it('an engine mismatch fails before anything is created', async () => {
    const lite = mkdtempSync(join(tmpdir(), 'lifeboat-tr-mismatch-'))
    try {
      const file = join(lite, 'x.sqlite')
      createSqliteEdgeDatabase(file)
      const sqliteProfile = await profileOf({ engine: 'sqlite', name: 'x', file }, undefined)
      const backup = await backUp(target)
      const restoresBefore = core.activity.list({ limit: 10_000 }).filter((a) => a.action === 'restore.run').length
      const result = await testRestore('pg mismatch', backup.id, sqliteProfile)
      expect(result).toMatchObject({ status: 'failed', tables: [] })
      expect(result.error).toMatch(/a postgres backup can't be test-restored into the sqlite profile/)
      expect(await scratchDatabases()).toEqual([])
      expect(await scratchDirs()).toEqual([])
      expect(core.activity.list({ limit: 10_000 }).filter((a) => a.action === 'restore.run').length).toBe(restoresBefore)
    } finally {
      rmSync(lite, { recursive: true, force: true })
    }
  })
})

// ---------------------------------------------------------------------------------------------

describeWith('mariadb', 'test restore (MariaDB)', (m) => {
  const src = 'lbtr edge'
  const scratchDatabases = async () => (await mariadbSql(m, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'lifeboat\\_test\\_%'")).split('\n').filter(Boolean)

  it('restores into a scratch database, passes, and drops it', async () => {
    // \_ : the literal underscore, not GRANT's one-character wildcard.
    await mariadbSql(m, `GRANT ALL ON \`lifeboat\\_test\\_%\`.* TO '${m.user}'@'127.0.0.1'`)
    await createMariadbEdgeDatabase(m, src)
    // Fresh statistics, so information_schema.TABLE_ROWS (the manifest's estimate) is close.
    const root = await createConnection({ socketPath: m.socket, user: 'root', database: src, charset: 'utf8mb4' })
    try {
      const [rows] = await root.query("SELECT TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'")
      for (const r of rows as Array<{ t: string }>) await root.query(`ANALYZE TABLE ${myIdent(r.t)}`)
    } finally {
      await root.end()
    }
    const profile = (database: string): ProfileInput => ({ engine: 'mysql', name: 'x', host: '127.0.0.1', port: m.port, user: m.user, database })
    const backup = await backUp(await profileOf(profile(src), m.password))
    const target = await profileOf(profile(m.database), m.password)

    const result = await testRestore('mariadb edge', backup.id, target)
    expect(result, result.error ?? JSON.stringify(result.tables.filter((t) => !t.ok))).toMatchObject({ status: 'passed', error: null })
    expect(result.scratchDatabase).toMatch(/^lifeboat_test_[0-9a-f]{8}$/)
    expectAllCounted(result)
    expect(result.tables.find((t) => t.name === 'Odd Table.ü ß')).toMatchObject({ actual: 3, ok: true })
    expect(result.tables.find((t) => t.name === 'bytes')).toMatchObject({ actual: 259, ok: true })
    expect(await scratchDatabases()).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------

describe('test restore (SQLite)', () => {
  let dir = ''
  let id = ''
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lifeboat-tr-lite-'))
    const file = join(dir, 'edge "ü".sqlite')
    createSqliteEdgeDatabase(file)
    id = await profileOf({ engine: 'sqlite', name: 'x', file }, undefined)
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('restores into a scratch file in a private temp dir, counts exactly, passes, and removes it', async () => {
    const backup = await backUp(id)
    const result = await testRestore('sqlite edge', backup.id, id)
    expect(result, result.error ?? '').toMatchObject({ status: 'passed', error: null })
    expect(result.scratchDatabase.startsWith(join(core.paths.temp, 'test-restore-'))).toBe(true)
    expect(result.scratchDatabase).toMatch(/lifeboat_test_[0-9a-f]{8}\.sqlite$/)
    expect(result.tables.find((t) => t.name === 'Parent Täble 😀')).toEqual({ name: 'Parent Täble 😀', expected: 3, actual: 3, ok: true })
    expect(result.tables.find((t) => t.name === 'ft')).toMatchObject({ expected: null, actual: null, ok: true })
    expect(result.tables.filter((t) => t.name !== 'ft').every((t) => t.ok && t.actual === t.expected && t.note === undefined)).toBe(true)
    expect(existsSync(result.scratchDatabase)).toBe(false)
    expect(await scratchDirs()).toEqual([])
  })

  it('a count differing from the manifest, or a missing table, fails with per-table detail', async () => {
    const backup = await backUp(id)
    // The manifest is the expectation: claim one more row in vals and a table the backup lacks.
    const file = join(dirname(backup.copies[0]?.location as string), manifestName(backup.fileName))
    const manifest = JSON.parse(await readFile(file, 'utf8')) as { tables: Array<{ name: string; rows: number | null }> }
    const vals = manifest.tables.find((t) => t.name === 'vals') as { rows: number }
    vals.rows += 1
    manifest.tables.push({ name: 'ghost "table"', rows: 0 })
    await writeFile(file, JSON.stringify(manifest))

    const result = await testRestore('sqlite mismatch', backup.id, id)
    expect(result.status).toBe('failed')
    expect(result.error).toBeNull()
    expect(result.tables.find((t) => t.name === 'vals')).toMatchObject({ expected: vals.rows, actual: vals.rows - 1, ok: false })
    expect(result.tables.find((t) => t.name === 'ghost "table"')).toMatchObject({ actual: null, ok: false, note: 'missing from the restored database' })
    expect(result.tables.filter((t) => !t.ok)).toHaveLength(2)
    expect(await scratchDirs()).toEqual([])
  })

  it('encrypted backups: with the passphrase it passes; without, or recipient-encrypted, it is skipped', async () => {
    const passphrase = 'correct horse battery staple'
    const locked = await backUp(id, { encryption: { kind: 'passphrase' } }, passphrase)
    expect(await testRestore('sqlite passphrase', locked.id, id, { passphrase })).toMatchObject({ status: 'passed', error: null })
    expect(await testRestore('sqlite no passphrase', locked.id, id)).toMatchObject({ status: 'skipped', error: 'passphrase-encrypted backup: the job has no stored passphrase' })

    const recipient = await identityToRecipient(await generateX25519Identity())
    const sealed = await backUp(id, { encryption: { kind: 'recipient', recipient } })
    expect(await testRestore('sqlite recipient', sealed.id, id)).toMatchObject({
      status: 'skipped',
      error: 'recipient-encrypted backups need the private identity to restore; test restore skipped',
    })
    expect(await scratchDirs()).toEqual([])
  })

  it('a cancel fails the test restore and still removes the scratch file', async () => {
    const backup = await backUp(id)
    const controller = new AbortController()
    const stop = core.events.subscribe((e) => {
      if (e.type === 'restore.progress') controller.abort()
    })
    const result = await testRestore('sqlite cancelled', backup.id, id, { signal: controller.signal }).finally(stop)
    expect(result).toMatchObject({ status: 'failed', error: 'test restore cancelled' })
    expect(existsSync(result.scratchDatabase)).toBe(false)
    expect(await scratchDirs()).toEqual([])
  })
})
