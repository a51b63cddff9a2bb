import { AppError } from '../../../../shared/errors'
import type { ProfileConfig } from '../../../../shared/model'
import { isAbsolutePath } from '../../../../shared/model'
import { once, toolDump } from '../child-process'
import { localToolHost } from '../tool-host'
import type { DumpRequest, RunningDump } from '../engine'
import { DEFAULT_PROBE_TIMEOUT_MS } from '../probe'
import { probeMysql } from './probe'
import { queryMysqlTables, selectMysqlTables, toTableInfo, withMysqlConnection, type MysqlTable } from './tables'

type MysqlProfile = Extract<ProfileConfig, { engine: 'mysql' }>

/**
 * mariadb-dump / mysqldump to stdout, plain SQL only. Pre-flight as for PostgreSQL: the probe
 * (connect, tool) and the table list, before any byte. Credentials go in a 0600 option file.
 */
export async function startMysqlDump(request: DumpRequest): Promise<RunningDump> {
  const { signal } = request
  const profile = request.profile
  if (profile.engine !== 'mysql') throw new AppError('INTERNAL', `not a MySQL profile: ${profile.engine}`)
  if (request.format !== 'plain') throw new AppError('VALIDATION', 'MySQL/MariaDB backups are plain SQL', 'format')
  signal.throwIfAborted()

  const probe = await probeMysql(profile, request.password, { timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, signal, ...request.tools })
  if (probe.error) throw new AppError(probe.error.code, probe.error.message, probe.error.field)
  if (!probe.tool || !probe.server) throw new AppError('INTERNAL', 'the MySQL probe reported neither a tool nor an error')

  const all = await withMysqlConnection(profile, request.password, signal, (conn) => queryMysqlTables(conn, profile.database))
  const tables = selectMysqlTables(all, request.tables)
  signal.throwIfAborted()

  const host = request.host ?? localToolHost(request.tempDir)
  const files: string[] = []
  const cleanup = once(() => host.removeFiles(files))
  try {
    const cnf = await host.writePrivateFile('my.cnf', mysqlOptionFile(request.toolProfile?.engine === 'mysql' ? request.toolProfile : profile, request.password))
    files.push(cnf)
    const oracleTool = !/mariadb/i.test(probe.tool.version)
    const tool = host.run({
      name: probe.tool.name,
      file: probe.tool.path,
      args: mysqlDumpArgs(cnf, profile.database, request, request.tables === null ? null : tables, {
        oracleTool,
        mariadbServer: probe.server.product === 'MariaDB',
      }),
      // Also the escaped form written to the option file, should a tool ever echo a line of it.
      secrets: [request.password, request.password && optionEscape(request.password)],
      signal,
    })
    return toolDump(
      tool,
      {
        serverVersion: `${probe.server.product} ${probe.server.version}`,
        toolName: probe.tool.name,
        toolVersion: probe.tool.version,
        tables: tables.map(toTableInfo),
        estimatedBytes: request.schemaOnly ? null : tables.reduce((sum, t) => sum + t.bytes, 0),
        warnings: probe.warnings,
      },
      cleanup,
    )
  } catch (err) {
    await cleanup()
    throw err
  }
}

export interface MysqlToolTraits {
  /** Oracle's mysqldump (not MariaDB's): needs --set-gtid-purged=OFF so the dump restores anywhere. */
  oracleTool: boolean
  /** Oracle's mysqldump 8 against MariaDB queries a table MariaDB lacks unless told not to. */
  mariadbServer: boolean
}

/**
 * The option file comes first (the tools refuse it anywhere else). --no-tablespaces: a user without
 * the PROCESS privilege can dump. No --databases: the dump must restore into any database name.
 * Selected tables or data only: no routines/events (like pg_dump -t), and data only has no triggers.
 */
export function mysqlDumpArgs(
  optionFile: string,
  database: string,
  request: Pick<DumpRequest, 'schemaOnly' | 'dataOnly'>,
  tables: MysqlTable[] | null,
  traits: MysqlToolTraits,
): string[] {
  const args = [`--defaults-extra-file=${optionFile}`, '--single-transaction', '--quick']
  const wholeSchema = tables === null && !request.dataOnly
  if (wholeSchema) args.push('--routines', '--events')
  args.push(request.dataOnly ? '--skip-triggers' : '--triggers')
  args.push('--hex-blob', '--default-character-set=utf8mb4', '--no-tablespaces', '--max-allowed-packet=1073741824')
  if (traits.oracleTool) args.push('--set-gtid-purged=OFF')
  if (traits.oracleTool && traits.mariadbServer) args.push('--column-statistics=0')
  if (request.schemaOnly) args.push('--no-data')
  if (request.dataOnly) args.push('--no-create-info')
  // "--" ends the options: a database or table name may start with "-".
  args.push('--', database, ...(tables ?? []).map((t) => t.name))
  return args
}

/**
 * [client] group for --defaults-extra-file. Values double-quoted with \ " and line breaks escaped
 * (unquoted values break on #, leading spaces and backslashes). An absolute host is a socket file.
 */
export function mysqlOptionFile(profile: MysqlProfile, password: string | undefined): string {
  const q = (s: string) => `"${optionEscape(s)}"`
  const lines = ['[client]', `user=${q(profile.user)}`]
  if (password !== undefined) lines.push(`password=${q(password)}`)
  if (isAbsolutePath(profile.host)) {
    lines.push(`socket=${q(profile.host)}`, 'protocol=SOCKET')
  } else {
    // protocol=TCP: without it "localhost" means the default socket, not the port.
    lines.push(`host=${q(profile.host)}`, `port=${profile.port}`, 'protocol=TCP')
  }
  return `${lines.join('\n')}\n`
}

const optionEscape = (s: string): string => s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')
