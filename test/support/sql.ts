import { join } from 'node:path'
import type { MariadbServer, PostgresServer } from './context'
import { findBinary, run } from './processes'

/** SQL string literal for PostgreSQL (standard_conforming_strings is on: only ' needs doubling). */
export const pgLiteral = (s: string): string => `'${s.replace(/'/g, "''")}'`

/** SQL string literal for MariaDB/MySQL (backslash escapes are on by default). */
export const mysqlLiteral = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/**
 * Runs SQL as the superuser `postgres` (trust over 127.0.0.1) with psql; returns unaligned, tuples-only
 * output. Each string in `sql` is its own -c, so CREATE DATABASE (no transaction block) works.
 */
export async function psql(pg: Pick<PostgresServer, 'host' | 'port' | 'binDir'>, sql: string | string[], database = 'postgres'): Promise<string> {
  const commands = (Array.isArray(sql) ? sql : [sql]).flatMap((c) => ['-c', c])
  const args = ['-X', '-w', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', pg.host, '-p', String(pg.port), '-U', 'postgres', '-d', database, ...commands]
  return (await run(join(pg.binDir, 'psql'), args)).trim()
}

/** Runs SQL as root over the unix socket (socket auth, no password); tab-separated, no headers. */
export async function mariadbSql(m: Pick<MariadbServer, 'socket'>, sql: string, database?: string): Promise<string> {
  const client = (await findBinary('mariadb')) ?? (await findBinary('mysql'))
  if (!client) throw new Error('the mariadb command-line client was not found — install mariadb-client')
  const args = ['--no-defaults', `--socket=${m.socket}`, '-uroot', '--batch', '--skip-column-names', '-e', sql]
  return (await run(client, database ? [...args, database] : args)).trim()
}
