import { connect } from 'node:net'
import type { RowDataPacket } from 'mysql2'
import { createConnection } from 'mysql2/promise'
import type { ConnectionTestResult, ProfileConfig } from '../../../../shared/model'
import { isAbsolutePath } from '../../../../shared/model'
import { withDeadline } from '../deadline'
import { endpoint } from '../net-errors'
import type { ProbeOptions } from '../probe'
import { probeResult, toolSearch } from '../probe-result'
import { chooseMysqlDump, discoverMysqlDumps, type MysqlServerVersion } from '../tools/mysql-tools'
import { numericVersion } from '../tools/versions'
import { mysqlProbeError, type MysqlErrorContext } from './errors'

type MysqlProfile = Extract<ProfileConfig, { engine: 'mysql' }>

/** Connects with mysql2, reads VERSION(), and finds the dump tool a backup would use. */
export async function probeMysql(profile: MysqlProfile, password: string | undefined, options: ProbeOptions): Promise<ConnectionTestResult> {
  const startedAt = performance.now()
  const socketPath = isAbsolutePath(profile.host) ? profile.host : undefined
  const context: MysqlErrorContext = {
    where: endpoint(profile.host, profile.port, socketPath),
    host: profile.host,
    product: 'MySQL/MariaDB',
    timeoutMs: options.timeoutMs,
    user: profile.user,
    database: profile.database,
    passwordGiven: password !== undefined,
  }
  const tools = discoverMysqlDumps(toolSearch(profile.clientBinDir, options))

  let server: MysqlServerVersion | null = null
  let serverError = null
  try {
    server = await withDeadline(options.timeoutMs, options.signal, (signal) => serverVersion(profile, password, socketPath, options.timeoutMs, signal))
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason
    serverError = mysqlProbeError(err, context)
  }
  const choice = chooseMysqlDump(await tools, server)
  return probeResult('mysql', startedAt, { server, tool: choice.tool, error: serverError ?? choice.error, warnings: server ? choice.warnings : [] }, password)
}

async function serverVersion(
  profile: MysqlProfile,
  password: string | undefined,
  socketPath: string | undefined,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<MysqlServerVersion> {
  // Our own socket, so a deadline or cancel can tear the connection down at any stage.
  const socket = socketPath ? connect(socketPath) : connect(profile.port, profile.host)
  const destroy = () => socket.destroy()
  signal.addEventListener('abort', destroy, { once: true })
  try {
    const conn = await createConnection({
      stream: socket,
      user: profile.user,
      password,
      database: profile.database,
      connectTimeout: timeoutMs,
      multipleStatements: false,
      charset: 'utf8mb4',
    })
    conn.on('error', () => {}) // a late socket error must not become an uncaught exception
    try {
      const [rows] = await conn.query<Array<{ v: string } & RowDataPacket>>({ sql: 'SELECT VERSION() AS v', timeout: timeoutMs })
      const version = rows[0]?.v ?? ''
      // "10.11.19-MariaDB-0+deb12u1" -> MariaDB 10.11.19
      return { product: /mariadb/i.test(version) ? 'MariaDB' : 'MySQL', version: numericVersion(version) }
    } finally {
      await conn.end().catch(() => {})
    }
  } finally {
    signal.removeEventListener('abort', destroy)
    socket.destroy()
  }
}
