import { spawn } from 'node:child_process'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DumpRequest } from '../../src/main/core/engines/engine'
import { engineFor } from '../../src/main/core/engines/registry'
import { sqlReal, sqlValue } from '../../src/main/core/engines/sqlite/dump'
import type { ProfileConfig } from '../../src/shared/model'
import { onlyTables, sqliteFingerprint } from '../support/fingerprint'
import { copyChinookSqlite, dumpToFile, fixturesUnavailable, REPO_ROOT, runWithStdin } from '../support/fixtures'
import { createSqliteEdgeDatabase } from '../support/generated-data'
import { tempDirs } from '../support/probe-fixtures'
import { findBinary } from '../support/processes'

type SqliteProfile = Extract<ProfileConfig, { engine: 'sqlite' }>

const profile = (file: string): SqliteProfile => ({ engine: 'sqlite', name: 'lite', tag: null, file })

describe('SQLite dump', () => {
  const dirs = tempDirs()
  const timings: string[] = []
  let work = ''
  let edge = ''
  let sqlite3 = ''
  const request = (file: string, over: Partial<DumpRequest> = {}): Omit<DumpRequest, 'signal'> => ({
    profile: profile(file),
    password: undefined,
    format: 'plain',
    schemaOnly: false,
    dataOnly: false,
    tables: null,
    tempDir: work,
    ...over,
  })
  /** Restores a plain dump with the stock shell into a new file; -bail stops at the first error. */
  const restorePlain = async (dump: string, target: string) => {
    await runWithStdin(sqlite3, ['-bail', target], dump)
    return target
  }

  beforeAll(async () => {
    work = await dirs.make('lifeboat-sqlite-tmp-')
    const dir = await dirs.make()
    edge = join(dir, 'edge.sqlite')
    createSqliteEdgeDatabase(edge)
    sqlite3 = (await findBinary('sqlite3')) ?? ''
  })
  afterAll(async () => {
    await dirs.cleanup()
    console.log(`[dump timings] sqlite: ${timings.join('; ')}`)
  })
  const needShell = (ctx: { skip: (note: string) => void }) => {
    if (sqlite3) return
    if (process.env.CI === 'true') throw new Error('CI=true: the sqlite3 shell is required (apt-get install sqlite3)')
    ctx.skip('the sqlite3 shell is not installed (apt-get install sqlite3)')
  }

  it('format sqlite: a consistent copy with every row, sqlite_sequence, user_version and the schema', async () => {
    const out = join(await dirs.make(), 'snapshot.sqlite')
    const r = await dumpToFile(request(edge, { format: 'sqlite' }), out)
    timings.push(`edge sqlite ${r.ms} ms`)
    expect(sqliteFingerprint(out)).toEqual(sqliteFingerprint(edge))
    expect(r.info.toolName).toBe('sqlite (built in)')
    expect(r.info.toolVersion).toMatch(/^3\.\d+\.\d+$/)
    expect(r.info.serverVersion).toBe(r.info.toolVersion)
    expect(r.info.estimatedBytes).toBe(r.bytes)
    expect(r.info.tables.map((t) => t.name)).not.toContain('ft_data') // shadow tables come with ft
    expect(r.info.tables.find((t) => t.name === 'bytes')?.rows).toBe(259)
    expect(await readdir(work)).toEqual([])
  })

  it('format plain: the stock sqlite3 shell rebuilds an identical database from it', async (ctx) => {
    needShell(ctx)
    const dir = await dirs.make()
    const r = await dumpToFile(request(edge), join(dir, 'dump.sql'))
    const started = performance.now()
    const restored = await restorePlain(join(dir, 'dump.sql'), join(dir, 'restored.sqlite'))
    timings.push(`edge plain ${r.ms} ms + restore ${Math.round(performance.now() - started)} ms`)
    expect(sqliteFingerprint(restored)).toEqual(sqliteFingerprint(edge))
    const sql = await readFile(join(dir, 'dump.sql'), 'utf8')
    expect(sql.startsWith('PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n')).toBe(true)
    expect(sql.endsWith('COMMIT;\n')).toBe(true)
    // rows in foreign-key order: the parent table created after its child is still filled first
    expect(sql.indexOf('INSERT INTO "Parent Täble 😀"')).toBeLessThan(sql.indexOf('INSERT INTO "child table"'))
    // triggers come after the rows, so restoring does not fire them
    expect(sql.indexOf('CREATE TRIGGER child_ins')).toBeGreaterThan(sql.lastIndexOf('INSERT INTO "child table"'))
    expect(sql).toContain('PRAGMA user_version=20260521;')
    expect(sql).toContain('PRAGMA application_id=1279870533;')
    expect(await readdir(work)).toEqual([])
  })

  it('renders every value exactly: integers, reals, text bytes, blobs', () => {
    expect(sqlValue('integer', -9223372036854775808n)).toBe('-9223372036854775808')
    expect(sqlReal(0.1)).toBe('0.1')
    expect(sqlReal(3)).toBe('3.0')
    expect(sqlReal(Infinity)).toBe('1e999')
    expect(sqlReal(1 / 3)).toBe('(CAST(6004799503160661 AS REAL)/18014398509481984)')
    expect(sqlValue('text', Buffer.from("it's", 'utf8'))).toBe("'it''s'")
    expect(sqlValue('text', Buffer.from([0x61, 0x00]))).toBe("CAST(X'6100' AS TEXT)")
    expect(sqlValue('text', Buffer.from([0xff]))).toBe("CAST(X'ff' AS TEXT)")
    expect(sqlValue('blob', Buffer.from([0, 255]))).toBe("X'00ff'")
    expect(sqlValue('null', null)).toBe('NULL')
  })

  it('schema only: every object and user_version, no rows, no sqlite_sequence', async (ctx) => {
    needShell(ctx)
    const dir = await dirs.make()
    const r = await dumpToFile(request(edge, { schemaOnly: true }), join(dir, 'schema.sql'))
    expect(r.info.estimatedBytes).toBeNull()
    const restored = sqliteFingerprint(await restorePlain(join(dir, 'schema.sql'), join(dir, 'r.sqlite')))
    const source = sqliteFingerprint(edge)
    expect(restored.objects).toEqual(source.objects)
    expect(Object.keys(restored.tables).sort()).toEqual(Object.keys(source.tables).sort())
    for (const [name, t] of Object.entries(restored.tables)) {
      // fts5 creates its config and structure rows itself
      if (!name.startsWith('ft')) expect(t.rows, name).toBe(0)
    }
    expect(Object.keys(restored.sequences).filter((k) => k.startsWith('sqlite_sequence'))).toEqual([])
    expect(restored.sequences['pragma user_version']).toBe('20260521')
  })

  it('data only: loads into the schema (without triggers) and gives the same rows and sqlite_sequence', async (ctx) => {
    needShell(ctx)
    const dir = await dirs.make()
    await dumpToFile(request(edge, { schemaOnly: true }), join(dir, 'schema.sql'))
    const r = await dumpToFile(request(edge, { dataOnly: true }), join(dir, 'data.sql'))
    const target = await restorePlain(join(dir, 'schema.sql'), join(dir, 'r.sqlite'))
    // SQLite cannot switch triggers off: a data-only load fires them, so this target has none.
    const db = new Database(target)
    for (const name of db.prepare("SELECT name FROM sqlite_schema WHERE type = 'trigger'").pluck().all() as string[]) db.exec(`DROP TRIGGER "${name}"`)
    db.close()
    await restorePlain(join(dir, 'data.sql'), target)
    const restored = sqliteFingerprint(target)
    const source = sqliteFingerprint(edge)
    expect(restored.tables).toEqual(source.tables)
    expect(restored.sequences).toEqual(source.sequences)
    const sql = await readFile(join(dir, 'data.sql'), 'utf8')
    expect(sql).not.toMatch(/CREATE |PRAGMA user_version/)
    expect(r.info.tables.length).toBeGreaterThan(10)
  })

  it('selected tables (odd names, a virtual table): only those, with their indexes, triggers and sqlite_sequence rows', async (ctx) => {
    needShell(ctx)
    const dir = await dirs.make()
    const tables = ['Parent Täble 😀', 'child table', 'with space and "quote"', 'ft', 'audit']
    const r = await dumpToFile(request(edge, { tables }), join(dir, 'some.sql'))
    expect(r.info.tables.map((t) => t.name).sort()).toEqual([...tables].sort())
    const restored = sqliteFingerprint(await restorePlain(join(dir, 'some.sql'), join(dir, 'r.sqlite')))
    const source = sqliteFingerprint(edge)
    const withShadows = [...tables, 'ft_data', 'ft_idx', 'ft_content', 'ft_docsize', 'ft_config']
    expect(restored.tables).toEqual(onlyTables(source, withShadows))
    expect(restored.sequences['sqlite_sequence Parent Täble 😀']).toBe('9007199254740993')
    expect(restored.sequences['sqlite_sequence audit']).toBe('77')
    expect(restored.objects.schema?.filter((l) => l.startsWith('view'))).toEqual([])
    expect(restored.objects.schema?.filter((l) => l.startsWith('trigger'))).toEqual(['trigger child_ins on child table: CREATE TRIGGER child_ins AFTER INSERT ON "child table" BEGIN INSERT INTO audit (what) VALUES (\'child \' || NEW.id); END'])
  })

  it('refuses unknown tables, and options the sqlite format cannot honour, before anything runs', async () => {
    const engine = engineFor('sqlite')
    const signal = new AbortController().signal
    await expect(engine.startDump({ ...request(edge, { tables: ['nope', 'ft_data'] }), signal })).rejects.toMatchObject({
      code: 'VALIDATION',
      message: 'no such table: nope, ft_data',
      field: 'tables',
    })
    await expect(engine.startDump({ ...request(edge, { format: 'sqlite', tables: ['bytes'] }), signal })).rejects.toMatchObject({ code: 'VALIDATION', field: 'format' })
    await expect(engine.startDump({ ...request(edge, { format: 'custom' }), signal })).rejects.toMatchObject({ code: 'VALIDATION', field: 'format' })
    expect(await readdir(work)).toEqual([])
  })

  it('a missing file or a non-database: the probe’s errors, nothing created', async () => {
    const dir = await dirs.make()
    const engine = engineFor('sqlite')
    const signal = new AbortController().signal
    await expect(engine.startDump({ ...request(join(dir, 'missing.sqlite')), signal })).rejects.toMatchObject({ code: 'UNKNOWN_DATABASE' })
    await writeFile(join(dir, 'text.sqlite'), 'not a database at all, just text long enough')
    await expect(engine.startDump({ ...request(join(dir, 'text.sqlite')), signal })).rejects.toMatchObject({ code: 'NOT_A_DATABASE' })
    await expect(engine.listTables(profile(join(dir, 'missing.sqlite')), undefined, signal)).rejects.toMatchObject({ code: 'UNKNOWN_DATABASE' })
    expect(await readdir(dir)).toEqual(['text.sqlite'])
    expect(await readdir(work)).toEqual([])
  })

  it('listTables: every table with its row count, no shadow or internal tables', async () => {
    const tables = await engineFor('sqlite').listTables(profile(edge), undefined, new AbortController().signal)
    const names = tables.map((t) => t.name)
    expect(names).toContain('Parent Täble 😀')
    expect(names).toContain('ft')
    expect(names.filter((n) => n.startsWith('sqlite_') || n.startsWith('ft_'))).toEqual([])
    expect(tables.find((t) => t.name === 'ft')?.rows).toBeNull()
    expect(tables.find((t) => t.name === 'gaps')?.rows).toBe(4)
  })

  it('cancel: the stream stops, done rejects CANCELLED, the snapshot is removed', async () => {
    const controller = new AbortController()
    const dump = await engineFor('sqlite').startDump({ ...request(edge), signal: controller.signal })
    expect(dump.pid).toBeNull()
    expect((await readdir(work)).length).toBe(1) // the snapshot
    const first = await new Promise<Buffer>((resolve) =>
      dump.stdout.once('data', (chunk: Buffer) => {
        dump.stdout.pause()
        resolve(chunk)
      }),
    )
    expect(first.length).toBeGreaterThan(0)
    controller.abort()
    await expect(dump.done).rejects.toMatchObject({ code: 'CANCELLED' })
    await dump.dispose()
    await dump.dispose() // idempotent
    expect(await readdir(work)).toEqual([])
  })

  for (const journalMode of ['wal', 'delete'] as const) {
    it(`a consistent snapshot while another process writes (journal_mode=${journalMode})`, async (ctx) => {
      needShell(ctx)
      const dir = await dirs.make()
      const live = join(dir, 'live.sqlite')
      const db = new Database(live)
      db.pragma(`journal_mode = ${journalMode}`)
      db.exec("CREATE TABLE ledger (id INTEGER PRIMARY KEY, v TEXT); CREATE TABLE counter (n INTEGER); INSERT INTO counter VALUES (0)")
      const fill = db.prepare('INSERT INTO ledger (v) VALUES (?)')
      db.transaction(() => {
        for (let i = 0; i < 40_000; i++) fill.run('x'.repeat(200))
      })()
      db.exec('UPDATE counter SET n = (SELECT count(*) FROM ledger)')
      db.close()
      // Each writer transaction adds one row and bumps the counter: a torn copy would disagree.
      const writer = spawn(
        process.execPath,
        [
          '-e',
          `const D = require('better-sqlite3'); const db = new D(process.argv[1], { timeout: 20000 });
           const step = db.transaction(() => { db.prepare('INSERT INTO ledger (v) VALUES (?)').run('w'); db.prepare('UPDATE counter SET n = n + 1').run() });
           let n = 0; const end = Date.now() + 60000; process.stdout.write('ready\\n');
           process.on('SIGTERM', () => { console.log('wrote ' + n); process.exit(0) });
           (function loop() { for (let i = 0; i < 20; i++) { step(); n++ } if (Date.now() < end) setImmediate(loop) })()`,
          live,
        ],
        { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
      )
      let output = ''
      writer.stdout.on('data', (d: Buffer) => (output += d.toString()))
      const exited = new Promise<number | null>((resolve) => writer.on('exit', (code) => resolve(code)))
      try {
        await new Promise<void>((resolve) => writer.stdout.once('data', () => resolve()))
        await new Promise((resolve) => setTimeout(resolve, 200))
        const snap = join(dir, 'snap.sqlite')
        const plain = join(dir, 'snap.sql')
        await dumpToFile(request(live, { format: 'sqlite' }), snap)
        await dumpToFile(request(live, { format: 'plain' }), plain)
        const restored = await restorePlain(plain, join(dir, 'from-plain.sqlite'))
        for (const file of [snap, restored]) {
          const check = new Database(file, { readonly: true })
          const { rows, n } = check.prepare('SELECT (SELECT count(*) FROM ledger) AS rows, (SELECT n FROM counter) AS n').get() as { rows: number; n: number }
          check.close()
          expect(rows).toBe(n)
          expect(rows).toBeGreaterThan(40_000) // the writer had committed before the snapshot
        }
      } finally {
        writer.kill('SIGTERM')
      }
      expect(await exited).toBe(0)
      const wrote = Number(/wrote (\d+)/.exec(output)?.[1])
      expect(wrote).toBeGreaterThan(0)
      const after = new Database(live, { readonly: true })
      const total = after.prepare('SELECT count(*) FROM ledger').pluck().get() as number
      after.close()
      expect(total).toBe(40_000 + wrote) // no writer transaction failed or was lost
      timings.push(`concurrent ${journalMode}: writer committed ${wrote} transactions meanwhile`)
    })
  }

  describe('Chinook fixture', () => {
    const unavailable = fixturesUnavailable()
    it.skipIf(unavailable !== null)(`dumps and restores Chinook_Sqlite.sqlite in both formats${unavailable ? ` (skipped: ${unavailable})` : ''}`, async (ctx) => {
      needShell(ctx)
      const dir = await dirs.make()
      const chinook = await copyChinookSqlite(dir)
      const source = sqliteFingerprint(chinook)
      expect(Object.values(source.tables).reduce((n, t) => n + t.rows, 0)).toBe(15_607)

      const snap = await dumpToFile(request(chinook, { format: 'sqlite' }), join(dir, 'snap.sqlite'))
      expect(sqliteFingerprint(join(dir, 'snap.sqlite'))).toEqual(source)
      const plain = await dumpToFile(request(chinook), join(dir, 'dump.sql'))
      const started = performance.now()
      const restored = await restorePlain(join(dir, 'dump.sql'), join(dir, 'restored.sqlite'))
      const restoreMs = Math.round(performance.now() - started)
      expect(sqliteFingerprint(restored)).toEqual(source)
      timings.push(`chinook sqlite ${snap.ms} ms (${snap.bytes} B); plain ${plain.ms} ms (${plain.bytes} B) + restore ${restoreMs} ms`)
    })
  })
})
