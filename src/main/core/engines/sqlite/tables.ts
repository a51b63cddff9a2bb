import Database from 'better-sqlite3'
import { AppError } from '../../../../shared/errors'
import type { TableInfo } from '../../../../shared/backup-model'
import type { ProfileConfig } from '../../../../shared/model'

type SqliteProfile = Extract<ProfileConfig, { engine: 'sqlite' }>

/** Table names are sqlite_schema names as stored, matched exactly. */
export interface SqliteTable {
  name: string
  /** sqlite_schema.rowid: creation order */
  order: number
  sql: string
  virtual: boolean
  withoutRowid: boolean
  /** A shadow table (fts5 data, docsize...) holds part of this virtual table's content. */
  shadowOf: string | null
}

export interface SqliteColumn {
  name: string
  /** 0 = normal; 1 = hidden (virtual tables); 2/3 = generated virtual/stored: never inserted */
  hidden: number
}

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`
export const quoteText = (s: string): string => `'${s.replace(/'/g, "''")}'`

/**
 * Every ordinary, virtual and shadow table in creation order; internal tables (sqlite_*) left out.
 * Listings show all but the shadow tables, which come with their virtual table.
 */
export function readSqliteTables(db: Database.Database): SqliteTable[] {
  const listed = db.prepare('SELECT name, type, wr FROM pragma_table_list WHERE schema = ?').all('main') as Array<{ name: string; type: string; wr: number }>
  const kind = new Map(listed.map((t) => [t.name, t]))
  const rows = db
    .prepare("SELECT rowid AS o, name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid")
    .all() as Array<{ o: number; name: string; sql: string }>
  // SQLite names shadow tables "<virtual table>_<suffix>"; the longest matching owner wins.
  const virtual = rows.filter((r) => kind.get(r.name)?.type === 'virtual').map((r) => r.name)
  virtual.sort((a, b) => b.length - a.length)
  const ownerOf = (name: string) => virtual.find((v) => name.toLowerCase().startsWith(`${v.toLowerCase()}_`)) ?? null
  return rows.map((r) => ({
    name: r.name,
    order: r.o,
    sql: r.sql,
    virtual: kind.get(r.name)?.type === 'virtual',
    withoutRowid: kind.get(r.name)?.wr === 1,
    shadowOf: kind.get(r.name)?.type === 'shadow' ? ownerOf(r.name) : null,
  }))
}

export function sqliteColumns(db: Database.Database, table: string): SqliteColumn[] {
  return db.prepare('SELECT name, hidden FROM pragma_table_xinfo(?)').all(table) as SqliteColumn[]
}

/**
 * How to address the rowid of a rowid table that has no INTEGER PRIMARY KEY alias, so a dump keeps
 * it (indexes and external-content FTS tables may refer to it); null when the rowid is a column
 * already, the table has none, or every alias is shadowed by a real column.
 * "INTEGER PRIMARY KEY DESC" is not an alias: it has a real index (origin "pk"), as the shell checks.
 */
export function implicitRowid(db: Database.Database, table: SqliteTable): string | null {
  if (table.withoutRowid || table.virtual) return null
  const info = db.prepare('SELECT name, type, pk FROM pragma_table_info(?)').all(table.name) as Array<{ name: string; type: string; pk: number }>
  const pk = info.filter((c) => c.pk > 0)
  const pkIndex = db.prepare("SELECT 1 FROM pragma_index_list(?) WHERE origin = 'pk'").get(table.name)
  if (pk.length === 1 && pk[0]?.type.toUpperCase() === 'INTEGER' && !pkIndex) return null
  const names = new Set(info.map((c) => c.name.toLowerCase()))
  return ['rowid', '_rowid_', 'oid'].find((alias) => !names.has(alias)) ?? null
}

/** Tables referenced by foreign keys of `table` (names as written in REFERENCES). */
export function referencedTables(db: Database.Database, table: string): string[] {
  const rows = db.prepare('SELECT DISTINCT "table" AS t FROM pragma_foreign_key_list(?)').all(table) as Array<{ t: string }>
  return rows.map((r) => r.t)
}

/**
 * The tables to dump for `requested` (listed names), or all for null: a virtual table brings its
 * shadow tables. Unknown names (shadow tables included) are a VALIDATION error.
 */
export function selectSqliteTables(all: readonly SqliteTable[], requested: readonly string[] | null): SqliteTable[] {
  if (requested === null) return [...all]
  const unknown = requested.filter((name) => !all.some((t) => t.name === name && t.shadowOf === null))
  if (unknown.length > 0) throw new AppError('VALIDATION', `no such table: ${unknown.join(', ')}`, 'tables')
  const wanted = new Set(requested)
  return all.filter((t) => wanted.has(t.name) || (t.shadowOf !== null && wanted.has(t.shadowOf)))
}

/** What listTables offers: no shadow tables. */
export const listedTables = (db: Database.Database): SqliteTable[] => readSqliteTables(db).filter((t) => t.shadowOf === null)

export function countRows(db: Database.Database, table: SqliteTable): number | null {
  if (table.virtual) return null
  const row = db.prepare(`SELECT count(*) AS n FROM ${quoteIdent(table.name)}`).get() as { n: number }
  return row.n
}

export function openReadOnly(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true, timeout: 10_000 })
}

export async function listSqliteTables(profile: SqliteProfile, signal: AbortSignal): Promise<TableInfo[]> {
  signal.throwIfAborted()
  const db = openReadOnly(profile.file)
  try {
    return listedTables(db).map((t) => ({ name: t.name, rows: countRows(db, t) }))
  } finally {
    db.close()
  }
}
