import { isUtf8 } from 'node:buffer'
import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type Database from 'better-sqlite3'
import { AppError, isAppError } from '../../../../shared/errors'
import { errorMessage } from '../net-errors'
import type { DumpRequest, RunningDump } from '../engine'
import { DEFAULT_PROBE_TIMEOUT_MS } from '../probe'
import { once } from '../child-process'
import { probeSqlite } from './probe'
import {
  countRows,
  implicitRowid,
  openReadOnly,
  quoteIdent,
  quoteText,
  readSqliteTables,
  referencedTables,
  selectSqliteTables,
  sqliteColumns,
  type SqliteTable,
} from './tables'

export const SQLITE_TOOL_NAME = 'sqlite (built in)'
const PAGES_PER_STEP = 256
const CHUNK_BYTES = 64 * 1024

/**
 * SQLite dumps run in-process on a private snapshot: the backup API copies the live file page by
 * page inside one read transaction (consistent, writers in WAL mode carry on; in rollback mode they
 * wait only for the copy), without blocking the event loop. format "sqlite" streams that copy;
 * "plain" streams SQL generated from it.
 */
export async function startSqliteDump(request: DumpRequest): Promise<RunningDump> {
  const { signal, profile } = request
  if (profile.engine !== 'sqlite') throw new AppError('INTERNAL', `not an SQLite profile: ${profile.engine}`)
  if (request.format === 'custom') throw new AppError('VALIDATION', 'SQLite backups are sqlite (a database file) or plain SQL', 'format')
  if (request.format === 'sqlite' && (request.schemaOnly || request.dataOnly || request.tables !== null)) {
    throw new AppError('VALIDATION', 'schema only, data only and selected tables need the plain SQL format for SQLite', 'format')
  }
  signal.throwIfAborted()
  const probe = await probeSqlite(profile, { timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, signal, ...request.tools })
  if (probe.error) throw new AppError(probe.error.code, probe.error.message, probe.error.field)
  const version = probe.server?.version ?? ''

  const snapshot = join(request.tempDir, `snapshot-${randomBytes(6).toString('hex')}.sqlite`)
  let db: Database.Database | null = null
  let stream: Readable | null = null
  const cleanup = once(async () => {
    stream?.destroy()
    db?.close()
    db = null
    await Promise.all(['', '-wal', '-shm', '-journal'].map((s) => rm(snapshot + s, { force: true })))
  })
  try {
    await takeSnapshot(profile.file, snapshot, signal)
    db = openReadOnly(snapshot)
    const all = readSqliteTables(db)
    const tables = selectSqliteTables(all, request.tables)
    const size = (await stat(snapshot)).size
    const info = {
      serverVersion: version,
      toolName: SQLITE_TOOL_NAME,
      toolVersion: version,
      tables: tables.filter((t) => t.shadowOf === null).map((t) => ({ name: t.name, rows: countRows(db as Database.Database, t) })),
      estimatedBytes: request.schemaOnly ? null : size,
      warnings: probe.warnings,
    }
    if (request.format === 'sqlite') {
      db.close()
      db = null
      stream = createReadStream(snapshot)
    } else {
      stream = Readable.from(chunked(sqlDump(db, tables, request)), { objectMode: false })
    }
    const out = stream
    const done = new Promise<void>((resolve, reject) => {
      const onAbort = () => out.destroy(isAppError(signal.reason) ? signal.reason : new AppError('CANCELLED', 'the SQLite dump was cancelled'))
      signal.addEventListener('abort', onAbort, { once: true })
      out.once('end', () => resolve())
      out.once('close', () => {
        signal.removeEventListener('abort', onAbort)
        const err = out.errored
        if (err) reject(isAppError(err) ? err : new AppError('DUMP_FAILED', `SQLite dump of ${profile.file} failed: ${errorMessage(err)}`))
        else if (!out.readableEnded) reject(new AppError('CANCELLED', 'the SQLite dump was stopped before it finished'))
      })
    }).finally(cleanup)
    done.catch(() => {})
    // Consumers see errors through `done`; an unhandled 'error' must not crash the process.
    out.on('error', () => {})
    const dispose = once(async () => {
      out.destroy()
      await done.catch(() => {})
      await cleanup()
    })
    return { info, pid: null, stdout: out, done, dispose }
  } catch (err) {
    await cleanup()
    if (isAppError(err) || signal.aborted) throw err
    throw new AppError('DUMP_FAILED', `could not take a snapshot of ${profile.file}: ${errorMessage(err)}`)
  }
}

/**
 * Copies `file` to `dest` with the backup API while holding a read transaction on the source: the
 * copy is one consistent state, and no other connection's commit can restart it.
 */
export async function takeSnapshot(file: string, dest: string, signal: AbortSignal): Promise<void> {
  const source = openReadOnly(file)
  try {
    source.exec('BEGIN')
    source.prepare('SELECT count(*) FROM sqlite_schema').get() // takes the read lock / WAL snapshot
    await source.backup(dest, {
      progress: () => {
        signal.throwIfAborted()
        return PAGES_PER_STEP
      },
    })
    signal.throwIfAborted()
  } finally {
    if (source.inTransaction) source.exec('COMMIT')
    source.close()
  }
}

/** Joins small strings into chunks of about CHUNK_BYTES. */
function* chunked(parts: Iterable<string>): Generator<string> {
  let buffer = ''
  for (const part of parts) {
    buffer += part
    if (buffer.length >= CHUNK_BYTES) {
      yield buffer
      buffer = ''
    }
  }
  if (buffer) yield buffer
}

type DumpOptions = Pick<DumpRequest, 'schemaOnly' | 'dataOnly' | 'tables'>

/**
 * SQL that rebuilds the snapshot in an empty file with `sqlite3 new.db < dump.sql`: one transaction
 * with foreign keys off; tables, rows (in foreign-key order), sqlite_sequence, then indexes, views
 * and triggers (after the rows, so triggers do not fire during the load), user_version. Virtual
 * tables go in the way the sqlite3 shell's .dump does it (their shadow tables carry the content).
 */
export function* sqlDump(db: Database.Database, tables: readonly SqliteTable[], options: DumpOptions): Generator<string> {
  const schema = !options.dataOnly
  const data = !options.schemaOnly
  const whole = options.tables === null
  const pragma = (name: string) => db.pragma(name, { simple: true }) as number | string
  const encoding = String(pragma('encoding'))

  yield 'PRAGMA foreign_keys=OFF;\n'
  if (schema) {
    // Only settable before the first table exists, hence before everything else.
    if (pragma('page_size') !== 4096) yield `PRAGMA page_size=${pragma('page_size')};\n`
    if (pragma('auto_vacuum') !== 0) yield `PRAGMA auto_vacuum=${pragma('auto_vacuum')};\n`
    if (encoding !== 'UTF-8') yield `PRAGMA encoding=${quoteText(encoding)};\n`
  }
  yield 'BEGIN TRANSACTION;\n'
  let writableSchema = false
  if (schema) {
    for (const t of tables) {
      if (!t.virtual) {
        // Without data a virtual table is created normally, which sets up its shadow tables.
        if (data || t.shadowOf === null) yield `${t.sql};\n`
        continue
      }
      if (!data) {
        yield `${t.sql};\n`
        continue
      }
      // With data, as the shell's .dump: register the virtual table without running its module, and
      // restore its shadow tables (created above/below as ordinary tables) with their content.
      if (!writableSchema) yield 'PRAGMA writable_schema=ON;\n'
      writableSchema = true
      const name = quoteText(t.name)
      yield `INSERT INTO sqlite_master(type,name,tbl_name,rootpage,sql) VALUES('table',${name},${name},0,${quoteText(t.sql)});\n`
    }
  }
  if (data) {
    // Without the schema the target's virtual tables exist already, with their shadow tables' initial
    // rows (fts5 config, structure): replace those rather than collide with them.
    for (const t of foreignKeyOrder(db, tables.filter((x) => !x.virtual))) {
      yield* tableRows(db, t, encoding, !schema && t.shadowOf !== null ? 'INSERT OR REPLACE' : 'INSERT')
    }
    yield* sequenceRows(db, tables, whole && schema)
  }
  if (schema) {
    const names = new Set(tables.map((t) => t.name))
    const objects = db.prepare("SELECT type, tbl_name AS tbl, sql FROM sqlite_schema WHERE type IN ('index', 'view', 'trigger') AND sql IS NOT NULL ORDER BY rowid").all() as Array<{
      type: string
      tbl: string
      sql: string
    }>
    const views = whole ? objects.filter((o) => o.type === 'view') : []
    const viewNames = new Set(views.map((v) => v.tbl))
    for (const o of objects) if (o.type === 'index' && names.has(o.tbl)) yield `${o.sql};\n`
    for (const o of views) yield `${o.sql};\n`
    for (const o of objects) if (o.type === 'trigger' && (names.has(o.tbl) || viewNames.has(o.tbl))) yield `${o.sql};\n`
    yield `PRAGMA user_version=${pragma('user_version')};\n`
    if (pragma('application_id') !== 0) yield `PRAGMA application_id=${pragma('application_id')};\n`
  }
  if (writableSchema) yield 'PRAGMA writable_schema=OFF;\n'
  yield 'COMMIT;\n'
}

/** Parents before children (Kahn, ties in creation order); cycles keep creation order (FKs are off). */
function foreignKeyOrder(db: Database.Database, tables: readonly SqliteTable[]): SqliteTable[] {
  const key = (name: string) => name.replace(/[A-Z]/g, (c) => c.toLowerCase()) // SQLite folds ASCII only
  const present = new Set(tables.map((t) => key(t.name)))
  const deps = new Map(tables.map((t) => [t.name, new Set(referencedTables(db, t.name).map(key).filter((r) => r !== key(t.name) && present.has(r)))]))
  const done = new Set<string>()
  const order: SqliteTable[] = []
  const remaining = [...tables]
  while (remaining.length > 0) {
    let i = remaining.findIndex((t) => [...(deps.get(t.name) ?? [])].every((d) => done.has(d)))
    if (i < 0) i = 0
    const [t] = remaining.splice(i, 1) as [SqliteTable]
    order.push(t)
    done.add(key(t.name))
  }
  return order
}

function* tableRows(db: Database.Database, table: SqliteTable, encoding: string, verb: string): Generator<string> {
  const columns = sqliteColumns(db, table.name).filter((c) => c.hidden === 0)
  const rowid = implicitRowid(db, table)
  const names = [...(rowid ? [rowid] : []), ...columns.map((c) => quoteIdent(c.name))]
  // Text comes as its stored bytes (CAST AS BLOB) next to typeof(), so invalid UTF-8 and NULs survive.
  const select = columns.map((c) => {
    const q = quoteIdent(c.name)
    return `typeof(${q}), CASE WHEN typeof(${q}) = 'text' THEN CAST(${q} AS BLOB) ELSE ${q} END`
  })
  const stmt = db.prepare(`SELECT ${[...(rowid ? [rowid] : []), ...select].join(', ')} FROM ${quoteIdent(table.name)}`)
  stmt.raw(true).safeIntegers(true)
  const prefix = `${verb} INTO ${quoteIdent(table.name)}(${names.join(',')}) VALUES(`
  for (const row of stmt.iterate() as Iterable<unknown[]>) {
    let line = prefix
    let i = 0
    if (rowid) line += String(row[i++])
    for (let first = !rowid; i < row.length; i += 2, first = false) {
      if (!first) line += ','
      const [type, value] = [row[i] as string, row[i + 1]]
      if (Buffer.isBuffer(value) && value.length > BIG_VALUE_BYTES) {
        // Hex of a large value would outgrow a JS string (and memory): written out in pieces.
        yield line
        line = ''
        yield* hexPieces(value, type === 'text' ? ['CAST(X\'', '\' AS TEXT)'] : ['X\'', '\''])
      } else {
        line += sqlValue(type, value, encoding)
      }
    }
    yield `${line});\n`
  }
}

/** Values above this size are rendered as hex in pieces (texts too, unquoted). */
const BIG_VALUE_BYTES = 512 * 1024

function* hexPieces(bytes: Buffer, [open, close]: [string, string]): Generator<string> {
  yield open
  for (let at = 0; at < bytes.length; at += BIG_VALUE_BYTES) yield bytes.subarray(at, at + BIG_VALUE_BYTES).toString('hex')
  yield close
}

function* sequenceRows(db: Database.Database, tables: readonly SqliteTable[], whole: boolean): Generator<string> {
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get()
  if (!exists) return
  const names = new Set(tables.map((t) => t.name))
  const rows = (db.prepare('SELECT name, seq FROM sqlite_sequence').safeIntegers(true).all() as Array<{ name: string; seq: bigint }>).filter((r) =>
    names.has(r.name),
  )
  if (rows.length === 0) return
  // The table's own inserts moved its counter to max(rowid); the saved value may be higher.
  yield whole ? 'DELETE FROM sqlite_sequence;\n' : `DELETE FROM sqlite_sequence WHERE name IN (${rows.map((r) => quoteText(r.name)).join(',')});\n`
  for (const r of rows) yield `INSERT INTO sqlite_sequence(name,seq) VALUES(${quoteText(r.name)},${r.seq});\n`
}

/** One value as an SQL literal that reads back identical (type and bytes). */
export function sqlValue(type: string, value: unknown, encoding = 'UTF-8'): string {
  switch (type) {
    case 'null':
      return 'NULL'
    case 'integer':
      return String(value)
    case 'real':
      return sqlReal(Number(value))
    case 'blob':
      return `X'${(value as Buffer).toString('hex')}'`
    case 'text': {
      const bytes = value as Buffer
      const text = decodeText(bytes, encoding)
      // NUL and CR do not survive every way of feeding a script to the shell; bad UTF-8 never does.
      if (text !== null && !/[\0\r]/.test(text)) return quoteText(text)
      return `CAST(X'${bytes.toString('hex')}' AS TEXT)`
    }
    default:
      throw new Error(`unexpected SQLite value type ${type}`)
  }
}

function decodeText(bytes: Buffer, encoding: string): string | null {
  if (encoding === 'UTF-8') return isUtf8(bytes) ? bytes.toString('utf8') : null
  const le = encoding === 'UTF-16le' ? bytes : Buffer.from(bytes).swap16()
  const text = le.toString('utf16le')
  return Buffer.from(text, 'utf16le').equals(le) ? text : null
}

const TWO_53 = 2 ** 53
/** "1", "2", "4", ... "4611686018427387904": exact integer literals for 2^0 .. 2^62. */
const POWERS_OF_TWO = Array.from({ length: 63 }, (_, k) => String(2n ** BigInt(k)))
const bits = new DataView(new ArrayBuffer(8))

/**
 * A REAL literal that any SQLite parses back to the same double. The shell's .dump prints %.20g,
 * which older SQLite (3.40's long-double parser) reads back wrong for some values. A short decimal
 * is exact there when its digits fit 2^53 and it has at most 3 decimals (then the parser's one
 * long-double division cannot round twice); integral values below 2^53 likewise. Anything else is
 * written as an integer mantissa times a power of two, which is exact arithmetic.
 */
export function sqlReal(n: number): string {
  if (Number.isNaN(n)) return 'NULL' // SQLite stores NaN as NULL anyway
  if (n === Infinity) return '1e999'
  if (n === -Infinity) return '-1e999'
  if (Number.isInteger(n) && Math.abs(n) < TWO_53) return `${Object.is(n, -0) ? '-0' : n}.0`
  const short = String(n)
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(short)
  if (m?.[3] && m[3].length <= 3 && Number(`${m[2]}${m[3]}`) <= TWO_53) return short
  return exactReal(n)
}

function exactReal(n: number): string {
  // n = mantissa * 2^exp, with an integer mantissa below 2^53 (trailing zero bits dropped).
  bits.setFloat64(0, n)
  const hi = bits.getUint32(0)
  const biased = (hi >>> 20) & 0x7ff
  let mantissa = (hi & 0xfffff) * 2 ** 32 + bits.getUint32(4)
  let exp = -1074
  if (biased !== 0) {
    mantissa += 2 ** 52
    exp = biased - 1075
  }
  while (mantissa > 0 && mantissa % 2 === 0) {
    mantissa /= 2
    exp++
  }
  let expr = `CAST(${hi >>> 31 ? '-' : ''}${mantissa} AS REAL)`
  // Steps of at most 2^62 (an exact integer literal); each multiply/divide by a power of two is exact.
  for (let e = Math.abs(exp); e > 0; e -= 62) expr += `${exp > 0 ? '*' : '/'}${POWERS_OF_TWO[Math.min(e, 62)]}`
  return `(${expr})`
}
