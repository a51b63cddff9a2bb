import { randomBytes } from 'node:crypto'
import { chmod, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DumpRequest } from '../../src/main/core/engines/engine'
import { pgConninfoDbname, pgpassLine } from '../../src/main/core/engines/postgres/dump'
import { formatPgTableName, parsePgTableName } from '../../src/main/core/engines/postgres/tables'
import { engineFor } from '../../src/main/core/engines/registry'
import { pgMajorOf } from '../../src/main/core/engines/client-tools'
import { isAppError } from '../../src/shared/errors'
import type { ProfileConfig } from '../../src/shared/model'
import type { PostgresServer } from '../support/context'
import { onlyTables, pgFingerprint, type Fingerprint } from '../support/fingerprint'
import { dumpToFile, firstChunk, fixturesUnavailable, loadChinookPostgres, loadPagila, processAlive, processInfo } from '../support/fixtures'
import { createPgEdgeDatabase, pgIdent, withPg } from '../support/generated-data'
import { tempDirs } from '../support/probe-fixtures'
import { run } from '../support/processes'
import { describeWith } from '../support/skip'

type PgProfile = Extract<ProfileConfig, { engine: 'postgres' }>

/** libpq would read this name as a URI and as a conninfo string; -d dbname='...' keeps it literal. */
const EDGE_DB = `postgresql://lb edge=1 'ö"`
const BIG_DB = 'lb big'

describe('PostgreSQL table names', () => {
  it('formats bare lower-case parts and quotes the rest, and parses them back', () => {
    const cases: Array<[string, string, string]> = [
      ['public', 'film', 'public.film'],
      ['public', 'Film.Stats', 'public."Film.Stats"'],
      ['Odd Schema.ü', 'we"ird', '"Odd Schema.ü"."we""ird"'],
      ['public', 'select', 'public.select'],
      ['public', 'ÜnïcødeTäble 😀', 'public."ÜnïcødeTäble 😀"'],
      ['s', '1x', 's."1x"'],
    ]
    for (const [schema, table, name] of cases) {
      expect(formatPgTableName(schema, table)).toBe(name)
      expect(parsePgTableName(name)).toEqual({ schema, table })
    }
    expect(parsePgTableName('film')).toEqual({ schema: null, table: 'film' })
    expect(parsePgTableName('a.b.c')).toBeNull()
    expect(parsePgTableName('"unterminated')).toBeNull()
    expect(parsePgTableName('a.')).toBeNull()
  })

  it('quotes credentials and database names for libpq', () => {
    expect(pgConninfoDbname(`it's \\ x=y`)).toBe(`dbname='it\\'s \\\\ x=y'`)
    expect(pgpassLine('u:1', 'p\\:w')).toBe('*:*:*:u\\:1:p\\\\\\:w\n')
    expect(() => pgpassLine('u', 'a\nb')).toThrow(/line break/)
  })
})

describeWith('postgres', 'PostgreSQL dump', (pg) => {
  const dirs = tempDirs()
  const timings: string[] = []
  const errors: string[] = []
  let work = ''
  let source: Fingerprint
  const profile = (over: Partial<PgProfile> = {}): PgProfile => ({
    engine: 'postgres',
    name: 'pg',
    tag: null,
    host: pg.host,
    port: pg.port,
    user: pg.user,
    database: EDGE_DB,
    clientBinDir: null,
    ...over,
  })
  const request = (over: Partial<DumpRequest> = {}): Omit<DumpRequest, 'signal'> => ({
    profile: profile(),
    password: pg.password,
    format: 'custom',
    schemaOnly: false,
    dataOnly: false,
    tables: null,
    tempDir: work,
    ...over,
  })
  const expectFailure = async (over: Partial<DumpRequest>, expected: Record<string, unknown>) => {
    const err = await engineFor('postgres')
      .startDump({ ...request(over), signal: new AbortController().signal })
      .then(() => null, (e: unknown) => e)
    expect(err).toMatchObject(expected)
    if (isAppError(err)) errors.push(err.message)
    expect(await readdir(work)).toEqual([]) // nothing written, not even the password file
  }

  beforeAll(async () => {
    work = await dirs.make('lifeboat-pg-tmp-')
    await chmod(work, 0o700)
    await createPgEdgeDatabase(pg, EDGE_DB)
    source = await pgFingerprint(pg, EDGE_DB)
  })
  afterAll(async () => {
    await dirs.cleanup()
    console.log(`[dump timings] postgres: ${timings.join('; ')}`)
  })

  it('the edge database has what it should (a sanity check of the generator)', () => {
    expect(source.tables['public.bytes']?.rows).toBe(259)
    expect(source.tables['public.measurements_default']?.rows).toBeGreaterThan(0)
    expect(source.tables['public.mv_unpopulated']?.definition).toContain('populated false')
    expect(source.objects.largeObjects).toHaveLength(3)
    expect(source.sequences['public.odd_seq']).toMatch(/^1234567890123 true/)
  })

  it('custom format restores with pg_restore to identical data; the password never reaches argv or env', async () => {
    const dir = await dirs.make()
    const file = join(dir, 'edge.dump')
    // A stray PGPASSWORD in our own environment must not be handed down either.
    process.env.PGPASSWORD = pg.password
    const dump = await engineFor('postgres').startDump({ ...request(), signal: new AbortController().signal })
    delete process.env.PGPASSWORD
    try {
      expect(dump.pid).toBeGreaterThan(0)
      const { argv, env } = await processInfo(dump.pid as number)
      expect(argv.join(' ')).not.toContain(pg.password)
      expect(env.join('\n')).not.toContain(pg.password)
      expect(env.filter((e) => e.startsWith('PGPASSWORD='))).toEqual([])
      expect(argv).toContain('-w')
      expect(argv).toContain('-Fc')
      expect(argv).toContain('-Z0')
      expect(argv[argv.indexOf('-d') + 1]).toBe(pgConninfoDbname(EDGE_DB))
      const passfile = env.find((e) => e.startsWith('PGPASSFILE='))?.slice('PGPASSFILE='.length) ?? ''
      expect(passfile.startsWith(`${work}/`)).toBe(true)
      expect((await stat(passfile)).mode & 0o777).toBe(0o600)
      expect(await readFile(passfile, 'utf8')).toBe(pgpassLine(pg.user, pg.password))
      const { pipeline } = await import('node:stream/promises')
      const { createWriteStream } = await import('node:fs')
      await pipeline(dump.stdout, createWriteStream(file))
      await dump.done
    } finally {
      await dump.dispose()
    }
    expect(await readdir(work)).toEqual([]) // password file removed
    expect((await readFile(file)).subarray(0, 5).toString()).toBe('PGDMP')

    expect(dump.info.toolName).toBe('pg_dump')
    expect(pgMajorOf(dump.info.toolVersion)?.key).toBeGreaterThanOrEqual(pgMajorOf(pg.version)?.key ?? Infinity)
    expect(dump.info.serverVersion).toBe(pg.version)
    expect(dump.info.estimatedBytes).toBeGreaterThan(1_000_000)
    const names = dump.info.tables.map((t) => t.name)
    expect(names).toContain('"Odd Schema.ü"."Film.Stats"')
    expect(names).toContain('public."UPPER"')
    expect(names).toContain('public.upper')
    expect(names).toContain('public."measurements_2025_Köln"')

    const started = performance.now()
    const restored = await restoreCustom(pg, file)
    timings.push(`edge custom restore ${Math.round(performance.now() - started)} ms`)
    expect(await pgFingerprint(pg, restored)).toEqual(source)
  })

  it('plain format restores with psql to identical data, without owners or grants', async () => {
    const dir = await dirs.make()
    const file = join(dir, 'edge.sql')
    const r = await dumpToFile(request({ format: 'plain' }), file)
    const sql = await readFile(file, 'utf8')
    expect(sql).toContain('PostgreSQL database dump')
    expect(sql).not.toMatch(/OWNER TO|^GRANT /m)
    const started = performance.now()
    const restored = await restorePlain(pg, file)
    timings.push(`edge plain ${r.ms} ms + restore ${Math.round(performance.now() - started)} ms`)
    expect(await pgFingerprint(pg, restored)).toEqual(source)
  })

  it('schema only: every definition, no rows, sequences at their start, materialised views unpopulated', async () => {
    const dir = await dirs.make()
    const r = await dumpToFile(request({ schemaOnly: true }), join(dir, 'schema.dump'))
    expect(r.info.estimatedBytes).toBeNull()
    const fp = await pgFingerprint(pg, await restoreCustom(pg, join(dir, 'schema.dump')))
    expect(Object.keys(fp.tables).sort()).toEqual(Object.keys(source.tables).sort())
    for (const [name, t] of Object.entries(fp.tables)) {
      expect(t.rows, name).toBe(0)
      expect(t.definition, name).toBe(source.tables[name]?.definition.replace('kind m persistence p populated true', 'kind m persistence p populated false'))
    }
    const { largeObjects, matviews, ...rest } = fp.objects
    const { largeObjects: _lo, matviews: sourceMatviews, ...sourceRest } = source.objects
    // Large objects are data for pg_dump 15 (schema only leaves them and their comments out).
    expect(rest).toEqual({ ...sourceRest, comments: sourceRest.comments?.filter((c) => !c.startsWith('large object')) })
    expect(largeObjects).toEqual([])
    expect(matviews).toEqual(sourceMatviews?.map((l) => l.replace('populated=true', 'populated=false')))
    for (const [name, s] of Object.entries(fp.sequences)) expect(s.split(' (')[1], name).toBe(source.sequences[name]?.split(' (')[1])
  })

  for (const format of ['custom', 'plain'] as const) {
    it(`data only (${format}): loads into the bare tables and gives the same rows, sequences and large objects`, async () => {
      const dir = await dirs.make()
      await dumpToFile(request({ schemaOnly: true }), join(dir, 'schema.dump'))
      const r = await dumpToFile(request({ dataOnly: true, format }), join(dir, `data.${format}`))
      // Tables without triggers or constraints (pre-data), as a target for the rows.
      const target = await restoreCustom(pg, join(dir, 'schema.dump'), ['--section=pre-data'])
      if (format === 'custom') await pgRestore(pg, target, join(dir, 'data.custom'))
      else await psqlFile(pg, target, join(dir, 'data.plain'))
      const fp = await pgFingerprint(pg, target)
      const rows = (f: Fingerprint) => Object.fromEntries(Object.entries(f.tables).map(([n, t]) => [n, { rows: t.rows, hash: t.hash }]))
      const { 'public.mv_counts': _mv, ...sourceRows } = rows(source)
      const { 'public.mv_counts': _mv2, ...restoredRows } = rows(fp)
      expect(restoredRows).toEqual(sourceRows)
      expect(fp.sequences).toEqual(source.sequences)
      expect(fp.objects.largeObjects).toEqual(source.objects.largeObjects)
      expect(r.info.tables.length).toBe(Object.values(source.tables).filter((t) => !t.definition.includes('kind m')).length)
    })
  }

  it('selected tables with odd identifiers: exactly those (a partitioned table with its partitions)', async () => {
    const dir = await dirs.make()
    const tables = [
      '"Odd Schema.ü"."Film.Stats"',
      'public."UPPER"',
      'public."we""ird.name"',
      'public."ÜnïcødeTäble 😀"',
      'public.select',
      'public."postgresql://not.a.uri"',
      'public.measurements',
    ]
    const r = await dumpToFile(request({ tables }), join(dir, 'some.dump'))
    const partitions = ['public.measurements_2024', 'public.measurements_2025', 'public."measurements_2025_Köln"', 'public.measurements_2025_other', 'public.measurements_default']
    expect(r.info.tables.map((t) => t.name).sort()).toEqual([...tables, ...partitions].sort())
    // pg_dump -t dumps neither schemas nor the types the tables use: the target has those already.
    const target = await createDb(pg)
    await withPg(pg, target, (c) =>
      c.query(`CREATE SCHEMA "Odd Schema.ü"; CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy 😀', 'quote''s');
        CREATE DOMAIN "Odd Schema.ü".posint AS integer CHECK (VALUE > 0); CREATE TYPE pair AS (a int, b text)`),
    )
    await pgRestore(pg, target, join(dir, 'some.dump'))
    const fp = await pgFingerprint(pg, target)
    const keys = [...tables, ...partitions].map((n) => {
      const p = parsePgTableName(n)
      return `${p?.schema}.${p?.table}`
    })
    expect(fp.tables).toEqual(onlyTables(source, keys))
    expect(Object.keys(fp.tables)).not.toContain('public.upper') // "UPPER" only, not its lower-case twin
    for (const seq of ['"Odd Schema.ü"."Film.Stats_Id_seq"', 'public.measurements_id_seq']) {
      const p = parsePgTableName(seq)
      const key = `${p?.schema}.${p?.table}`
      expect(fp.sequences[key], key).toBe(source.sequences[key])
    }
  })

  it('listTables: every table and partition in the naming convention, with row estimates', async () => {
    const tables = await engineFor('postgres').listTables(profile(), pg.password, new AbortController().signal)
    const byName = new Map(tables.map((t) => [t.name, t]))
    expect(byName.get('public.measurements')?.rows).toBeNull() // a partitioned parent holds no rows
    expect(byName.has('public.measurements_2024')).toBe(true)
    expect(byName.has('"Odd Schema.ü"."Film.Stats"')).toBe(true)
    expect(byName.has('public.mv_counts')).toBe(false) // materialised views are not tables
    await expect(engineFor('postgres').listTables(profile(), 'wrong', new AbortController().signal)).rejects.toMatchObject({ code: 'AUTH_FAILED' })
  })

  it('wrong password: AUTH_FAILED with the probe’s message, before any byte or file', async () => {
    await expectFailure(
      { password: 'not the password' },
      { code: 'AUTH_FAILED', message: `password authentication failed for user "app" on 127.0.0.1:${pg.port}`, field: 'password' },
    )
    await expectFailure({ password: undefined }, { code: 'AUTH_FAILED' })
  })

  it('only a pg_dump older than the server: VERSION_MISMATCH, and the old tool never runs', async () => {
    const dir = await dirs.make()
    const marker = join(dir, 'ran')
    const fake = join(dir, 'pg_dump')
    await writeFile(fake, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo 'pg_dump (PostgreSQL) 9.6.24'; exit 0; fi\ntouch '${marker}'\n`)
    await chmod(fake, 0o755)
    await expectFailure(
      { tools: { toolPath: '', searchWellKnownDirs: false, extraToolDirs: [dir] } },
      { code: 'VERSION_MISMATCH', message: expect.stringContaining(`pg_dump is older than the server (PostgreSQL ${pg.version}): found pg_dump 9.6.24 at ${fake}`) },
    )
    expect(await readdir(dir)).toEqual(['pg_dump'])
  })

  it('no pg_dump anywhere: TOOL_MISSING', async () => {
    const empty = await dirs.make()
    await expectFailure({ profile: profile({ clientBinDir: empty }), tools: { toolPath: '', searchWellKnownDirs: false } }, { code: 'TOOL_MISSING', field: 'clientBinDir' })
  })

  it('an unknown table or the sqlite format: VALIDATION before anything runs', async () => {
    await expectFailure({ tables: ['public.nope', 'public.UPPER'] }, { code: 'VALIDATION', field: 'tables', message: expect.stringContaining('public.nope') })
    await expectFailure({ format: 'sqlite' }, { code: 'VALIDATION', field: 'format' })
  })

  describe('a dump that is interrupted', () => {
    beforeAll(async () => {
      await withPg(pg, 'postgres', (c) => c.query(`CREATE DATABASE ${pgIdent(BIG_DB)} OWNER ${pg.user}`))
      await withPg(pg, BIG_DB, async (c) => {
        await c.query(`SET ROLE ${pg.user}`)
        await c.query('CREATE TABLE big (id int PRIMARY KEY, v text); INSERT INTO big SELECT i, repeat(md5(i::text), 4) FROM generate_series(1, 300000) i')
      })
    })
    const big = () => request({ profile: profile({ database: BIG_DB }) })

    it('the server ends the connection mid-dump: done rejects DUMP_FAILED with pg_dump’s reason', async () => {
      const dump = await engineFor('postgres').startDump({ ...big(), signal: new AbortController().signal })
      try {
        await firstChunk(dump.stdout)
        const terminated = await withPg(pg, 'postgres', async (c) => {
          // pg_dump's own backend, blocked on its full socket while we hold back its output
          const { rows } = await c.query<{ ok: boolean }>(
            "SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND application_name = 'pg_dump'",
            [BIG_DB],
          )
          return rows.length
        })
        expect(terminated).toBe(1)
        dump.stdout.resume()
        const err = await dump.done.then(() => null, (e: unknown) => e)
        expect(err).toMatchObject({ code: 'DUMP_FAILED', message: expect.stringMatching(/^pg_dump failed \(exit 1\): /) })
        // Plain connections get the server's message; over TLS (sslmode=prefer) libpq reports the closed socket.
        expect((err as Error).message).toMatch(/terminating connection due to administrator command|server closed the connection unexpectedly|PQgetCopyData\(\) failed[\s\S]*SSL SYSCALL error: EOF detected/)
        errors.push((err as Error).message)
      } finally {
        await dump.dispose()
      }
      expect(await readdir(work)).toEqual([])
    })

    it('cancel through the signal: pg_dump is killed, done rejects CANCELLED, temp files go', async () => {
      const controller = new AbortController()
      const dump = await engineFor('postgres').startDump({ ...big(), signal: controller.signal })
      const pid = dump.pid as number
      await firstChunk(dump.stdout)
      expect(processAlive(pid)).toBe(true)
      expect((await readdir(work)).length).toBe(1) // the password file
      controller.abort()
      await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' })
      expect(processAlive(pid)).toBe(false)
      await dump.dispose()
      expect(await readdir(work)).toEqual([])
    })

    it('a table locked by someone else: the pre-flight does not queue behind it; cancel leaves no backend waiting', async () => {
      // (pg_stat_activity is a per-transaction snapshot: counted from a second session)
      const backends = () =>
        withPg(pg, 'postgres', (c) => c.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND usename = $2', [BIG_DB, pg.user])).then(
          (r) => r.rows[0]?.n,
        )
      const waitFor = async (n: string) => {
        for (let i = 0; i < 200 && (await backends()) !== n; i++) await new Promise((r) => setTimeout(r, 25))
        return backends()
      }
      await withPg(pg, BIG_DB, async (locker) => {
        await locker.query('BEGIN')
        await locker.query('LOCK TABLE big IN ACCESS EXCLUSIVE MODE')
        const controller = new AbortController()
        const started = performance.now()
        const dump = await engineFor('postgres').startDump({ ...big(), signal: controller.signal })
        try {
          expect(performance.now() - started).toBeLessThan(3_000) // lock_timeout on the size query, then relpages
          expect(await waitFor('1')).toBe('1') // pg_dump, queued on its LOCK TABLE ... IN ACCESS SHARE MODE
          controller.abort()
          await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' })
          await dump.dispose()
          // Still locked: pg_dump's SIGTERM handler sent a cancel request, so its backend left the queue.
          expect(await waitFor('0')).toBe('0')
        } finally {
          await dump.dispose()
          await locker.query('ROLLBACK')
        }
      })
      expect(await readdir(work)).toEqual([])
    })

    it('dispose without reading to the end: the tool is stopped, done rejects CANCELLED; dispose is idempotent', async () => {
      const dump = await engineFor('postgres').startDump({ ...big(), signal: new AbortController().signal })
      const pid = dump.pid as number
      await firstChunk(dump.stdout)
      await Promise.all([dump.dispose(), dump.dispose()])
      await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED', message: 'pg_dump was stopped before it finished' })
      expect(processAlive(pid)).toBe(false)
      expect(await readdir(work)).toEqual([])
    })
  })

  describe('the tool process (a fake pg_dump that passes the version check)', () => {
    const fakePgDump = async (body: string) => {
      const dir = await dirs.make()
      const file = join(dir, 'pg_dump')
      await writeFile(file, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo 'pg_dump (PostgreSQL) ${pg.version}'; exit 0; fi\n${body}\n`)
      await chmod(file, 0o755)
      return { tools: { toolPath: '', searchWellKnownDirs: false, extraToolDirs: [dir] } }
    }

    it('output then a non-zero exit: DUMP_FAILED with the exit code and the stderr tail, bounded, password masked', async () => {
      // Writes some output, 100 KB of stderr, then the password file's content, and exits 3.
      const over = await fakePgDump(`echo partial-output; head -c 100000 /dev/zero | tr '\\0' 'e' >&2; echo >&2; cat "$PGPASSFILE" >&2; exit 3`)
      const dump = await engineFor('postgres').startDump({ ...request(over), signal: new AbortController().signal })
      const chunks: Buffer[] = []
      dump.stdout.on('data', (c: Buffer) => chunks.push(c))
      const err = await dump.done.then(() => null, (e: unknown) => e)
      await dump.dispose()
      expect(Buffer.concat(chunks).toString()).toBe('partial-output\n') // bytes were written, and still it failed
      expect(err).toMatchObject({ code: 'DUMP_FAILED', message: expect.stringMatching(/^pg_dump failed \(exit 3\): …e+\n\*:\*:\*:app:/) })
      const message = (err as Error).message
      expect(message).not.toContain(pg.password)
      expect(message).toContain('***')
      expect(message.length).toBeLessThanOrEqual(16 * 1024 + 40)
      errors.push(message)
      expect(await readdir(work)).toEqual([])
    })

    it('a tool that ignores SIGTERM is killed with SIGKILL after the grace period', async () => {
      const over = await fakePgDump(`trap '' TERM; while :; do echo still-here; sleep 0.05; done`)
      const dump = await engineFor('postgres').startDump({ ...request(over), signal: new AbortController().signal })
      const pid = dump.pid as number
      await firstChunk(dump.stdout)
      const started = performance.now()
      await dump.dispose()
      const took = performance.now() - started
      expect(took).toBeGreaterThanOrEqual(1_900)
      expect(took).toBeLessThan(5_000)
      expect(processAlive(pid)).toBe(false)
      await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' })
      expect(await readdir(work)).toEqual([])
    })

    it('a signal already aborted: nothing starts', async () => {
      const controller = new AbortController()
      controller.abort(new Error('stop'))
      await expect(engineFor('postgres').startDump({ ...request(), signal: controller.signal })).rejects.toThrow('stop')
      expect(await readdir(work)).toEqual([])
    })
  })

  it('never puts the password into an error message', () => {
    expect(errors.length).toBeGreaterThanOrEqual(5)
    for (const m of errors) expect(m).not.toContain(pg.password)
    console.log(`[dump errors] postgres:\n${errors.map((e) => `  ${e.slice(0, 300)}`).join('\n')}`)
  })

  describe('fixtures', () => {
    const unavailable = fixturesUnavailable()
    const superuser = (database: string) => request({ profile: profile({ user: 'postgres', database }), password: undefined })
    for (const [label, load] of [
      ['pagila', loadPagila],
      ['chinook', loadChinookPostgres],
    ] as const) {
      it.skipIf(unavailable !== null)(`${label}: custom and plain dumps restore to identical data${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
        const started = performance.now()
        const database = await load(pg)
        const loadMs = Math.round(performance.now() - started)
        const original = await pgFingerprint(pg, database)
        const dir = await dirs.make()
        const custom = await dumpToFile(superuser(database), join(dir, 'db.dump'))
        let t = performance.now()
        const fromCustom = await restoreCustom(pg, join(dir, 'db.dump'))
        const customRestoreMs = Math.round(performance.now() - t)
        expect(await pgFingerprint(pg, fromCustom)).toEqual(original)
        const plain = await dumpToFile({ ...superuser(database), format: 'plain' }, join(dir, 'db.sql'))
        t = performance.now()
        const fromPlain = await restorePlain(pg, join(dir, 'db.sql'))
        const plainRestoreMs = Math.round(performance.now() - t)
        expect(await pgFingerprint(pg, fromPlain)).toEqual(original)
        const rows = Object.values(original.tables).reduce((n, x) => n + x.rows, 0)
        timings.push(
          `${label} (${rows} rows, load ${loadMs} ms): custom ${custom.ms} ms ${custom.bytes} B + pg_restore ${customRestoreMs} ms; plain ${plain.ms} ms ${plain.bytes} B + psql ${plainRestoreMs} ms; estimate ${custom.info.estimatedBytes} B`,
        )
      })
    }
  })
})

// ---------------------------------------------------------------------------------------------
// Restoring with stock tools, as the superuser, into fresh databases

async function createDb(pg: PostgresServer): Promise<string> {
  const name = `restored ${randomBytes(4).toString('hex')}`
  await withPg(pg, 'postgres', (c) => c.query(`CREATE DATABASE ${pgIdent(name)} TEMPLATE template0 ENCODING 'UTF8'`))
  return name
}

const conn = (pg: PostgresServer, database: string) => ['-h', pg.host, '-p', String(pg.port), '-U', 'postgres', '-d', pgConninfoDbname(database)]

async function pgRestore(pg: PostgresServer, database: string, file: string, extra: string[] = []): Promise<void> {
  await run(join(pg.binDir, 'pg_restore'), [...conn(pg, database), '--no-owner', '--no-privileges', '--exit-on-error', ...extra, file])
}

async function psqlFile(pg: PostgresServer, database: string, file: string): Promise<void> {
  await run(join(pg.binDir, 'psql'), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...conn(pg, database), '-f', file])
}

async function restoreCustom(pg: PostgresServer, file: string, extra: string[] = []): Promise<string> {
  const database = await createDb(pg)
  await pgRestore(pg, database, file, extra)
  return database
}

async function restorePlain(pg: PostgresServer, file: string): Promise<string> {
  const database = await createDb(pg)
  await psqlFile(pg, database, file)
  return database
}
