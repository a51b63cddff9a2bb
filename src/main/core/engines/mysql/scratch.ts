import { escapeId, type RowDataPacket } from 'mysql2'
import type { ProfileConfig } from '../../../../shared/model'
import { queryMysqlTables, withMysqlConnection } from './tables'

/** Helpers for test restores: exact row counts in a scratch database, and dropping it again. */

type MysqlProfile = Extract<ProfileConfig, { engine: 'mysql' }>

/** The connection helper's deadline covers the whole work; COUNT(*) on big InnoDB tables is slow. */
const COUNT_TIMEOUT_MS = 60 * 60_000
const DROP_TIMEOUT_MS = 5 * 60_000

/** escapeId without qualification: "a.b" is one table named a.b, not table b of schema a. */
const ident = (name: string): string => escapeId(name, true)

/** Exact row counts of the `names` (bare table names) present in `database`; absent ones are left out. */
export async function countMysqlRows(profile: MysqlProfile, password: string | undefined, database: string, names: readonly string[], signal: AbortSignal): Promise<Map<string, number>> {
  return withMysqlConnection(
    { ...profile, database },
    password,
    signal,
    async (conn) => {
      // The same listing as the backup's (base and system-versioned tables), so names compare exactly.
      const present = new Set((await queryMysqlTables(conn, database)).map((t) => t.name))
      const counts = new Map<string, number>()
      for (const name of names) {
        if (!present.has(name)) continue
        const [rows] = await conn.query<Array<{ n: number | string } & RowDataPacket>>(`SELECT COUNT(*) AS n FROM ${ident(name)}`)
        counts.set(name, Number(rows[0]?.n))
      }
      return counts
    },
    COUNT_TIMEOUT_MS,
  )
}

/** DROP DATABASE IF EXISTS, connected to the profile's own database (as CREATE DATABASE was). */
export async function dropMysqlDatabase(profile: MysqlProfile, password: string | undefined, database: string, signal: AbortSignal): Promise<void> {
  await withMysqlConnection(profile, password, signal, (conn) => conn.query(`DROP DATABASE IF EXISTS ${ident(database)}`), DROP_TIMEOUT_MS)
}
