import type { Client } from 'pg'
import { AppError, isAppError } from '../../../../shared/errors'
import type { ProfileConfig } from '../../../../shared/model'
import { once, removeFiles, runTool, writePrivateFile } from '../child-process'
import type { RestoreCommandsRequest, RestoreRequest, RunningRestore } from '../engine'
import { DEFAULT_PROBE_TIMEOUT_MS } from '../probe'
import { CREDENTIALS_PLACEHOLDER, displayCommand, toolRestore } from '../restore-process'
import { findPgCompanion } from '../tools/postgres-tools'
import type { ClientTool } from '../tools/search'
import { pgConninfoDbname, pgpassLine } from './dump'
import { PgPlainFilter } from './plain-filter'
import { probePostgres } from './probe'
import { parsePgTableName, withPgClient } from './tables'

type PostgresProfile = Extract<ProfileConfig, { engine: 'postgres' }>
type Options = Pick<RestoreRequest, 'format' | 'dropExisting' | 'schemaOnly' | 'dataOnly' | 'tables'>

const asPostgres = (profile: ProfileConfig): PostgresProfile => {
  if (profile.engine !== 'postgres') throw new AppError('INTERNAL', `not a PostgreSQL profile: ${profile.engine}`)
  return profile
}

/** Refuses options the backup's format cannot honour, before anything runs. */
export function checkPgRestoreOptions(o: Options): void {
  if (o.format === 'sqlite') throw new AppError('VALIDATION', 'PostgreSQL backups are custom or plain format', 'format')
  if (o.format === 'plain') {
    const asked = [o.dropExisting && 'drop existing objects', o.schemaOnly && 'schema only', o.dataOnly && 'data only', o.tables !== null && 'selected tables'].filter(Boolean)
    if (asked.length > 0) {
      throw new AppError('VALIDATION', `${asked.join(', ')} need a custom-format backup; a plain SQL backup restores as a whole`, 'format')
    }
  }
  if (o.dropExisting && o.dataOnly) throw new AppError('VALIDATION', 'drop existing objects and data only cannot be combined (the tables would be gone)', 'dropExisting')
  for (const name of o.tables ?? []) {
    if (!parsePgTableName(name)) throw new AppError('VALIDATION', `not a table name: ${name}`, 'tables')
  }
}

/**
 * pg_restore (custom) reading the archive from stdin, or psql (plain) running it from stdin; both
 * in one transaction that any error aborts, so a failure leaves the target as it was.
 */
export function pgRestoreArgs(profile: PostgresProfile, database: string, o: Options): string[] {
  const conn = ['-w', '-h', profile.host, '-p', String(profile.port), '-U', profile.user, '-d', pgConninfoDbname(database)]
  if (o.format === 'plain') return ['-X', '-q', ...conn, '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-f', '-']
  const args = [...conn, '--no-owner', '--no-privileges', '--exit-on-error', '--single-transaction']
  if (o.dropExisting) args.push('--clean', '--if-exists')
  if (o.schemaOnly) args.push('-s')
  if (o.dataOnly) args.push('-a')
  for (const name of o.tables ?? []) {
    const t = parsePgTableName(name)
    if (!t) continue
    // pg_restore takes exact names (no patterns, no quoting).
    if (t.schema !== null) args.push('-n', t.schema)
    args.push('-t', t.table)
  }
  return args
}

/** The tool for the format, from the directory of the pg_dump the probe picks for this server. */
async function restoreTool(profile: PostgresProfile, password: string | undefined, o: Options, signal: AbortSignal, tools: RestoreRequest['tools']): Promise<ClientTool> {
  const probe = await probePostgres(profile, password, { timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, signal, ...tools })
  if (probe.error) throw new AppError(probe.error.code, probe.error.message, probe.error.field)
  if (!probe.tool) throw new AppError('INTERNAL', 'the PostgreSQL probe reported neither a tool nor an error')
  return findPgCompanion(probe.tool, o.format === 'plain' ? 'psql' : 'pg_restore', { signal })
}

export async function startPostgresRestore(request: RestoreRequest): Promise<RunningRestore> {
  const { signal } = request
  const profile = asPostgres(request.profile)
  checkPgRestoreOptions(request)
  signal.throwIfAborted()
  // The probe connects to the target database itself: a missing database or a refused login stops here.
  const tool = await restoreTool({ ...profile, database: request.database }, request.password, request, signal, request.tools)
  signal.throwIfAborted()

  const files: string[] = []
  const cleanup = once(() => removeFiles(files))
  try {
    const env: Record<string, string> = { PGCONNECT_TIMEOUT: String(Math.ceil(DEFAULT_PROBE_TIMEOUT_MS / 1000)) }
    if (request.password !== undefined) {
      const passfile = await writePrivateFile(request.tempDir, 'pgpass', pgpassLine(profile.user, request.password))
      files.push(passfile)
      env.PGPASSFILE = passfile
    }
    const proc = runTool({
      name: tool.name,
      file: tool.path,
      args: pgRestoreArgs(profile, request.database, request),
      env,
      secrets: [request.password],
      signal,
      failureCode: 'RESTORE_FAILED',
      input: true,
    })
    return toolRestore(proc, cleanup, { signal, ...(request.format === 'plain' ? { filter: new PgPlainFilter() } : { mayStopReading: true }) })
  } catch (err) {
    await cleanup()
    throw err
  }
}

export async function postgresRestoreCommands(request: RestoreCommandsRequest): Promise<string[]> {
  const profile = asPostgres(request.profile)
  checkPgRestoreOptions(request)
  const name = request.format === 'plain' ? 'psql' : 'pg_restore'
  let file = name
  try {
    file = (await restoreTool(profile, request.password, request, request.signal ?? new AbortController().signal, request.tools)).path
  } catch {
    // Shown by name when the server or the tool can't be reached yet; startRestore reports why.
  }
  const env = request.password !== undefined ? [`PGPASSFILE=${CREDENTIALS_PLACEHOLDER}`] : []
  const filter = request.format === 'plain' ? " (pg_dump's own BEGIN/COMMIT around large objects removed, so it stays one transaction)" : ''
  return [`${displayCommand([...env, file, ...pgRestoreArgs(profile, request.database, request)])} < backup${filter}`]
}

/**
 * A connection for server-wide questions (does a database exist, CREATE DATABASE): the profile's own
 * database may be the one that does not exist yet, so fall back to the usual maintenance databases.
 */
async function withServerClient<T>(p: PostgresProfile, password: string | undefined, signal: AbortSignal, work: (c: Client) => Promise<T>): Promise<T> {
  let lastError: unknown
  for (const database of [p.database, 'postgres', 'template1']) {
    try {
      return await withPgClient({ ...p, database }, password, signal, work)
    } catch (e) {
      if (!(isAppError(e) && e.code === 'UNKNOWN_DATABASE')) throw e
      lastError = e
    }
  }
  throw lastError
}

export async function postgresDatabaseExists(profile: ProfileConfig, password: string | undefined, database: string, signal: AbortSignal): Promise<boolean> {
  const p = asPostgres(profile)
  return withServerClient(p, password, signal, async (c) => (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1)
}

/** CREATE DATABASE from template0 (a restore needs a clean template), the name quoted as an identifier. */
export async function postgresCreateDatabase(profile: ProfileConfig, password: string | undefined, database: string, signal: AbortSignal): Promise<void> {
  const p = asPostgres(profile)
  await withServerClient(p, password, signal, async (c) => {
    await c.query(`CREATE DATABASE "${database.replace(/"/g, '""')}" TEMPLATE template0`)
  })
}
