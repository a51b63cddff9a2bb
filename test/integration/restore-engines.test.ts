import { createReadStream } from 'node:fs'
import { appendFile, chmod, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RestoreRequest } from '../../src/main/core/engines/engine'
import { engineFor } from '../../src/main/core/engines/registry'
import type { BackupFormat } from '../../src/shared/backup-model'
import { isAppError } from '../../src/shared/errors'
import type { ProfileConfig } from '../../src/shared/model'
import { mariadbFingerprint, pgFingerprint, sqliteFingerprint, type Fingerprint } from '../support/fingerprint'
import { dumpToFile, processAlive, processInfo } from '../support/fixtures'
import { createMariadbEdgeDatabase, createPgEdgeDatabase, createSqliteEdgeDatabase, myIdent, pgIdent } from '../support/generated-data'
import { tempDirs } from '../support/probe-fixtures'
import { describeWith } from '../support/skip'
import { mariadbSql, psql } from '../support/sql'

/**
 * Engine level: dump with startDump to a file, restore it with startRestore into another database,
 * compare fingerprints. Failures midway, cancel, and where the password is (not).
 */

type PgProfile = Extract<ProfileConfig, { engine: 'postgres' }>
type MyProfile = Extract<ProfileConfig, { engine: 'mysql' }>
type LiteProfile = Extract<ProfileConfig, { engine: 'sqlite' }>

const dirs = tempDirs()
afterAll(() => dirs.cleanup())
const timings: string[] = []
afterAll(() => console.log(`[restore timings] ${timings.join('; ')}`))

/** Feeds `file` to a started restore and waits for the tool's verdict. */
async function restoreFrom(request: Omit<RestoreRequest, 'signal'>, file: string, label: string): Promise<void> {
  const started = performance.now()
  const running = await engineFor(request.profile.engine).startRestore({ ...request, signal: new AbortController().signal })
  try {
    const fed = pipeline(createReadStream(file), running.stdin)
    fed.catch(() => {})
    await Promise.all([fed, running.done])
  } finally {
    await running.dispose()
    timings.push(`${label} ${Math.round(performance.now() - started)} ms`)
  }
}

const failure = (p: Promise<unknown>) => p.then(() => expect.fail('expected a failure'), (e: unknown) => e)

/** Starts a restore, checks the password is nowhere in the tool's argv/environment, cancels it. */
async function cancelWhileRunning(request: Omit<RestoreRequest, 'signal'>, password: string | undefined): Promise<void> {
  const controller = new AbortController()
  const running = await engineFor(request.profile.engine).startRestore({ ...request, signal: controller.signal })
  const pid = running.pid as number
  expect(pid).toBeGreaterThan(0)
  running.stdin.write('-- the start of a dump\n')
  const info = await processInfo(pid)
  if (password) {
    expect(info.argv.join('\0')).not.toContain(password)
    expect(info.env.join('\0')).not.toContain(password)
  }
  expect(await readdir(request.tempDir)).not.toEqual([]) // the credential file while it runs
  controller.abort()
  const err = await failure(running.done)
  expect(err).toMatchObject({ code: 'CANCELLED' })
  await running.dispose()
  expect(processAlive(pid)).toBe(false)
  expect(await readdir(request.tempDir)).toEqual([])
}

describeWith('postgres', 'PostgreSQL restore (engine)', (pg) => {
  const SOURCE = 'lb restore src "ö'
  let work = ''
  let files = ''
  let source: Fingerprint
  let customFile = ''
  let plainFile = ''
  let n = 0
  const profile = (database: string): PgProfile => ({ engine: 'postgres', name: 'pg', tag: null, host: pg.host, port: pg.port, user: pg.user, database, clientBinDir: null })
  const restoreRequest = (database: string, format: BackupFormat, over: Partial<RestoreRequest> = {}): Omit<RestoreRequest, 'signal'> => ({
    profile: profile('app'),
    password: pg.password,
    database,
    format,
    dropExisting: false,
    schemaOnly: false,
    dataOnly: false,
    tables: null,
    tempDir: work,
    ...over,
  })
  const pgEngine = engineFor('postgres')
  const newDatabase = async (): Promise<string> => {
    const name = `lb restored ${++n} 'x`
    const signal = new AbortController().signal
    expect(await pgEngine.databaseExists(profile('app'), pg.password, name, signal)).toBe(false)
    await pgEngine.createDatabase(profile('app'), pg.password, name, signal)
    expect(await pgEngine.databaseExists(profile('app'), pg.password, name, signal)).toBe(true)
    return name
  }

  beforeAll(async () => {
    work = await dirs.make('lifeboat-restore-pg-')
    files = await dirs.make('lifeboat-restore-pg-files-')
    await chmod(work, 0o700)
    await psql(pg, `ALTER ROLE ${pgIdent(pg.user)} CREATEDB`)
    await createPgEdgeDatabase(pg, SOURCE)
    source = await pgFingerprint(pg, SOURCE)
    const base = { profile: profile(SOURCE), password: pg.password, schemaOnly: false, dataOnly: false, tables: null, tempDir: work }
    customFile = join(files, `edge.dump`)
    plainFile = join(files, `edge.sql`)
    await dumpToFile({ ...base, format: 'custom' }, customFile)
    await dumpToFile({ ...base, format: 'plain' }, plainFile)
  })

  it('restores a custom-format dump into a new database losslessly', async () => {
    const target = await newDatabase()
    await restoreFrom(restoreRequest(target, 'custom'), customFile, 'pg custom')
    expect(await pgFingerprint(pg, target)).toEqual(source)
    expect(await readdir(work)).toEqual([])

    // --clean --if-exists into the now non-empty target, after changing its data.
    await psql(pg, ['DELETE FROM texts WHERE id % 2 = 0', "INSERT INTO texts (t) VALUES ('extra')"], target)
    expect(await pgFingerprint(pg, target)).not.toEqual(source)
    await restoreFrom(restoreRequest(target, 'custom', { dropExisting: true }), customFile, 'pg custom --clean')
    expect(await pgFingerprint(pg, target)).toEqual(source)
  })

  it('restores a plain dump through psql losslessly', async () => {
    const target = await newDatabase()
    await restoreFrom(restoreRequest(target, 'plain'), plainFile, 'pg plain')
    expect(await pgFingerprint(pg, target)).toEqual(source)
  })

  it('restores selected tables, schema only and data only from a custom dump', async () => {
    const target = await newDatabase()
    await restoreFrom(restoreRequest(target, 'custom', { schemaOnly: true }), customFile, 'pg schema only')
    const schemaOnly = await pgFingerprint(pg, target)
    expect(schemaOnly.tables['public.texts']?.rows).toBe(0)
    expect(schemaOnly.tables['public.texts']?.definition).toBe(source.tables['public.texts']?.definition)
    await restoreFrom(restoreRequest(target, 'custom', { dataOnly: true, tables: ['public.texts'] }), customFile, 'pg one table data')
    expect((await pgFingerprint(pg, target)).tables['public.texts']).toEqual(source.tables['public.texts'])
  })

  it('refuses options a plain dump cannot honour, before anything runs', async () => {
    for (const over of [{ dropExisting: true }, { schemaOnly: true }, { dataOnly: true }, { tables: ['public.texts'] }]) {
      const err = await failure(pgEngine.startRestore({ ...restoreRequest('app', 'plain', over), signal: new AbortController().signal }))
      expect(err).toMatchObject({ code: 'VALIDATION' })
      expect(String((err as Error).message)).toMatch(/custom-format backup/)
    }
    expect(await readdir(work)).toEqual([])
  })

  it('a failure midway leaves the target unchanged (one transaction)', async () => {
    const target = await newDatabase()
    await psql(pg, [`CREATE TABLE before_restore (x int)`, 'INSERT INTO before_restore VALUES (1), (2)'], target)
    await psql(pg, `ALTER TABLE before_restore OWNER TO ${pgIdent(pg.user)}`, target)
    const before = await pgFingerprint(pg, target)

    const badPlain = join(files, `bad.sql`)
    await writeFile(badPlain, await readFile(plainFile))
    await appendFile(badPlain, '\nSELECT 1/0;\n')
    const err = await failure(restoreFrom(restoreRequest(target, 'plain'), badPlain, 'pg plain failing'))
    expect(err).toMatchObject({ code: 'RESTORE_FAILED' })
    expect((err as Error).message).toMatch(/^psql failed \(exit \d+\): .*division by zero/s)
    expect(await pgFingerprint(pg, target)).toEqual(before)

    const truncated = join(files, `truncated.dump`)
    await writeFile(truncated, await readFile(customFile))
    await truncate(truncated, Math.floor((await stat(customFile)).size * 0.7))
    const err2 = await failure(restoreFrom(restoreRequest(target, 'custom', { dropExisting: true }), truncated, 'pg custom truncated'))
    expect(err2).toMatchObject({ code: 'RESTORE_FAILED' })
    expect((err2 as Error).message).toMatch(/^pg_restore failed \(exit \d+\)/)
    expect(await pgFingerprint(pg, target)).toEqual(before)
    expect(await readdir(work)).toEqual([])
  })

  it('input that breaks off midway is not committed', async () => {
    const target = await newDatabase()
    const before = await pgFingerprint(pg, target)
    const running = await pgEngine.startRestore({ ...restoreRequest(target, 'plain'), signal: new AbortController().signal })
    const sql = await readFile(plainFile)
    // Everything but the last statements (the tool would commit on end-of-input), then the source fails.
    running.stdin.write(sql.subarray(0, Math.floor(sql.length * 0.9)))
    running.stdin.destroy(new Error('decompression failed'))
    const err = await failure(running.done)
    expect((err as Error).message).toMatch(/decompression failed/)
    await running.dispose()
    expect(await pgFingerprint(pg, target)).toEqual(before)
  })

  it('cancel kills the tool and removes the password file; the password is never in argv or environ', async () => {
    const target = await newDatabase()
    await cancelWhileRunning(restoreRequest(target, 'custom'), pg.password)
    await cancelWhileRunning(restoreRequest(target, 'plain'), pg.password)
  })

  it('shows the commands without secrets', async () => {
    const commands = await pgEngine.restoreCommands({ ...restoreRequest('app', 'custom', { dropExisting: true, tables: ['public.texts'] }), password: pg.password })
    expect(commands).toHaveLength(1)
    expect(commands[0]).toMatch(/^PGPASSFILE=<0600 credentials file> \/\S+\/pg_restore -w -h 127\.0\.0\.1 .* --no-owner --no-privileges --exit-on-error --single-transaction --clean --if-exists -n public -t texts/)
    expect(commands[0]).not.toContain(pg.password)
  })

  it('a missing target database or a wrong password is refused before anything runs', async () => {
    const signal = new AbortController().signal
    expect(await failure(pgEngine.startRestore({ ...restoreRequest('no such db', 'custom'), signal }))).toMatchObject({ code: 'UNKNOWN_DATABASE' })
    expect(await failure(pgEngine.startRestore({ ...restoreRequest('app', 'custom'), password: 'wrong', signal }))).toMatchObject({ code: 'AUTH_FAILED' })
    expect(await readdir(work)).toEqual([])
  })
})

describeWith('mariadb', 'MariaDB restore (engine)', (m) => {
  const SOURCE = 'lbr-src ü'
  let work = ''
  let files = ''
  let source: Fingerprint
  let dumpFile = ''
  let n = 0
  const profile = (database: string, over: Partial<MyProfile> = {}): MyProfile => ({
    engine: 'mysql',
    name: 'mdb',
    tag: null,
    host: m.host,
    port: m.port,
    user: m.user,
    database,
    clientBinDir: null,
    ...over,
  })
  const restoreRequest = (database: string, over: Partial<RestoreRequest> = {}): Omit<RestoreRequest, 'signal'> => ({
    profile: profile(m.database),
    password: m.password,
    database,
    format: 'plain',
    dropExisting: false,
    schemaOnly: false,
    dataOnly: false,
    tables: null,
    tempDir: work,
    ...over,
  })
  const myEngine = engineFor('mysql')
  const newDatabase = async (): Promise<string> => {
    const name = `lbr-${++n} ö`
    await myEngine.createDatabase(profile(m.database), m.password, name, new AbortController().signal)
    expect(await myEngine.databaseExists(profile(m.database), m.password, name, new AbortController().signal)).toBe(true)
    return name
  }

  beforeAll(async () => {
    work = await dirs.make('lifeboat-restore-my-')
    files = await dirs.make('lifeboat-restore-my-files-')
    await chmod(work, 0o700)
    // The non-SUPER app user may create and fill databases named lbr...
    await mariadbSql(m, `GRANT ALL ON \`lbr%\`.* TO '${m.user}'@'127.0.0.1'`)
    await createMariadbEdgeDatabase(m, SOURCE)
    source = await mariadbFingerprint(m, SOURCE)
    dumpFile = join(files, 'edge.sql')
    await dumpToFile({ profile: profile(SOURCE), password: m.password, format: 'plain', schemaOnly: false, dataOnly: false, tables: null, tempDir: work }, dumpFile)
  })

  it('restores a dump into a new database losslessly, and again over it', async () => {
    const target = await newDatabase()
    await restoreFrom(restoreRequest(target), dumpFile, 'mariadb')
    expect(await mariadbFingerprint(m, target)).toEqual(source)
    expect(await readdir(work)).toEqual([])
    await mariadbSql(m, 'CREATE TABLE extra_table (x INT); DELETE FROM texts WHERE id % 2 = 0', target)
    await restoreFrom(restoreRequest(target, { dropExisting: true }), dumpFile, 'mariadb drop existing')
    expect(await mariadbFingerprint(m, target)).toEqual(source)
  })

  it('restores views, routines, triggers and events defined by root as the non-SUPER app user', async () => {
    const rootDb = 'lbr-root ü'
    const q = myIdent(rootDb)
    await mariadbSql(m, `DROP DATABASE IF EXISTS ${q}; CREATE DATABASE ${q}`)
    await mariadbSql(
      m,
      [
        'CREATE TABLE t (id INT PRIMARY KEY, v TEXT)',
        "INSERT INTO t VALUES (1, 'CREATE DEFINER=`root`@`localhost` VIEW x'), (2, '/*!50013 DEFINER=`root`@`%` SQL SECURITY DEFINER */')",
        'CREATE DEFINER=root@localhost VIEW v AS SELECT id FROM t',
        'CREATE DEFINER=root@localhost SQL SECURITY INVOKER VIEW vi AS SELECT v FROM t',
        "CREATE DEFINER=root@localhost PROCEDURE p() SELECT 'DEFINER=`root`@`localhost`'",
        'CREATE DEFINER=root@localhost FUNCTION f() RETURNS INT DETERMINISTIC RETURN 42',
        'CREATE DEFINER=root@localhost TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.v = UPPER(NEW.v)',
        'CREATE DEFINER=root@localhost EVENT e ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM t WHERE id < 0',
      ].join(';\n'),
      rootDb,
    )
    const file = join(files, `root.sql`)
    await dumpToFile({ profile: profile(rootDb, { host: m.socket, user: 'root' }), password: undefined, format: 'plain', schemaOnly: false, dataOnly: false, tables: null, tempDir: work }, file)
    expect(await readFile(file, 'utf8')).toMatch(/DEFINER=`root`@`localhost`/)
    const target = await newDatabase()
    await restoreFrom(restoreRequest(target), file, 'mariadb definer')
    const definers = await mariadbSql(
      m,
      `SELECT DEFINER FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '${target}' UNION ALL SELECT DEFINER FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '${target}'
       UNION ALL SELECT DEFINER FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '${target}' UNION ALL SELECT DEFINER FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '${target}'`,
    )
    expect(definers.split('\n')).toEqual(Array(6).fill(`${m.user}@127.0.0.1`))
    expect(await mariadbSql(m, `SELECT SECURITY_TYPE FROM information_schema.VIEWS WHERE TABLE_SCHEMA = '${target}' ORDER BY TABLE_NAME`)).toBe('DEFINER\nINVOKER')
    // The data that looks like DEFINER clauses came through untouched.
    expect(await mariadbSql(m, 'SELECT v FROM t ORDER BY id', target)).toBe("CREATE DEFINER=`root`@`localhost` VIEW x\n/*!50013 DEFINER=`root`@`%` SQL SECURITY DEFINER */")
    expect(await mariadbSql(m, 'SELECT f()', target)).toBe('42')
  })

  it('refuses options a dump cannot honour at restore time', async () => {
    for (const over of [{ schemaOnly: true }, { dataOnly: true }, { tables: ['texts'] }]) {
      expect(await failure(myEngine.startRestore({ ...restoreRequest(m.database, over), signal: new AbortController().signal }))).toMatchObject({ code: 'VALIDATION' })
    }
  })

  it('a failing statement fails the restore with the client stderr', async () => {
    const target = await newDatabase()
    const bad = join(files, `bad.sql`)
    await writeFile(bad, 'CREATE TABLE ok1 (x INT);\nSELECT * FROM no_such_table;\n')
    const err = await failure(restoreFrom(restoreRequest(target), bad, 'mariadb failing'))
    expect(err).toMatchObject({ code: 'RESTORE_FAILED' })
    expect((err as Error).message).toMatch(/^mariadb failed \(exit 1\): .*ERROR 1146/s)
    expect(await readdir(work)).toEqual([])
  })

  it('cancel kills the client and removes the option file; the password is never in argv or environ', async () => {
    const target = await newDatabase()
    await cancelWhileRunning(restoreRequest(target), m.password)
  })

  it('shows the commands without secrets', async () => {
    const [command] = await myEngine.restoreCommands({ ...restoreRequest('-lbr x'), password: m.password })
    expect(command).toMatch(/^\/\S+\/mariadb --defaults-extra-file=<0600 credentials file> --default-character-set=utf8mb4 --binary-mode -- '-lbr x' < backup/)
    expect(command).not.toContain(m.password)
  })
})

describe('SQLite restore (engine)', () => {
  let work = ''
  let dir = ''
  let sourceFile = ''
  let source: Fingerprint
  let fileDump = ''
  let sqlDump = ''
  const profile = (file: string): LiteProfile => ({ engine: 'sqlite', name: 'lite', tag: null, file })
  const restoreRequest = (database: string, format: BackupFormat, over: Partial<RestoreRequest> = {}): Omit<RestoreRequest, 'signal'> => ({
    profile: profile(database),
    password: undefined,
    database,
    format,
    dropExisting: false,
    schemaOnly: false,
    dataOnly: false,
    tables: null,
    tempDir: work,
    ...over,
  })
  const leftovers = async () => (await readdir(dir)).filter((f) => f.includes('.restore-'))

  beforeAll(async () => {
    work = await dirs.make('lifeboat-restore-lite-')
    await chmod(work, 0o700)
    dir = await dirs.make('lifeboat-restore-lite-db-')
    sourceFile = join(dir, 'source.sqlite')
    createSqliteEdgeDatabase(sourceFile)
    source = sqliteFingerprint(sourceFile)
    fileDump = join(dir, 'dump.sqlite-backup')
    sqlDump = join(dir, 'dump.sql')
    const base = { profile: profile(sourceFile), password: undefined, schemaOnly: false, dataOnly: false, tables: null, tempDir: work }
    await dumpToFile({ ...base, format: 'sqlite' }, fileDump)
    await dumpToFile({ ...base, format: 'plain' }, sqlDump)
  })

  it('restores both formats into a new file and over an existing one, losslessly', async () => {
    const lite = engineFor('sqlite')
    for (const [format, file] of [['sqlite', fileDump], ['plain', sqlDump]] as const) {
      const target = join(dir, `new-${format} 'ü.sqlite`)
      expect(await lite.databaseExists(profile(target), undefined, target, new AbortController().signal)).toBe(false)
      await restoreFrom(restoreRequest(target, format), file, `sqlite ${format}`)
      expect(sqliteFingerprint(target)).toEqual(source)
      expect((await stat(target)).mode & 0o777).toBe(0o600)

      const existing = join(dir, `existing-${format}.sqlite`)
      createSqliteEdgeDatabase(existing, { journalMode: 'wal' })
      await restoreFrom(restoreRequest(existing, format), file, `sqlite ${format} over WAL db`)
      expect(sqliteFingerprint(existing)).toEqual(source)
      expect((await readdir(dir)).filter((f) => f.startsWith(`existing-${format}.sqlite-`))).toEqual([]) // no stale -wal/-shm
    }
    expect(await leftovers()).toEqual([])
    expect(await readdir(work)).toEqual([])
  })

  it('a failure at any point leaves the target untouched and removes the temp file', async () => {
    const target = join(dir, 'target.sqlite')
    createSqliteEdgeDatabase(target)
    addTable(target)
    const before = await readFile(target)

    const badSql = join(dir, 'bad.sql')
    await writeFile(badSql, `${await readFile(sqlDump, 'utf8')}\nINSERT INTO no_such_table VALUES (1);\n`)
    const err = await failure(restoreFrom(restoreRequest(target, 'plain'), badSql, 'sqlite plain failing'))
    expect(err).toMatchObject({ code: 'RESTORE_FAILED' })
    expect((err as Error).message).toMatch(/^sqlite3 failed \(exit 1\): .*no such table/s)

    const truncated = join(dir, 'truncated.sqlite-backup')
    await writeFile(truncated, (await readFile(fileDump)).subarray(0, Math.floor((await stat(fileDump)).size / 2)))
    const err2 = await failure(restoreFrom(restoreRequest(target, 'sqlite'), truncated, 'sqlite truncated'))
    expect(err2).toMatchObject({ code: 'RESTORE_FAILED' })
    expect((err2 as Error).message).toMatch(/integrity_check|malformed|not a database/)

    const notDb = join(dir, 'not-a-db')
    await writeFile(notDb, 'hello, this is not a database at all'.repeat(200))
    expect(await failure(restoreFrom(restoreRequest(target, 'sqlite'), notDb, 'sqlite not a db'))).toMatchObject({ code: 'RESTORE_FAILED' })

    expect((await readFile(target)).equals(before)).toBe(true)
    expect(await leftovers()).toEqual([])
  })

  it('input that breaks off is never swapped in', async () => {
    const target = join(dir, 'broken-off.sqlite')
    createSqliteEdgeDatabase(target)
    const before = await readFile(target)
    for (const format of ['sqlite', 'plain'] as const) {
      const running = await engineFor('sqlite').startRestore({ ...restoreRequest(target, format), signal: new AbortController().signal })
      running.stdin.write(await readFile(format === 'sqlite' ? fileDump : sqlDump))
      running.stdin.destroy(new Error('decryption failed'))
      expect(((await failure(running.done)) as Error).message).toMatch(/decryption failed/)
      await running.dispose()
    }
    expect((await readFile(target)).equals(before)).toBe(true)
    expect(await leftovers()).toEqual([])
  })

  it('cancel kills sqlite3 and removes the temp file', async () => {
    const target = join(dir, 'cancelled.sqlite')
    await cancelWhileRunning(restoreRequest(target, 'plain'), undefined)
    expect(await leftovers()).toEqual([])
    const controller = new AbortController()
    const running = await engineFor('sqlite').startRestore({ ...restoreRequest(target, 'sqlite'), signal: controller.signal })
    running.stdin.write(Buffer.alloc(4096))
    controller.abort()
    expect(await failure(running.done)).toMatchObject({ code: 'CANCELLED' })
    await running.dispose()
    expect(await leftovers()).toEqual([])
    await expect(stat(target)).rejects.toThrow()
  })

  it('refuses what an SQLite backup cannot do and names the commands', async () => {
    const lite = engineFor('sqlite')
    const target = join(dir, 'x.sqlite')
    for (const over of [{ schemaOnly: true }, { tables: ['t'] }]) {
      expect(await failure(lite.startRestore({ ...restoreRequest(target, 'sqlite', over), signal: new AbortController().signal }))).toMatchObject({ code: 'VALIDATION' })
    }
    expect(await failure(lite.startRestore({ ...restoreRequest('relative.sqlite', 'sqlite'), signal: new AbortController().signal }))).toMatchObject({ code: 'VALIDATION' })
    const err = await failure(lite.startRestore({ ...restoreRequest(target, 'plain'), tools: { toolPath: '', searchWellKnownDirs: false }, signal: new AbortController().signal }))
    expect(err).toMatchObject({ code: 'TOOL_MISSING' })
    expect(isAppError(err) && err.message).toMatch(/sqlite3/)
    const commands = await lite.restoreCommands(restoreRequest(target, 'plain'))
    expect(commands.join('\n')).toMatch(/sqlite3 -init '<empty init file>' -batch -bail .*\.x\.sqlite\.restore-<random>\.tmp.*\n.*integrity_check.*\nrename/)
  })
})

/** Changes a file so it differs from the edge database (the restore must not touch it on failure). */
function addTable(file: string): void {
  const db = new Database(file)
  db.exec('CREATE TABLE before_restore (x)')
  db.close()
}
