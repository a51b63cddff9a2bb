import { createHash } from 'node:crypto'
import Database from 'better-sqlite3'
import { createConnection, type RowDataPacket } from 'mysql2/promise'
import type { MariadbServer, PostgresServer } from './context'
import { myIdent, pgIdent, withPg } from './generated-data'

/**
 * What a database holds, in a form two databases can be compared by (`expect(a).toEqual(b)` shows
 * the differing table): per table the row count, an order-independent hash of every row rendered
 * canonically (binary values as bytes) and its definition; sequence positions; and the other
 * objects (views, routines, triggers, events, indexes...) by name and definition.
 */
export interface Fingerprint {
  tables: Record<string, TableFingerprint>
  /** PostgreSQL: "last_value is_called" per sequence; MariaDB: AUTO_INCREMENT per table and SEQUENCE state; SQLite: sqlite_sequence. */
  sequences: Record<string, string>
  /** Sorted "name: definition" lines per kind of object. */
  objects: Record<string, string[]>
}

export interface TableFingerprint {
  rows: number
  hash: string
  definition: string
}

const sha256 = (s: string | Buffer) => createHash('sha256').update(s).digest('hex')

/** Rows sorted by their canonical rendering, then hashed: independent of physical order. */
function hashRows(rendered: string[]): string {
  rendered.sort()
  const h = createHash('sha256')
  for (const r of rendered) h.update(r).update('\n')
  return h.digest('hex')
}

/** The fingerprint restricted to some tables (and nothing else). */
export function onlyTables(fp: Fingerprint, names: readonly string[]): Record<string, TableFingerprint> {
  return Object.fromEntries(names.map((n) => [n, fp.tables[n] as TableFingerprint]))
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL (as the trusted superuser, so large objects are readable too)

const PG_SESSION = `SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET IntervalStyle = 'postgres';
SET extra_float_digits = 3; SET bytea_output = 'hex'; SET search_path = ''`

const PG_USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`
const NOT_EXTENSION = (cls: string, oid: string) => `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${cls}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`

export async function pgFingerprint(pg: PostgresServer, database: string): Promise<Fingerprint> {
  return withPg(pg, database, async (c) => {
    await c.query(PG_SESSION)
    const q = async <T>(sql: string): Promise<T[]> => (await c.query(sql)).rows as T[]
    const lines = async (sql: string) => (await q<{ l: string }>(sql)).map((r) => r.l).sort()

    const rels = await q<{ oid: number; schema: string; name: string; kind: string; populated: boolean }>(`
      SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind AS kind, c.relispopulated AS populated
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE c.relkind IN ('r', 'p', 'm') AND ${PG_USER_NS} AND ${NOT_EXTENSION('pg_class', 'c.oid')}`)
    const tables: Record<string, TableFingerprint> = {}
    for (const r of rels) {
      const qualified = `${pgIdent(r.schema)}.${pgIdent(r.name)}`
      const definition = await q<{ d: string }>(`
        SELECT concat_ws(E'\n',
          (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
                  || ' [' || a.attgenerated::text || a.attidentity::text || '] ' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''), ', ' ORDER BY a.attnum)
             FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = ${r.oid} AND a.attnum > 0 AND NOT a.attisdropped),
          (SELECT string_agg(conname || ': ' || pg_get_constraintdef(oid), '; ' ORDER BY conname) FROM pg_constraint WHERE conrelid = ${r.oid}),
          (SELECT string_agg(pg_get_indexdef(indexrelid), '; ' ORDER BY pg_get_indexdef(indexrelid)) FROM pg_index WHERE indrelid = ${r.oid}),
          (SELECT string_agg(pg_get_triggerdef(oid), '; ' ORDER BY tgname) FROM pg_trigger WHERE tgrelid = ${r.oid} AND NOT tgisinternal),
          (SELECT 'partition of ' || i.inhparent::regclass || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhrelid = ${r.oid} AND c.relispartition),
          (SELECT 'partitioned by ' || pg_get_partkeydef(${r.oid}) WHERE '${r.kind}' = 'p'),
          (SELECT 'kind ${r.kind} persistence ' || relpersistence::text || ' populated ' || relispopulated FROM pg_class WHERE oid = ${r.oid})) AS d`)
      let rows = 0
      let hash = ''
      if (r.kind !== 'p' && r.populated) {
        // ROW(t.*)::text is PostgreSQL's own canonical rendering (bytea as hex, floats exact).
        const [res] = await q<{ n: string; h: string }>(`
          SELECT count(*) AS n, encode(sha256(convert_to(coalesce(string_agg(r, E'\n' ORDER BY r COLLATE "C"), ''), 'UTF8')), 'hex') AS h
            FROM (SELECT ROW(t.*)::text AS r FROM ONLY ${qualified} t) s`)
        rows = Number(res?.n)
        hash = res?.h ?? ''
      }
      tables[`${r.schema}.${r.name}`] = { rows, hash, definition: definition[0]?.d ?? '' }
    }

    const sequences: Record<string, string> = {}
    const seqs = await q<{ schema: string; name: string; def: string }>(`
      SELECT n.nspname AS schema, c.relname AS name,
             concat_ws(' ', format_type(s.seqtypid, NULL), s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle) AS def
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_sequence s ON s.seqrelid = c.oid
       WHERE c.relkind = 'S' AND ${PG_USER_NS}`)
    for (const s of seqs) {
      const [v] = await q<{ last_value: string; is_called: boolean }>(`SELECT last_value, is_called FROM ${pgIdent(s.schema)}.${pgIdent(s.name)}`)
      sequences[`${s.schema}.${s.name}`] = `${v?.last_value} ${v?.is_called} (${s.def})`
    }

    const objects: Record<string, string[]> = {
      schemas: await lines(`SELECT n.nspname AS l FROM pg_namespace n WHERE ${PG_USER_NS}`),
      views: await lines(`SELECT c.oid::regclass || ': ' || pg_get_viewdef(c.oid) AS l FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'v' AND ${PG_USER_NS}`),
      matviews: await lines(`SELECT c.oid::regclass || ' populated=' || c.relispopulated || ': ' || pg_get_viewdef(c.oid) AS l
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'm' AND ${PG_USER_NS}`),
      routines: await lines(`SELECT p.oid::regprocedure || ' ' || p.prokind::text || ' ' || md5(coalesce(p.prosrc, '')) AS l
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE ${PG_USER_NS} AND ${NOT_EXTENSION('pg_proc', 'p.oid')}`),
      triggers: await lines(`SELECT pg_get_triggerdef(t.oid) AS l FROM pg_trigger t WHERE NOT t.tgisinternal`),
      indexes: await lines(`SELECT pg_get_indexdef(i.indexrelid) AS l FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${PG_USER_NS}`),
      types: await lines(`SELECT t.oid::regtype || ' ' || t.typtype::text || ' ' || coalesce((SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid),
          format_type(t.typbasetype, t.typtypmod), '') AS l
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typtype IN ('e', 'd', 'c') AND ${PG_USER_NS}
         AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')`),
      comments: await lines(`SELECT pg_describe_object(classoid, objoid, objsubid) || ': ' || description AS l FROM pg_description WHERE objoid >= 16384`),
      extensions: await lines(`SELECT extname AS l FROM pg_extension`),
      largeObjects: await lines(`SELECT m.oid || ' ' || coalesce((SELECT encode(sha256(string_agg(data, ''::bytea ORDER BY pageno)), 'hex') FROM pg_largeobject l WHERE l.loid = m.oid), 'empty') AS l
        FROM pg_largeobject_metadata m`),
    }
    return { tables, sequences, objects }
  })
}

// ---------------------------------------------------------------------------------------------
// MariaDB (as root over the socket)

export async function mariadbFingerprint(m: MariadbServer, database: string): Promise<Fingerprint> {
  const conn = await createConnection({ socketPath: m.socket, user: 'root', database, charset: 'utf8mb4', dateStrings: true })
  try {
    await conn.query("SET time_zone = '+00:00'")
    const q = async <T>(sql: string, params: unknown[] = []): Promise<T[]> => (await conn.query<RowDataPacket[]>(sql, params))[0] as T[]
    const lines = async (sql: string) => (await q<{ l: string }>(sql, [database])).map((r) => String(r.l)).sort()
    const strip = (s: string) => s.split(`${myIdent(database)}.`).join('')

    const tables: Record<string, TableFingerprint> = {}
    const sequences: Record<string, string> = {}
    const list = await q<{ name: string; type: string; ai: number | null }>(
      'SELECT TABLE_NAME AS name, TABLE_TYPE AS type, AUTO_INCREMENT AS ai FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?',
      [database],
    )
    for (const t of list) {
      if (t.type === 'VIEW') continue
      if (t.type === 'SEQUENCE') {
        const [state] = await q<Record<string, unknown>>(`SELECT * FROM ${myIdent(t.name)}`)
        sequences[`sequence ${t.name}`] = JSON.stringify(state)
        continue
      }
      if (t.ai !== null) sequences[`${t.name}.AUTO_INCREMENT`] = String(t.ai)
      const [create] = await q<{ 'Create Table': string }>(`SHOW CREATE TABLE ${myIdent(t.name)}`)
      // Every value as the server's text-protocol bytes: exact for binary data, decimals and floats.
      const [rows] = await conn.query<RowDataPacket[]>({
        sql: `SELECT * FROM ${myIdent(t.name)}`,
        rowsAsArray: true,
        typeCast: (field) => field.buffer(),
      })
      const rendered = (rows as unknown as Array<Array<Buffer | null>>).map((r) => r.map((v) => (v === null ? 'N' : `x${v.toString('hex')}`)).join(','))
      tables[t.name] = { rows: rendered.length, hash: hashRows(rendered), definition: (create?.['Create Table'] ?? '').replace(/ AUTO_INCREMENT=\d+/, '') }
    }

    const objects: Record<string, string[]> = {
      views: (
        await q<{ l: string }>(
          "SELECT CONCAT(TABLE_NAME, ' ', SECURITY_TYPE, ' ', CHECK_OPTION, ': ', VIEW_DEFINITION) AS l FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?",
          [database],
        )
      )
        .map((r) => strip(String(r.l)))
        .sort(),
      routines: await lines(`SELECT CONCAT_WS(' ', ROUTINE_TYPE, ROUTINE_NAME, DTD_IDENTIFIER, SECURITY_TYPE, SQL_DATA_ACCESS, IS_DETERMINISTIC, DEFINER,
          MD5(ROUTINE_DEFINITION)) AS l FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?`),
      parameters: await lines(`SELECT CONCAT_WS(' ', SPECIFIC_NAME, ORDINAL_POSITION, PARAMETER_MODE, PARAMETER_NAME, DTD_IDENTIFIER) AS l
          FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ?`),
      triggers: await lines(`SELECT CONCAT_WS(' ', TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_ORDER, DEFINER, ACTION_STATEMENT) AS l
          FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`),
      events: await lines(`SELECT CONCAT_WS(' ', EVENT_NAME, DEFINER, EVENT_TYPE, EXECUTE_AT, INTERVAL_VALUE, INTERVAL_FIELD, STARTS, ENDS, STATUS, ON_COMPLETION,
          EVENT_COMMENT, EVENT_DEFINITION) AS l FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`),
      indexes: await lines(`SELECT CONCAT_WS(' ', TABLE_NAME, INDEX_NAME, NON_UNIQUE, INDEX_TYPE, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX)) AS l
          FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? GROUP BY TABLE_NAME, INDEX_NAME, NON_UNIQUE, INDEX_TYPE`),
      foreignKeys: await lines(`SELECT CONCAT_WS(' ', TABLE_NAME, CONSTRAINT_NAME, REFERENCED_TABLE_NAME, UPDATE_RULE, DELETE_RULE) AS l
          FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = ?`),
    }
    return { tables, sequences, objects }
  } finally {
    await conn.end()
  }
}

// ---------------------------------------------------------------------------------------------
// SQLite

/** Every value with its storage class; text as its stored bytes, reals as their exact bits. */
function sqliteValue(type: string, v: unknown): string {
  switch (type) {
    case 'null':
      return 'N'
    case 'integer':
      return `i${String(v)}`
    case 'real': {
      const b = Buffer.alloc(8)
      b.writeDoubleBE(Number(v))
      return `r${b.toString('hex')}`
    }
    default:
      return `${type[0]}${(v as Buffer).toString('hex')}`
  }
}

export function sqliteFingerprint(file: string): Fingerprint {
  const db = new Database(file, { readonly: true, fileMustExist: true })
  try {
    const tables: Record<string, TableFingerprint> = {}
    const listed = db
      .prepare("SELECT name, type, wr FROM pragma_table_list WHERE schema = 'main' AND type <> 'view' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
      .all() as Array<{
      name: string
      type: string
      wr: number
    }>
    for (const t of listed) {
      const [sql] = db.prepare('SELECT sql FROM sqlite_schema WHERE name = ?').pluck().all(t.name) as string[]
      const q = (s: string) => `"${s.replace(/"/g, '""')}"`
      if (t.type === 'virtual') {
        const n = db.prepare(`SELECT count(*) FROM ${q(t.name)}`).pluck().get() as number
        tables[t.name] = { rows: n, hash: 'virtual', definition: sql ?? '' }
        continue
      }
      const cols = (db.prepare('SELECT name FROM pragma_table_xinfo(?)').pluck().all(t.name) as string[]).map(q)
      const lower = new Set(cols.map((c) => c.slice(1, -1).toLowerCase()))
      const rowid = t.wr ? null : (['rowid', '_rowid_', 'oid'].find((a) => !lower.has(a)) ?? null)
      const exprs = [...(rowid ? [`typeof(${rowid})`, rowid] : []), ...cols.flatMap((c) => [`typeof(${c})`, `CASE WHEN typeof(${c}) = 'text' THEN CAST(${c} AS BLOB) ELSE ${c} END`])]
      const stmt = db.prepare(`SELECT ${exprs.join(', ')} FROM ${q(t.name)}`).raw(true).safeIntegers(true)
      const rendered: string[] = []
      for (const row of stmt.iterate() as Iterable<unknown[]>) {
        const parts: string[] = []
        for (let i = 0; i < row.length; i += 2) parts.push(sqliteValue(String(row[i]), row[i + 1]))
        rendered.push(parts.join(','))
      }
      tables[t.name] = { rows: rendered.length, hash: hashRows(rendered), definition: sql ?? '' }
    }
    const sequences: Record<string, string> = {}
    const hasSeq = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = 'sqlite_sequence'").get()
    if (hasSeq) {
      for (const r of db.prepare('SELECT name, seq FROM sqlite_sequence').safeIntegers(true).all() as Array<{ name: string; seq: bigint }>) {
        sequences[`sqlite_sequence ${r.name}`] = String(r.seq)
      }
    }
    for (const p of ['user_version', 'application_id', 'encoding']) sequences[`pragma ${p}`] = String(db.pragma(p, { simple: true }))
    const schema = db.prepare("SELECT type || ' ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_stat%' ESCAPE '\\'").pluck().all() as string[]
    const objects: Record<string, string[]> = {
      schema: schema.sort(),
      integrity: db.prepare('PRAGMA integrity_check').pluck().all() as string[],
      foreignKeyViolations: (db.prepare('PRAGMA foreign_key_check').all() as unknown[]).map((r) => JSON.stringify(r)),
    }
    return { tables, sequences, objects }
  } finally {
    db.close()
  }
}

export { sha256 }
