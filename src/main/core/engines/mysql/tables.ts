import { connect } from 'node:net'
import type { RowDataPacket } from 'mysql2'
import { createConnection, type Connection } from 'mysql2/promise'
import { AppError } from '../../../../shared/errors'
import type { TableInfo } from '../../../../shared/backup-model'
import type { ProfileConfig } from '../../../../shared/model'
import { isAbsolutePath } from '../../../../shared/model'
import { withDeadline } from '../deadline'
import { endpoint } from '../net-errors'
import { DEFAULT_PROBE_TIMEOUT_MS } from '../probe'
import { mysqlProbeError } from './errors'

type MysqlProfile = Extract<ProfileConfig, { engine: 'mysql' }>

/** Table names are the bare TABLE_NAME, matched exactly (case-sensitive, as on Linux servers). */
export interface MysqlTable {
  name: string
  /** information_schema TABLE_ROWS: exact for MyISAM, an estimate for InnoDB */
  rows: number | null
  /**
   * DATA_LENGTH + INDEX_LENGTH. InnoDB's figures lag after bulk loads (sakila right after loading:
   * 0.9 MB of data for a 3.4 MB dump); with the indexes the estimate errs high, not low.
   */
  bytes: number
}

// SYSTEM VERSIONED is MariaDB's type for system-versioned tables; views and sequences are not offered.
const TABLES_SQL = `
SELECT TABLE_NAME AS name, TABLE_ROWS AS \`rows\`, DATA_LENGTH + INDEX_LENGTH AS bytes
  FROM information_schema.TABLES
 WHERE TABLE_SCHEMA = ? AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
 ORDER BY TABLE_NAME`

export async function queryMysqlTables(conn: Connection, database: string): Promise<MysqlTable[]> {
  const [rows] = await conn.query<Array<{ name: string; rows: number | string | null; bytes: number | string | null } & RowDataPacket>>(TABLES_SQL, [database])
  return rows.map((r) => ({ name: String(r.name), rows: r.rows === null ? null : Number(r.rows), bytes: Number(r.bytes ?? 0) }))
}

/** The tables for `requested` (exact names), or all for null; unknown names are a VALIDATION error. */
export function selectMysqlTables(all: readonly MysqlTable[], requested: readonly string[] | null): MysqlTable[] {
  if (requested === null) return [...all]
  const unknown = requested.filter((name) => !all.some((t) => t.name === name))
  if (unknown.length > 0) throw new AppError('VALIDATION', `no such table: ${unknown.join(', ')}`, 'tables')
  const wanted = new Set(requested)
  return all.filter((t) => wanted.has(t.name))
}

export const toTableInfo = (t: MysqlTable): TableInfo => ({ name: t.name, rows: t.rows })

/** A short-lived mysql2 connection with the profile's settings, errors mapped as in the probe. */
export async function withMysqlConnection<T>(
  profile: MysqlProfile,
  password: string | undefined,
  signal: AbortSignal,
  work: (conn: Connection) => Promise<T>,
  timeoutMs = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<T> {
  const socketPath = isAbsolutePath(profile.host) ? profile.host : undefined
  const context = {
    where: endpoint(profile.host, profile.port, socketPath),
    host: profile.host,
    product: 'MySQL/MariaDB',
    timeoutMs,
    user: profile.user,
    database: profile.database,
    passwordGiven: password !== undefined,
  }
  try {
    return await withDeadline(timeoutMs, signal, async (s) => {
      // Our own socket, so the deadline or a cancel can tear the connection down at any stage.
      const socket = socketPath ? connect(socketPath) : connect(profile.port, profile.host)
      const destroy = () => socket.destroy()
      s.addEventListener('abort', destroy, { once: true })
      try {
        const conn = await createConnection({ stream: socket, user: profile.user, password, database: profile.database, connectTimeout: timeoutMs, charset: 'utf8mb4' })
        conn.on('error', () => {})
        try {
          return await work(conn)
        } finally {
          await conn.end().catch(() => {})
        }
      } finally {
        s.removeEventListener('abort', destroy)
        socket.destroy()
      }
    })
  } catch (err) {
    if (signal.aborted) throw signal.reason
    if (err instanceof AppError) throw err
    const info = mysqlProbeError(err, context)
    throw new AppError(info.code, password ? info.message.split(password).join('***') : info.message, info.field)
  }
}

export async function listMysqlTables(profile: MysqlProfile, password: string | undefined, signal: AbortSignal): Promise<TableInfo[]> {
  const tables = await withMysqlConnection(profile, password, signal, (conn) => queryMysqlTables(conn, profile.database))
  return tables.map(toTableInfo)
}
