import { Client, DatabaseError } from 'pg'
import { AppError } from '../../../../shared/errors'
import type { TableInfo } from '../../../../shared/backup-model'
import type { ProfileConfig } from '../../../../shared/model'
import { withDeadline } from '../deadline'
import { DEFAULT_PROBE_TIMEOUT_MS } from '../probe'
import { pgClientConfig, pgErrorContext, refusesPlaintext } from './connection'
import { pgProbeError } from './errors'

type PostgresProfile = Extract<ProfileConfig, { engine: 'postgres' }>

/**
 * Table names: "schema.table", each part written bare when it is a plain lower-case identifier
 * ([a-z_][a-z0-9_$]*) and double-quoted otherwise, with " doubled: public.film,
 * public."Film.Stats", "Odd Schema".t. Bare parts are taken as written (no case folding), so the
 * name reads back exactly. An unqualified name is accepted when exactly one schema has it.
 */
export function formatPgTableName(schema: string, table: string): string {
  return `${quotePart(schema)}.${quotePart(table)}`
}

const BARE = /^[a-z_][a-z0-9_$]*$/
const quotePart = (part: string): string => (BARE.test(part) ? part : `"${part.replace(/"/g, '""')}"`)

/** The inverse of formatPgTableName; null when the text is not one or two (quoted) parts. */
export function parsePgTableName(name: string): { schema: string | null; table: string } | null {
  const parts: string[] = []
  let i = 0
  while (i <= name.length) {
    let part = ''
    if (name[i] === '"') {
      i++
      for (;;) {
        if (i >= name.length) return null
        if (name[i] === '"') {
          if (name[i + 1] !== '"') break
          i++
        }
        part += name[i]
        i++
      }
      i++ // closing quote
    } else {
      const end = name.indexOf('.', i)
      part = name.slice(i, end < 0 ? name.length : end)
      if (part === '' || part.includes('"')) return null
      i += part.length
    }
    parts.push(part)
    if (i === name.length) break
    if (name[i] !== '.') return null
    i++
  }
  if (parts.length === 1) return { schema: null, table: parts[0] as string }
  if (parts.length === 2) return { schema: parts[0] as string, table: parts[1] as string }
  return null
}

/** A pg_dump -t pattern matching exactly this table: quoted parts disable case folding and wildcards. */
export function pgDumpPattern(schema: string, table: string): string {
  const q = (s: string) => `"${s.replace(/"/g, '""')}"`
  return `${q(schema)}.${q(table)}`
}

export interface PgTable {
  schema: string
  table: string
  /** formatPgTableName(schema, table) */
  name: string
  /** r = table or leaf partition, p = partitioned table */
  kind: 'r' | 'p'
  /** pg_class.reltuples, null when never analysed */
  rows: number | null
  /** pg_table_size (heap + TOAST, no indexes): the closest server figure to the dump's size */
  bytes: number
  /** Names of direct partitions (kind p only). */
  partitions: string[]
}

// Catalog reads only: no table locks, so a table locked by someone else cannot hold this up.
// relkind 'p' is unknown before PostgreSQL 10 but harmless in IN (...). Extension members are not
// dumped by pg_dump (their extension is), so they are not offered.
const TABLES_SQL = `
SELECT c.oid::int8::text AS oid, n.nspname AS schema, c.relname AS table, c.relkind AS kind, c.reltuples::float8 AS rows,
       (c.relpages::float8 + coalesce(t.relpages, 0)::float8) * current_setting('block_size')::float8 AS pages_bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN pg_class t ON t.oid = c.reltoastrelid
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'
   AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
 ORDER BY n.nspname, c.relname`

const PARTITIONS_SQL = `
SELECT i.inhparent::int8::text AS parent, i.inhrelid::int8::text AS child
  FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
 WHERE p.relkind = 'p'`

// pg_table_size is exact but takes a share lock on each table; behind someone's exclusive lock it
// would queue (and its backend would outlive a cancel), so it gets a short lock_timeout.
const SIZES_SQL = `SELECT c.oid::int8::text AS oid, pg_table_size(c.oid)::float8 AS bytes FROM pg_class c WHERE c.oid = ANY($1::oid[])`
const LOCK_NOT_AVAILABLE = '55P03'

interface TableRow {
  oid: string
  schema: string
  table: string
  kind: string
  rows: number
  pages_bytes: number
}

export async function queryPgTables(client: Client): Promise<PgTable[]> {
  const { rows } = await client.query<TableRow>(TABLES_SQL)
  const edges = (await client.query<{ parent: string; child: string }>(PARTITIONS_SQL)).rows
  const sizes = await exactSizes(client, rows.map((r) => r.oid))
  const nameOf = new Map(rows.map((r) => [r.oid, formatPgTableName(r.schema, r.table)]))
  return rows.map((r) => ({
    schema: r.schema,
    table: r.table,
    name: nameOf.get(r.oid) as string,
    kind: r.kind === 'p' ? 'p' : 'r',
    // -1 = never analysed (PostgreSQL 14+); partitioned parents hold no rows themselves.
    rows: r.kind === 'p' || r.rows < 0 ? null : Math.round(r.rows),
    // relpages (as of the last VACUUM/ANALYZE) when a table is locked
    bytes: sizes?.get(r.oid) ?? r.pages_bytes,
    partitions: edges.filter((e) => e.parent === r.oid).flatMap((e) => nameOf.get(e.child) ?? []),
  }))
}

async function exactSizes(client: Client, oids: string[]): Promise<Map<string, number> | null> {
  await client.query("SET lock_timeout = '500ms'")
  try {
    const { rows } = await client.query<{ oid: string; bytes: number }>(SIZES_SQL, [oids])
    return new Map(rows.map((r) => [r.oid, r.bytes]))
  } catch (err) {
    if (err instanceof DatabaseError && err.code === LOCK_NOT_AVAILABLE) return null
    throw err
  } finally {
    await client.query('RESET lock_timeout')
  }
}

/**
 * The tables to dump for `requested` (listTables names), or all of them for null. A partitioned
 * table brings its partitions (pg_dump before 16 has no --table-and-children, and the parent alone
 * holds no rows). Unknown names are a VALIDATION error naming them.
 */
export function selectPgTables(all: readonly PgTable[], requested: readonly string[] | null): PgTable[] {
  if (requested === null) return [...all]
  const byName = new Map(all.map((t) => [t.name, t]))
  const picked = new Map<string, PgTable>()
  const unknown: string[] = []
  const add = (t: PgTable) => {
    if (picked.has(t.name)) return
    picked.set(t.name, t)
    for (const p of t.partitions) {
      const child = byName.get(p)
      if (child) add(child)
    }
  }
  for (const name of requested) {
    const t = findPgTable(all, name)
    if (t) add(t)
    else unknown.push(name)
  }
  if (unknown.length > 0) {
    throw new AppError('VALIDATION', `no such table: ${unknown.join(', ')} (names as listed, e.g. public.film or public."Film")`, 'tables')
  }
  return all.filter((t) => picked.has(t.name))
}

function findPgTable(all: readonly PgTable[], name: string): PgTable | undefined {
  const exact = all.find((t) => t.name === name)
  if (exact) return exact
  const parsed = parsePgTableName(name)
  if (!parsed) return undefined
  const matches = all.filter((t) => t.table === parsed.table && (parsed.schema === null || t.schema === parsed.schema))
  return matches.length === 1 ? matches[0] : undefined
}

export const toTableInfo = (t: PgTable): TableInfo => ({ name: t.name, rows: t.rows })

/**
 * A short-lived pg connection with the profile's settings, errors mapped as in the probe. Like the
 * probe (and pg_dump's sslmode=prefer), retries with TLS when the server refuses plain connections.
 */
export async function withPgClient<T>(
  profile: PostgresProfile,
  password: string | undefined,
  signal: AbortSignal,
  work: (client: Client) => Promise<T>,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<T> {
  const context = pgErrorContext(profile, timeoutMs)
  const attempt = async (ssl: boolean, s: AbortSignal): Promise<T> => {
    const client = new Client(pgClientConfig(profile, password, { ssl, timeoutMs }))
    client.on('error', () => {})
    const abort = () => void client.end().catch(() => {})
    s.addEventListener('abort', abort, { once: true })
    try {
      await client.connect()
      return await work(client)
    } finally {
      s.removeEventListener('abort', abort)
      await client.end().catch(() => {})
    }
  }
  try {
    return await withDeadline(timeoutMs, signal, async (s) => {
      try {
        return await attempt(false, s)
      } catch (err) {
        if (refusesPlaintext(err) && !s.aborted) return attempt(true, s)
        throw err
      }
    })
  } catch (err) {
    if (signal.aborted) throw signal.reason
    if (err instanceof AppError) throw err
    const info = pgProbeError(err, context)
    throw new AppError(info.code, password ? info.message.split(password).join('***') : info.message, info.field)
  }
}

export async function listPostgresTables(profile: PostgresProfile, password: string | undefined, signal: AbortSignal): Promise<TableInfo[]> {
  const tables = await withPgClient(profile, password, signal, queryPgTables)
  return tables.map(toTableInfo)
}
