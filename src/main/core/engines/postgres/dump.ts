import { AppError } from '../../../../shared/errors'
import type { ProfileConfig } from '../../../../shared/model'
import { once, toolDump } from '../child-process'
import { localToolHost } from '../tool-host'
import type { DumpRequest, RunningDump } from '../engine'
import { DEFAULT_PROBE_TIMEOUT_MS } from '../probe'
import { probePostgres } from './probe'
import { pgDumpPattern, queryPgTables, selectPgTables, toTableInfo, withPgClient, type PgTable } from './tables'

type PostgresProfile = Extract<ProfileConfig, { engine: 'postgres' }>

/**
 * pg_dump to stdout. Pre-flight (before any byte): the probe's connect (AUTH_FAILED, UNREACHABLE...)
 * and its pg_dump choice (TOOL_MISSING, VERSION_MISMATCH), then the table list (VALIDATION for an
 * unknown selected table). The password reaches pg_dump only through a 0600 PGPASSFILE.
 */
export async function startPostgresDump(request: DumpRequest): Promise<RunningDump> {
  const { signal } = request
  const profile = request.profile
  if (profile.engine !== 'postgres') throw new AppError('INTERNAL', `not a PostgreSQL profile: ${profile.engine}`)
  if (request.format === 'sqlite') throw new AppError('VALIDATION', 'PostgreSQL backups are custom or plain format', 'format')
  signal.throwIfAborted()

  const probe = await probePostgres(profile, request.password, { timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, signal, ...request.tools })
  if (probe.error) throw new AppError(probe.error.code, probe.error.message, probe.error.field)
  if (!probe.tool || !probe.server) throw new AppError('INTERNAL', 'the PostgreSQL probe reported neither a tool nor an error')

  const all = await withPgClient(profile, request.password, signal, queryPgTables)
  const tables = selectPgTables(all, request.tables)
  signal.throwIfAborted()

  const host = request.host ?? localToolHost(request.tempDir)
  const files: string[] = []
  const cleanup = once(() => host.removeFiles(files))
  try {
    const env: Record<string, string> = {}
    if (request.password !== undefined) {
      const passfile = await host.writePrivateFile('pgpass', pgpassLine(profile.user, request.password))
      files.push(passfile)
      env.PGPASSFILE = passfile
    }
    // Bounds the connect like the probe; pg_dump otherwise waits as long as the OS does.
    env.PGCONNECT_TIMEOUT = String(Math.ceil(DEFAULT_PROBE_TIMEOUT_MS / 1000))
    const tool = host.run({
      name: 'pg_dump',
      file: probe.tool.path,
      args: pgDumpArgs(toolProfileOf(request, profile), request, request.tables === null ? null : tables),
      env,
      // Also the escaped form written to the password file, should a tool ever echo a line of it.
      secrets: [request.password, request.password && pgpassField(request.password)],
      signal,
    })
    return toolDump(
      tool,
      {
        serverVersion: probe.server.version,
        toolName: 'pg_dump',
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

/** The tool connects as the request says (exec mode: the host and port as the SSH host sees them). */
function toolProfileOf(request: DumpRequest, profile: PostgresProfile): PostgresProfile {
  const tp = request.toolProfile
  return tp?.engine === 'postgres' ? tp : profile
}

/**
 * custom = -Fc -Z0 (compression happens in our pipeline; owners and grants kept, pg_restore decides);
 * plain = -Fp --no-owner --no-privileges, so psql replays it as any user on any server. No
 * --no-sync: pg_dump only syncs files it writes itself, and it writes to stdout.
 */
export function pgDumpArgs(profile: PostgresProfile, request: Pick<DumpRequest, 'format' | 'schemaOnly' | 'dataOnly'>, tables: PgTable[] | null): string[] {
  const args = ['-w', '-h', profile.host, '-p', String(profile.port), '-U', profile.user, '-d', pgConninfoDbname(profile.database)]
  args.push(...(request.format === 'plain' ? ['-Fp', '--no-owner', '--no-privileges'] : ['-Fc', '-Z0']))
  if (request.schemaOnly) args.push('-s')
  if (request.dataOnly) args.push('-a')
  for (const t of tables ?? []) args.push('-t', pgDumpPattern(t.schema, t.table))
  return args
}

/**
 * libpq reads a -d value containing "=" or starting with postgres:// / postgresql:// as a connection
 * string. Always passing one (dbname='...', with \ and ' escaped) makes every database name literal.
 */
export function pgConninfoDbname(database: string): string {
  return `dbname='${database.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/** One .pgpass line for any host, port and database: "*:*:*:user:password", with : and \ escaped. */
export function pgpassLine(user: string, password: string): string {
  if (/[\r\n]/.test(password) || /[\r\n]/.test(user)) {
    throw new AppError('VALIDATION', 'a user or password containing a line break cannot be passed to pg_dump (.pgpass is line based)', 'password')
  }
  return `*:*:*:${pgpassField(user)}:${pgpassField(password)}\n`
}

const pgpassField = (s: string): string => s.replace(/\\/g, '\\\\').replace(/:/g, '\\:')
