import { DatabaseError, type Client } from 'pg'
import { isAppError } from '../../../../shared/errors'
import type { ProfileConfig } from '../../../../shared/model'
import { formatPgTableName, withPgClient } from './tables'

/** Helpers for test restores: exact row counts in a scratch database, and dropping it again. */

type PostgresProfile = Extract<ProfileConfig, { engine: 'postgres' }>

/**
 * withPgClient's deadline covers the whole work, and count(*) on big tables takes far longer than
 * the probe's 10 s. (It bounds connecting too; the server answered the restore moments before.)
 */
const COUNT_TIMEOUT_MS = 60 * 60_000
/** DROP DATABASE checkpoints and removes every file of the database. */
const DROP_TIMEOUT_MS = 5 * 60_000
const OBJECT_IN_USE = '55006'

// The same tables as the backup's listing (tables.ts), so names compare as strings.
const TABLES_SQL = `
SELECT n.nspname AS schema, c.relname AS table, c.relkind AS kind
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relkind IN ('r', 'p')
   AND n.nspname NOT IN ('pg_catalog', 'information_schema')
   AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp\\_%'`

/** Exact row counts of the `names` (formatPgTableName) present in `database`; absent ones are left out. */
export async function countPgRows(profile: PostgresProfile, password: string | undefined, database: string, names: readonly string[], signal: AbortSignal): Promise<Map<string, number>> {
  const wanted = new Set(names)
  const work = async (c: Client): Promise<Map<string, number>> => {
    // An exact count or an error (FORCE ROW LEVEL SECURITY), never a count silently filtered by a policy.
    await c.query('SET row_security = off')
    const counts = new Map<string, number>()
    for (const t of (await c.query<{ schema: string; table: string; kind: string }>(TABLES_SQL)).rows) {
      const name = formatPgTableName(t.schema, t.table)
      if (!wanted.has(name)) continue
      // ONLY: an inheritance parent's estimate (reltuples) excludes its children's rows. A
      // partitioned parent holds none itself; its whole count is shown (its estimate is null).
      const only = t.kind === 'r' ? 'ONLY ' : ''
      const { rows } = await c.query<{ n: string }>(`SELECT count(*) AS n FROM ${only}${c.escapeIdentifier(t.schema)}.${c.escapeIdentifier(t.table)}`)
      counts.set(name, Number(rows[0]?.n))
    }
    return counts
  }
  return withPgClient({ ...profile, database }, password, signal, work, COUNT_TIMEOUT_MS)
}

/**
 * DROP DATABASE IF EXISTS from a maintenance database (the profile's own, else postgres/template1).
 * 13+: WITH (FORCE) ends leftover sessions (a count cut off by a cancel); older servers get their
 * backends terminated first, retried while they are still exiting.
 */
export async function dropPgDatabase(profile: PostgresProfile, password: string | undefined, database: string, signal: AbortSignal): Promise<void> {
  const drop = async (c: Client): Promise<void> => {
    const name = c.escapeIdentifier(database)
    const version = Number((await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]?.v)
    if (version >= 130000) {
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      return
    }
    for (let attempt = 1; ; attempt++) {
      await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database])
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name}`)
        return
      } catch (err) {
        if (!(err instanceof DatabaseError && err.code === OBJECT_IN_USE) || attempt >= 10) throw err
        await new Promise((resolve) => setTimeout(resolve, 200))
      }
    }
  }
  let lastError: unknown
  for (const maintenance of [...new Set([profile.database, 'postgres', 'template1'])].filter((d) => d !== database)) {
    try {
      return await withPgClient({ ...profile, database: maintenance }, password, signal, drop, DROP_TIMEOUT_MS)
    } catch (e) {
      if (!(isAppError(e) && e.code === 'UNKNOWN_DATABASE')) throw e
      lastError = e
    }
  }
  throw lastError
}
