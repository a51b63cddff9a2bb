import { Socket } from 'node:net'
import { Client } from 'pg'
import type { ConnectionTestResult, ProfileConfig } from '../../../../shared/model'
import { withDeadline } from '../deadline'
import type { ProbeOptions } from '../probe'
import { probeResult, toolSearch } from '../probe-result'
import { choosePgDump, discoverPgDumps, type PgServerVersion } from '../tools/postgres-tools'
import { pgClientConfig, pgErrorContext, refusesPlaintext } from './connection'
import { pgProbeError } from './errors'

type PostgresProfile = Extract<ProfileConfig, { engine: 'postgres' }>

/**
 * Connects with the pg driver (no psql, so the password never reaches a command line), reads the
 * server version, and finds the pg_dump a backup would use. Tool discovery runs during the connect.
 */
export async function probePostgres(profile: PostgresProfile, password: string | undefined, options: ProbeOptions): Promise<ConnectionTestResult> {
  const startedAt = performance.now()
  const context = pgErrorContext(profile, options.timeoutMs)
  const tools = discoverPgDumps(toolSearch(profile.clientBinDir, options))

  let server: PgServerVersion | null = null
  let serverError = null
  try {
    server = await withDeadline(options.timeoutMs, options.signal, (signal) => serverVersion(profile, password, options.timeoutMs, signal))
  } catch (err) {
    if (options.signal?.aborted) throw options.signal.reason
    serverError = pgProbeError(err, context)
  }
  const choice = choosePgDump(await tools, server)
  return probeResult(
    'postgres',
    startedAt,
    {
      server: server && { product: 'PostgreSQL', version: server.version },
      tool: choice.tool,
      error: serverError ?? choice.error,
      warnings: server ? choice.warnings : [],
    },
    password,
  )
}

async function serverVersion(profile: PostgresProfile, password: string | undefined, timeoutMs: number, signal: AbortSignal): Promise<PgServerVersion> {
  try {
    return await connectAndQuery(profile, password, timeoutMs, signal, false)
  } catch (err) {
    if (refusesPlaintext(err) && !signal.aborted) {
      return connectAndQuery(profile, password, timeoutMs, signal, true)
    }
    throw err
  }
}

async function connectAndQuery(
  profile: PostgresProfile,
  password: string | undefined,
  timeoutMs: number,
  signal: AbortSignal,
  ssl: boolean,
): Promise<PgServerVersion> {
  // Our own socket, so a deadline or cancel can tear the connection down at any stage.
  const socket = new Socket()
  const destroy = () => socket.destroy()
  signal.addEventListener('abort', destroy, { once: true })
  const client = new Client({ ...pgClientConfig(profile, password, { ssl, timeoutMs }), stream: () => socket, query_timeout: timeoutMs })
  client.on('error', () => {}) // a late socket error must not become an uncaught exception
  let connected = false
  try {
    await client.connect()
    connected = true
    const { rows } = await client.query<{ version: string; num: string }>(
      "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
    )
    const row = rows[0]
    if (!row) throw new Error('the server returned no version')
    // "15.14 (Debian 15.14-0+deb12u1)" -> "15.14"
    return { version: row.version.split(' ')[0] ?? row.version, versionNum: Number(row.num) }
  } finally {
    if (connected) await client.end().catch(() => {})
    signal.removeEventListener('abort', destroy)
    socket.destroy()
  }
}
