import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { chmod, readdir, readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createConnection } from 'mysql2/promise'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DumpRequest } from '../../src/main/core/engines/engine'
import { mysqlOptionFile } from '../../src/main/core/engines/mysql/dump'
import { engineFor } from '../../src/main/core/engines/registry'
import { isAppError } from '../../src/shared/errors'
import type { ProfileConfig } from '../../src/shared/model'
import type { MariadbServer } from '../support/context'
import { mariadbFingerprint, onlyTables, type Fingerprint } from '../support/fingerprint'
import { dumpToFile, firstChunk, fixturesUnavailable, loadChinookMariadb, loadSakila, processAlive, processInfo, runWithStdin } from '../support/fixtures'
import { createMariadbEdgeDatabase, myIdent } from '../support/generated-data'
import { tempDirs } from '../support/probe-fixtures'
import { findBinary } from '../support/processes'
import { describeWith } from '../support/skip'

type MysqlProfile = Extract<ProfileConfig, { engine: 'mysql' }>

/** Starts with "-" (only "--" keeps it from being an option), has a space and a non-ASCII letter. */
const EDGE_DB = '-lb edge ü'
const BIG_DB = 'lb big'

describeWith('mariadb', 'MariaDB dump', (m) => {
  const dirs = tempDirs()
  const timings: string[] = []
  const errors: string[] = []
  let work = ''
  let source: Fingerprint
  const profile = (over: Partial<MysqlProfile> = {}): MysqlProfile => ({
    engine: 'mysql',
    name: 'mdb',
    tag: null,
    host: m.host,
    port: m.port,
    user: m.user,
    database: EDGE_DB,
    clientBinDir: null,
    ...over,
  })
  const request = (over: Partial<DumpRequest> = {}): Omit<DumpRequest, 'signal'> => ({
    profile: profile(),
    password: m.password,
    format: 'plain',
    schemaOnly: false,
    dataOnly: false,
    tables: null,
    tempDir: work,
    ...over,
  })
  const expectFailure = async (over: Partial<DumpRequest>, expected: Record<string, unknown>) => {
    const err = await engineFor('mysql')
      .startDump({ ...request(over), signal: new AbortController().signal })
      .then(() => null, (e: unknown) => e)
    expect(err).toMatchObject(expected)
    if (isAppError(err)) errors.push(err.message)
    expect(await readdir(work)).toEqual([])
  }

  beforeAll(async () => {
    work = await dirs.make('lifeboat-mdb-tmp-')
    await chmod(work, 0o700)
    await createMariadbEdgeDatabase(m, EDGE_DB)
    source = await mariadbFingerprint(m, EDGE_DB)
  })
  afterAll(async () => {
    await dirs.cleanup()
    console.log(`[dump timings] mariadb: ${timings.join('; ')}`)
  })

  it('the edge database has what it should (a sanity check of the generator)', () => {
    expect(source.tables.bytes?.rows).toBe(259)
    expect(source.sequences['texts.AUTO_INCREMENT']).toBe('987654')
    expect(source.sequences['ai_gap.AUTO_INCREMENT']).toBe('6')
    expect(source.objects.events).toHaveLength(2)
    expect(source.objects.routines).toHaveLength(2)
    expect(source.objects.triggers).toHaveLength(2)
    expect(source.objects.views).toHaveLength(2)
  })

  it('restores with the stock client to identical data; the password never reaches argv or env', async () => {
    const dir = await dirs.make()
    const file = join(dir, 'edge.sql')
    process.env.MYSQL_PWD = m.password // must not be handed down
    const dump = await engineFor('mysql').startDump({ ...request(), signal: new AbortController().signal })
    delete process.env.MYSQL_PWD
    try {
      const { argv, env } = await processInfo(dump.pid as number)
      expect(argv.join(' ')).not.toContain(m.password)
      expect(env.join('\n')).not.toContain(m.password)
      const cnf = argv[1]?.replace('--defaults-extra-file=', '') ?? ''
      expect(argv[1]).toBe(`--defaults-extra-file=${cnf}`)
      expect(cnf.startsWith(`${work}/`)).toBe(true)
      expect((await stat(cnf)).mode & 0o777).toBe(0o600)
      expect(await readFile(cnf, 'utf8')).toBe(mysqlOptionFile(profile(), m.password))
      expect(argv.slice(-2)).toEqual(['--', EDGE_DB])
      await pipeline(dump.stdout, createWriteStream(file))
      await dump.done
    } finally {
      await dump.dispose()
    }
    expect(await readdir(work)).toEqual([])
    expect(dump.info.toolName).toMatch(/^(mariadb-dump|mysqldump)$/)
    expect(dump.info.serverVersion).toMatch(/^MariaDB 10\./)
    expect(dump.info.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['Odd Table.ü ß', 'UPPER', 'upper', '-starts with dash']))
    expect(dump.info.estimatedBytes).toBeGreaterThan(1_000_000)
    const sql = await readFile(file, 'utf8')
    expect(sql).not.toMatch(/CREATE DATABASE|^USE /m) // restores into any database

    const started = performance.now()
    const restored = await restore(m, file)
    timings.push(`edge restore ${Math.round(performance.now() - started)} ms`)
    expect(await mariadbFingerprint(m, restored)).toEqual(source)
  })

  it('schema only: every definition, routine, trigger, event and view, no rows', async () => {
    const dir = await dirs.make()
    const r = await dumpToFile(request({ schemaOnly: true }), join(dir, 'schema.sql'))
    expect(r.info.estimatedBytes).toBeNull()
    const fp = await mariadbFingerprint(m, await restore(m, join(dir, 'schema.sql')))
    expect(fp.objects).toEqual(source.objects)
    expect(Object.keys(fp.tables).sort()).toEqual(Object.keys(source.tables).sort())
    for (const [name, t] of Object.entries(fp.tables)) {
      expect(t.rows, name).toBe(0)
      expect(t.definition, name).toBe(source.tables[name]?.definition)
    }
  })

  it('data only: loads into the schema (triggers dropped) and gives the same rows; no routines or events in it', async () => {
    const dir = await dirs.make()
    await dumpToFile(request({ schemaOnly: true }), join(dir, 'schema.sql'))
    const r = await dumpToFile(request({ dataOnly: true }), join(dir, 'data.sql'))
    const sql = await readFile(join(dir, 'data.sql'), 'utf8')
    expect(sql).not.toMatch(/CREATE (TABLE|TRIGGER|PROCEDURE|FUNCTION|EVENT)|DEFINER/)
    const target = await restore(m, join(dir, 'schema.sql'))
    // Triggers would fire on the INSERTs (MariaDB cannot switch them off for a load).
    await rootSql(m, `DROP TRIGGER ${myIdent(target)}.audited_bi; DROP TRIGGER ${myIdent(target)}.\`audited ai\``)
    await restore(m, join(dir, 'data.sql'), target)
    const fp = await mariadbFingerprint(m, target)
    expect(fp.tables).toEqual(source.tables)
    expect(fp.sequences).toEqual(source.sequences)
    expect(r.info.tables.length).toBe(Object.keys(source.tables).length)
  })

  it('selected tables with odd names: exactly those, with their triggers, without routines or events', async () => {
    const dir = await dirs.make()
    const tables = ['Odd Table.ü ß', 'UPPER', '-starts with dash', 'bytes', 'audited', 'audit_log']
    const r = await dumpToFile(request({ tables }), join(dir, 'some.sql'))
    expect(r.info.tables.map((t) => t.name).sort()).toEqual([...tables].sort())
    const sql = await readFile(join(dir, 'some.sql'), 'utf8')
    expect(sql).not.toMatch(/CREATE[^\n]*(PROCEDURE|FUNCTION|EVENT)/)
    const fp = await mariadbFingerprint(m, await restore(m, join(dir, 'some.sql')))
    expect(fp.tables).toEqual(onlyTables(source, tables))
    expect(fp.objects.triggers).toEqual(source.objects.triggers)
    expect(fp.objects.routines).toEqual([])
    expect(fp.objects.events).toEqual([])
    expect(fp.sequences['audit_log.AUTO_INCREMENT']).toBe(source.sequences['audit_log.AUTO_INCREMENT'])
  })

  it('listTables: base tables with row estimates (no views or sequences)', async () => {
    const tables = await engineFor('mysql').listTables(profile(), m.password, new AbortController().signal)
    const names = tables.map((t) => t.name)
    expect(names).toEqual(expect.arrayContaining(['UPPER', 'upper', 'Odd Table.ü ß', 'engine_myisam']))
    expect(names).not.toContain('v odd')
    expect(names).not.toContain('seq_odd')
    expect(tables.find((t) => t.name === 'engine_myisam')?.rows).toBe(2)
  })

  it('wrong password: AUTH_FAILED before any byte or file', async () => {
    await expectFailure({ password: 'not the password' }, { code: 'AUTH_FAILED', field: 'password', message: expect.stringContaining(`127.0.0.1:${m.port}`) })
  })

  it('no dump tool anywhere: TOOL_MISSING', async () => {
    const empty = await dirs.make()
    await expectFailure({ profile: profile({ clientBinDir: empty }), tools: { toolPath: '', searchWellKnownDirs: false } }, { code: 'TOOL_MISSING', field: 'clientBinDir' })
  })

  it('an unknown table or a format other than plain: VALIDATION', async () => {
    await expectFailure({ tables: ['nope', 'upper'] }, { code: 'VALIDATION', field: 'tables', message: 'no such table: nope' })
    await expectFailure({ format: 'custom' }, { code: 'VALIDATION', field: 'format' })
  })

  describe('a dump that is interrupted', () => {
    beforeAll(async () => {
      await rootSql(m, `CREATE DATABASE ${myIdent(BIG_DB)}; GRANT ALL ON ${myIdent(BIG_DB)}.* TO '${m.user}'@'127.0.0.1';
        CREATE TABLE ${myIdent(BIG_DB)}.big (id INT PRIMARY KEY, v TEXT);
        INSERT INTO ${myIdent(BIG_DB)}.big SELECT seq, REPEAT(MD5(seq), 4) FROM ${myIdent(BIG_DB)}.seq_1_to_300000`)
    })
    const big = () => request({ profile: profile({ database: BIG_DB }) })

    it('the server kills the connection mid-dump: done rejects DUMP_FAILED with the tool’s reason', async () => {
      const dump = await engineFor('mysql').startDump({ ...big(), signal: new AbortController().signal })
      try {
        await firstChunk(dump.stdout)
        const ids = await rootSql(m, `SELECT ID FROM information_schema.PROCESSLIST WHERE USER = '${m.user}' AND DB = '${BIG_DB}'`)
        expect(ids.split('\n').filter(Boolean)).toHaveLength(1)
        await rootSql(m, `KILL ${ids.trim()}`)
        dump.stdout.resume()
        const err = await dump.done.then(() => null, (e: unknown) => e)
        expect(err).toMatchObject({ code: 'DUMP_FAILED', message: expect.stringMatching(/^(mariadb-dump|mysqldump) failed \(exit \d+\): /) })
        expect((err as Error).message).toMatch(/Lost connection|server has gone away|Error 2013|Error 2006|Query execution was interrupted/)
        errors.push((err as Error).message)
      } finally {
        await dump.dispose()
      }
      expect(await readdir(work)).toEqual([])
    })

    it('cancel through the signal: the tool is killed, done rejects CANCELLED, temp files go', async () => {
      const controller = new AbortController()
      const dump = await engineFor('mysql').startDump({ ...big(), signal: controller.signal })
      const pid = dump.pid as number
      await firstChunk(dump.stdout)
      expect(processAlive(pid)).toBe(true)
      expect((await readdir(work)).length).toBe(1) // the option file
      controller.abort()
      await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' })
      expect(processAlive(pid)).toBe(false)
      await dump.dispose()
      expect(await readdir(work)).toEqual([])
    })
  })

  it('never puts the password into an error message', () => {
    expect(errors.length).toBeGreaterThanOrEqual(4)
    for (const msg of errors) expect(msg).not.toContain(m.password)
    console.log(`[dump errors] mariadb:\n${errors.map((e) => `  ${e.slice(0, 300)}`).join('\n')}`)
  })

  describe('fixtures', () => {
    const unavailable = fixturesUnavailable()
    // root over the unix socket (socket authentication): exercises socket= in the option file
    const rootOverSocket = (database: string) => request({ profile: profile({ host: m.socket, user: 'root', database }), password: undefined })
    for (const [label, load, rowsExpected] of [
      ['sakila', loadSakila, 47_273],
      ['Chinook', loadChinookMariadb, 15_607],
    ] as const) {
      it.skipIf(unavailable !== null)(`${label}: the dump restores to identical data${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
        let t = performance.now()
        const database = await load(m)
        const loadMs = Math.round(performance.now() - t)
        const original = await mariadbFingerprint(m, database)
        expect(Object.values(original.tables).reduce((n, x) => n + x.rows, 0)).toBe(rowsExpected)
        const dir = await dirs.make()
        const r = await dumpToFile(rootOverSocket(database), join(dir, 'db.sql'))
        t = performance.now()
        const restored = await restore(m, join(dir, 'db.sql'))
        const restoreMs = Math.round(performance.now() - t)
        expect(await mariadbFingerprint(m, restored)).toEqual(original)
        timings.push(`${label} (${rowsExpected} rows, load ${loadMs} ms): dump ${r.ms} ms ${r.bytes} B + restore ${restoreMs} ms; estimate ${r.info.estimatedBytes} B`)
      })
    }
  })
})

// ---------------------------------------------------------------------------------------------

async function rootSql(m: MariadbServer, sql: string): Promise<string> {
  const conn = await createConnection({ socketPath: m.socket, user: 'root', charset: 'utf8mb4', multipleStatements: true, rowsAsArray: true })
  try {
    const [result] = await conn.query(sql)
    return Array.isArray(result) ? (result as unknown[][]).map((r) => (Array.isArray(r) ? r.join('\t') : '')).join('\n') : ''
  } finally {
    await conn.end()
  }
}

/** The stock client, as root over the socket, into a new database (or `into`). */
async function restore(m: MariadbServer, file: string, into?: string): Promise<string> {
  const database = into ?? `restored ${randomBytes(4).toString('hex')}`
  // The same users exist here as at the source, so DEFINER clauses (user app) stay valid.
  if (!into) await rootSql(m, `CREATE DATABASE ${myIdent(database)}; GRANT ALL ON ${myIdent(database)}.* TO '${m.user}'@'127.0.0.1'`)
  const client = (await findBinary('mariadb')) ?? (await findBinary('mysql'))
  if (!client) throw new Error('the mariadb client is not installed')
  await runWithStdin(client, ['--no-defaults', '--default-character-set=utf8mb4', `--socket=${m.socket}`, '-uroot', '--', database], file)
  return database
}
