import { open, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import type { Backup, BackupOptionsInput } from '../../src/shared/backup-model'
import type { ProfileInput } from '../../src/shared/model'
import type { RestoreOptionsInput, RestoreResult } from '../../src/shared/restore-model'
import type { MariadbServer, PostgresServer } from '../support/context'
import { mariadbFingerprint, pgFingerprint, sqliteFingerprint, type Fingerprint } from '../support/fingerprint'
import { copyChinookSqlite, fixturesUnavailable, loadChinookMariadb, loadChinookPostgres, loadPagila, loadSakila } from '../support/fixtures'
import { createMariadbEdgeDatabase, createPgEdgeDatabase, createSqliteEdgeDatabase, myIdent, pgIdent } from '../support/generated-data'
import { startMariadb } from '../support/mariadb-server'
import { startPostgres, type Running } from '../support/postgres-server'
import { describeWith } from '../support/skip'
import { mariadbSql, psql } from '../support/sql'
import { tempDir } from '../support/temp-home'

/**
 * The acceptance through the restore service: back up with core.backups, restore with
 * core.restores into a new database (on this server and on a second one), and compare fingerprints;
 * a corrupted backup is refused before the target is touched; a restore failing midway leaves the
 * target as it was; the safety backup brings back the pre-restore state.
 */

const fixturesMissing = fixturesUnavailable()
const timings: string[] = []
let core: LifeboatCore
let profileCount = 0

beforeAll(() => {
  core = createApp({ home: tempDir(), origin: 'cli', logger: silentLogger })
})
afterAll(() => console.log(`[restore round trips] ${timings.join('; ')}`))

async function profileOf(profile: ProfileInput, password: string | undefined): Promise<string> {
  const p = await core.profiles.create({ profile: { ...profile, name: `rt${++profileCount}` } as ProfileInput, password } as never)
  return p.id
}

async function backUp(profileId: string, options: BackupOptionsInput = {}): Promise<Backup> {
  const started = await core.backups.start({ profileId, options })
  const backup = await started.finished
  expect(backup.status, backup.error ?? '').toBe('success')
  return backup
}

async function restore(backupId: string, targetProfileId: string, database: string, options: RestoreOptionsInput = {}, label = ''): Promise<RestoreResult> {
  const t = performance.now()
  const started = await core.restores.start({ backupId, targetProfileId, options: { database, ...options }, confirm: database })
  const result = await started.finished
  if (label) timings.push(`${label} ${Math.round(performance.now() - t)} ms`)
  return result
}

async function restoreOk(backupId: string, targetProfileId: string, database: string, options: RestoreOptionsInput = {}, label = ''): Promise<RestoreResult> {
  const result = await restore(backupId, targetProfileId, database, options, label)
  expect(result.status, result.error ?? '').toBe('success')
  return result
}

/** Flips one byte in the middle of the stored file. */
async function corrupt(backup: Backup): Promise<void> {
  const file = backup.copies[0]?.location as string
  const size = (await stat(file)).size
  const fh = await open(file, 'r+')
  try {
    const b = Buffer.alloc(1)
    await fh.read(b, 0, 1, Math.floor(size / 2))
    b[0] = (b[0] as number) ^ 0x01
    await fh.write(b, 0, 1, Math.floor(size / 2))
  } finally {
    await fh.close()
  }
}

const preRestoreBackups = () => core.backups.list({ limit: 10_000 }).filter((b) => b.reason === 'pre-restore')

/** Routines, triggers and events belong to whoever restored them (DEFINER is rewritten): compare without the definer. */
function withoutDefiners(fp: Fingerprint, definers: string[]): Fingerprint {
  const scrub = (s: string) => definers.reduce((acc, d) => acc.split(d).join('<definer>'), s)
  return { ...fp, objects: Object.fromEntries(Object.entries(fp.objects).map(([k, v]) => [k, v.map(scrub).sort()])) }
}

// ---------------------------------------------------------------------------------------------

describeWith('postgres', 'PostgreSQL restore round trips (service)', (pg) => {
  let second: Running<PostgresServer> | null = null
  let appProfile = ''
  let n = 0
  const newName = () => `lb rt ${++n} "ü`
  const profile = (server: PostgresServer, database: string, user = server.user): ProfileInput => ({ engine: 'postgres', name: 'x', host: '127.0.0.1', port: server.port, user, database })

  beforeAll(async () => {
    await psql(pg, `ALTER ROLE ${pgIdent(pg.user)} CREATEDB`)
    appProfile = await profileOf(profile(pg, pg.database), pg.password)
    const started = await startPostgres()
    if ('info' in started) {
      second = started
      await psql(started.info, `ALTER ROLE ${pgIdent(started.info.user)} CREATEDB`)
    }
  })
  afterAll(async () => second?.stop())

  for (const format of ['custom', 'plain'] as const) {
    it(`edge-case data round-trips losslessly (${format}), also into a new database on a second server`, async (ctx) => {
      const src = `lb rt edge ${format}`
      await createPgEdgeDatabase(pg, src)
      const source = await pgFingerprint(pg, src)
      const backup = await backUp(await profileOf(profile(pg, src), pg.password), { format })
      const target = newName()
      await restoreOk(backup.id, appProfile, target, { createDatabase: true }, `pg edge ${format}`)
      expect(await pgFingerprint(pg, target)).toEqual(source)

      if (!second) return skipOrFail(ctx, 'a second PostgreSQL server could not be started')
      const staging = await profileOf(profile(second.info, second.info.database), second.info.password)
      const stagingDb = `staging ${format}`
      await restoreOk(backup.id, staging, stagingDb, { createDatabase: true }, `pg edge ${format} to 2nd server`)
      expect(await pgFingerprint(second.info, stagingDb)).toEqual(source)
    })
  }

  it.skipIf(fixturesMissing)('pagila and chinook round-trip losslessly', async () => {
    for (const load of [loadPagila, loadChinookPostgres]) {
      const db = await load(pg)
      const source = await pgFingerprint(pg, db)
      const backup = await backUp(await profileOf(profile(pg, db, 'postgres'), undefined))
      const target = newName()
      await restoreOk(backup.id, appProfile, target, { createDatabase: true }, `pg ${db}`)
      expect(await pgFingerprint(pg, target)).toEqual(source)
    }
  })

  it('a corrupted backup is refused before the target is touched', async () => {
    const target = newName()
    await psql(pg, [`CREATE DATABASE ${pgIdent(target)} OWNER ${pgIdent(pg.user)}`])
    await psql(pg, [`SET ROLE ${pgIdent(pg.user)}`, 'CREATE TABLE keep (x int)', 'INSERT INTO keep VALUES (1)'], target)
    const before = await pgFingerprint(pg, target)
    const backup = await backUp(appProfile)
    await corrupt(backup)
    const safetyBefore = preRestoreBackups().length
    const result = await restore(backup.id, appProfile, target, { dropExisting: true })
    expect(result).toMatchObject({ status: 'failed', safetyBackupId: null, rolledBack: false })
    expect(result.error).toMatch(/SHA-256/)
    expect(await pgFingerprint(pg, target)).toEqual(before)
    expect(preRestoreBackups().length).toBe(safetyBefore)
  })

  it('a restore failing midway leaves the target unchanged; the safety backup restores the pre-restore state', async () => {
    const src = 'lb rt fail src'
    await createPgEdgeDatabase(pg, src)
    const backup = await backUp(await profileOf(profile(pg, src), pg.password))

    const target = newName()
    await restoreOk(backup.id, appProfile, target, { createDatabase: true })
    // Different data, plus a view that blocks pg_restore --clean from dropping a table midway.
    await psql(pg, [`SET ROLE ${pgIdent(pg.user)}`, 'DELETE FROM texts WHERE id % 3 = 0', 'CREATE VIEW zz_blocker AS SELECT id FROM public.texts'], target)
    const before = await pgFingerprint(pg, target)
    const failed = await restore(backup.id, appProfile, target, { dropExisting: true }, 'pg failing midway')
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/pg_restore failed \(exit 1\).*depend/s)
    expect(failed.rolledBack).toBe(false)
    expect(await pgFingerprint(pg, target)).toEqual(before)

    // Now let it succeed (without the blocker), then bring the pre-restore state back from its safety backup.
    await psql(pg, [`SET ROLE ${pgIdent(pg.user)}`, 'DROP VIEW zz_blocker'], target)
    const preRestore = await pgFingerprint(pg, target)
    const ok = await restoreOk(backup.id, appProfile, target, { dropExisting: true })
    expect(ok.safetyBackupId).not.toBeNull()
    expect(core.backups.get(ok.safetyBackupId as string).reason).toBe('pre-restore')
    expect(await pgFingerprint(pg, target)).toEqual(await pgFingerprint(pg, src))
    const back = newName()
    await restoreOk(ok.safetyBackupId as string, appProfile, back, { createDatabase: true }, 'pg safety backup')
    expect(await pgFingerprint(pg, back)).toEqual(preRestore)
  })
})

// ---------------------------------------------------------------------------------------------

describeWith('mariadb', 'MariaDB restore round trips (service)', (m) => {
  let second: Running<MariadbServer> | null = null
  let appProfile = ''
  let n = 0
  const newName = () => `lbr-rt${++n} ö`
  const profile = (server: MariadbServer, database: string): ProfileInput => ({ engine: 'mysql', name: 'x', host: '127.0.0.1', port: server.port, user: server.user, database })
  const rootProfile = (database: string): ProfileInput => ({ engine: 'mysql', name: 'x', host: m.socket, port: 3306, user: 'root', database })
  const definers = (server: MariadbServer) => [`${server.user}@127.0.0.1`, 'root@localhost']

  beforeAll(async () => {
    await mariadbSql(m, `GRANT ALL ON \`lbr%\`.* TO '${m.user}'@'127.0.0.1'`)
    appProfile = await profileOf(profile(m, m.database), m.password)
    const started = await startMariadb()
    if ('info' in started) {
      second = started
      await mariadbSql(started.info, `GRANT ALL ON \`lbr%\`.* TO '${started.info.user}'@'127.0.0.1'`)
    }
  })
  afterAll(async () => second?.stop())

  it('edge-case data round-trips losslessly, also into a new database on a second server', async (ctx) => {
    const src = 'lbr-rt-edge'
    await createMariadbEdgeDatabase(m, src)
    const source = await mariadbFingerprint(m, src)
    const backup = await backUp(await profileOf(profile(m, src), m.password))
    const target = newName()
    await restoreOk(backup.id, appProfile, target, { createDatabase: true }, 'mariadb edge')
    expect(await mariadbFingerprint(m, target)).toEqual(source)

    if (!second) return skipOrFail(ctx, 'a second MariaDB server could not be started')
    const staging = await profileOf(profile(second.info, second.info.database), second.info.password)
    const stagingDb = 'lbr-staging ü'
    await restoreOk(backup.id, staging, stagingDb, { createDatabase: true }, 'mariadb edge to 2nd server')
    expect(withoutDefiners(await mariadbFingerprint(second.info, stagingDb), definers(second.info))).toEqual(withoutDefiners(source, definers(m)))
  })

  it.skipIf(fixturesMissing)('sakila and Chinook (dumped as root, restored as the non-SUPER app user) round-trip losslessly', async () => {
    for (const load of [loadSakila, loadChinookMariadb]) {
      const db = await load(m)
      const source = await mariadbFingerprint(m, db)
      const backup = await backUp(await profileOf(rootProfile(db), undefined))
      const target = newName()
      await restoreOk(backup.id, appProfile, target, { createDatabase: true }, `mariadb ${db}`)
      expect(withoutDefiners(await mariadbFingerprint(m, target), definers(m))).toEqual(withoutDefiners(source, definers(m)))
    }
  })

  it('a corrupted backup is refused before the target is touched', async () => {
    const target = newName()
    await mariadbSql(m, `CREATE DATABASE ${myIdent(target)}; CREATE TABLE ${myIdent(target)}.keep (x INT); INSERT INTO ${myIdent(target)}.keep VALUES (1)`)
    const before = await mariadbFingerprint(m, target)
    const backup = await backUp(appProfile)
    await corrupt(backup)
    const safetyBefore = preRestoreBackups().length
    const result = await restore(backup.id, appProfile, target)
    expect(result).toMatchObject({ status: 'failed', safetyBackupId: null, rolledBack: false })
    expect(result.error).toMatch(/SHA-256/)
    expect(await mariadbFingerprint(m, target)).toEqual(before)
    expect(preRestoreBackups().length).toBe(safetyBefore)
  })

  it('a restore failing midway is rolled back from the safety backup, which restores the pre-restore state', async () => {
    const src = 'lbr-rt-fail-src'
    await createMariadbEdgeDatabase(m, src)
    const backup = await backUp(await profileOf(profile(m, src), m.password))
    // The target: other content, and no TRIGGER privilege there, so the restore fails at the first
    // trigger, after it has already replaced some tables.
    const target = 'lbrfail'
    await mariadbSql(m, `DROP DATABASE IF EXISTS ${target}; CREATE DATABASE ${target}`)
    await mariadbSql(
      m,
      `GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, INDEX, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, EVENT, LOCK TABLES,
        CREATE TEMPORARY TABLES, REFERENCES ON ${target}.* TO '${m.user}'@'127.0.0.1'`,
    )
    await mariadbSql(m, "CREATE TABLE audit_log (id INT PRIMARY KEY, what TEXT); INSERT INTO audit_log VALUES (7, 'before'); CREATE TABLE other (x INT); INSERT INTO other VALUES (1)", target)
    const before = await mariadbFingerprint(m, target)

    const failed = await restore(backup.id, appProfile, target, {}, 'mariadb failing midway + rollback')
    expect(failed.status).toBe('failed')
    expect(failed.error).toMatch(/TRIGGER command denied|1142/)
    expect(failed.rolledBack).toBe(true)
    expect(failed.safetyBackupId).not.toBeNull()
    expect(core.backups.get(failed.safetyBackupId as string).reason).toBe('pre-restore')
    expect(await mariadbFingerprint(m, target)).toEqual(before)

    // The safety backup restores the pre-restore state anywhere.
    const back = newName()
    await restoreOk(failed.safetyBackupId as string, appProfile, back, { createDatabase: true }, 'mariadb safety backup')
    expect(await mariadbFingerprint(m, back)).toEqual(before)
  })
})

// ---------------------------------------------------------------------------------------------

describe('SQLite restore round trips (service)', () => {
  let dir = ''
  let n = 0
  const profile = (file: string): ProfileInput => ({ engine: 'sqlite', name: 'x', file })
  beforeAll(() => {
    dir = tempDir('lifeboat-rt-lite-')
  })

  for (const format of ['sqlite', 'plain'] as const) {
    it(`edge-case data round-trips losslessly (${format}) into a new file in another directory`, async () => {
      const src = join(dir, `edge-${format}.sqlite`)
      createSqliteEdgeDatabase(src)
      const source = sqliteFingerprint(src)
      const id = await profileOf(profile(src), undefined)
      const backup = await backUp(id, { format })
      const target = join(tempDir('lifeboat-rt-lite-staging-'), `restored ${++n} ü.sqlite`)
      await restoreOk(backup.id, id, target, { createDatabase: true }, `sqlite edge ${format}`)
      expect(sqliteFingerprint(target)).toEqual(source)
    })
  }

  it.skipIf(fixturesMissing)('chinook round-trips losslessly', async () => {
    const src = await copyChinookSqlite(tempDir('lifeboat-rt-chinook-'))
    const id = await profileOf(profile(src), undefined)
    const backup = await backUp(id)
    const target = join(dir, 'chinook-restored.sqlite')
    await restoreOk(backup.id, id, target, { createDatabase: true }, 'sqlite chinook')
    expect(sqliteFingerprint(target)).toEqual(sqliteFingerprint(src))
  })

  it('a corrupted backup is refused; a cancelled restore leaves the target; the safety backup restores the pre-restore state', async () => {
    const src = join(dir, 'source.sqlite')
    createSqliteEdgeDatabase(src)
    const id = await profileOf(profile(src), undefined)
    const backup = await backUp(id, { format: 'plain', compression: 'none' })

    const target = join(dir, 'target.sqlite')
    createSqliteEdgeDatabase(target, { journalMode: 'wal' })
    const db = new (await import('better-sqlite3')).default(target)
    db.exec('DELETE FROM vals WHERE id % 2 = 0; CREATE TABLE keep (x)')
    db.close()
    const before = sqliteFingerprint(target)

    const bad = await backUp(id)
    await corrupt(bad)
    const safetyBefore = preRestoreBackups().length
    const refused = await restore(bad.id, id, target)
    expect(refused).toMatchObject({ status: 'failed', safetyBackupId: null })
    expect(refused.error).toMatch(/SHA-256/)
    expect(preRestoreBackups().length).toBe(safetyBefore)
    expect(sqliteFingerprint(target)).toEqual(before)

    // Cancelled while restoring: nothing swapped in.
    const started = await core.restores.start({ backupId: backup.id, targetProfileId: id, options: { database: target }, confirm: target })
    const stop = core.events.subscribe((e) => {
      if (e.type === 'restore.progress' && e.progress.restoreId === started.id && e.progress.phase === 'restoring') started.cancel()
    })
    const cancelled = await started.finished
    stop()
    expect(cancelled.status).toMatch(/cancelled|success/) // a tiny restore may finish before the cancel lands
    if (cancelled.status === 'cancelled') expect(sqliteFingerprint(target)).toEqual(before)

    const ok = await restoreOk(backup.id, id, target, {}, 'sqlite over existing')
    expect(sqliteFingerprint(target)).toEqual(sqliteFingerprint(src))
    const back = join(dir, 'back.sqlite')
    await restoreOk(ok.safetyBackupId as string, id, back, { createDatabase: true }, 'sqlite safety backup')
    expect(sqliteFingerprint(back)).toEqual(before)
  })
})

/** A missing prerequisite skips with its reason locally and fails under CI=true. */
function skipOrFail(ctx: { skip: (note: string) => void }, reason: string): void {
  if (process.env.CI === 'true') throw new Error(`CI=true: ${reason}`)
  ctx.skip(reason)
}
