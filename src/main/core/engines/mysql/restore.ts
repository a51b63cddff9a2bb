import type { RowDataPacket } from 'mysql2'
import { AppError } from '../../../../shared/errors'
import type { ProfileConfig } from '../../../../shared/model'
import { once, removeFiles, runTool, writePrivateFile } from '../child-process'
import type { RestoreCommandsRequest, RestoreRequest, RunningRestore } from '../engine'
import { DEFAULT_PROBE_TIMEOUT_MS } from '../probe'
import { CREDENTIALS_PLACEHOLDER, displayCommand, toolRestore } from '../restore-process'
import { exeName, pathFor, versionOutput, type ClientTool } from '../tools/search'
import { parseMysqlToolVersion } from '../tools/versions'
import { DefinerRewrite } from './definer'
import { mysqlOptionFile } from './dump'
import { probeMysql } from './probe'
import { withMysqlConnection } from './tables'

type MysqlProfile = Extract<ProfileConfig, { engine: 'mysql' }>
type Options = Pick<RestoreRequest, 'format' | 'dropExisting' | 'schemaOnly' | 'dataOnly' | 'tables'>

const asMysql = (profile: ProfileConfig): MysqlProfile => {
  if (profile.engine !== 'mysql') throw new AppError('INTERNAL', `not a MySQL profile: ${profile.engine}`)
  return profile
}
const ident = (s: string) => `\`${s.replace(/`/g, '``')}\``

export function checkMysqlRestoreOptions(o: Options): void {
  if (o.format !== 'plain') throw new AppError('VALIDATION', 'MySQL/MariaDB backups are plain SQL', 'format')
  const asked = [o.schemaOnly && 'schema only', o.dataOnly && 'data only', o.tables !== null && 'selected tables'].filter(Boolean)
  if (asked.length > 0) {
    throw new AppError('VALIDATION', `${asked.join(', ')} cannot be picked out of a MySQL/MariaDB dump at restore time; make a backup with those options instead`, 'tables')
  }
}

/**
 * The option file first (the client refuses it anywhere else); utf8mb4 as in the dump; binary mode
 * so NUL bytes and \r in the data survive; the database after "--" (a name may start with "-").
 */
export function mysqlRestoreArgs(optionFile: string, database: string): string[] {
  return [`--defaults-extra-file=${optionFile}`, '--default-character-set=utf8mb4', '--binary-mode', '--', database]
}

/** mariadb (or mysql) from the directory of the dump tool the probe picks for this server. */
async function clientTool(profile: MysqlProfile, password: string | undefined, signal: AbortSignal, tools: RestoreRequest['tools']): Promise<ClientTool> {
  const probe = await probeMysql(profile, password, { timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, signal, ...tools })
  if (probe.error) throw new AppError(probe.error.code, probe.error.message, probe.error.field)
  if (!probe.tool) throw new AppError('INTERNAL', 'the MySQL probe reported neither a tool nor an error')
  const p = pathFor(process.platform)
  const names = /mariadb/i.test(probe.tool.name) ? ['mariadb', 'mysql'] : ['mysql', 'mariadb']
  for (const name of names) {
    const file = p.join(p.dirname(probe.tool.path), exeName(name, process.platform))
    const out = await versionOutput(file, { signal })
    const version = out ? parseMysqlToolVersion(out) : null
    if (version) return { name, path: file, version: version.version }
  }
  throw new AppError('TOOL_MISSING', `the mariadb / mysql client was not found next to ${probe.tool.path} — install mariadb-client (or mysql-client)`, 'clientBinDir')
}

/** Statements dropping every table, view, routine, event and sequence in the target (drop existing). */
async function dropStatements(profile: MysqlProfile, password: string | undefined, database: string, signal: AbortSignal): Promise<string> {
  const target = { ...profile, database }
  const rows = await withMysqlConnection(target, password, signal, async (conn) => {
    const [objects] = await conn.query<RowDataPacket[]>(
      `SELECT CASE TABLE_TYPE WHEN 'VIEW' THEN 'VIEW' WHEN 'SEQUENCE' THEN 'SEQUENCE' ELSE 'TABLE' END AS kind, TABLE_NAME AS name
         FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?
       UNION ALL SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?
       UNION ALL SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = ?`,
      [database, database, database],
    )
    return objects as Array<{ kind: string; name: string }>
  })
  const order = ['VIEW', 'TABLE', 'SEQUENCE', 'PROCEDURE', 'FUNCTION', 'EVENT']
  rows.sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))
  const lines = ['SET FOREIGN_KEY_CHECKS=0;', ...rows.map((r) => `DROP ${r.kind} IF EXISTS ${ident(String(r.name))};`), 'SET FOREIGN_KEY_CHECKS=1;']
  return `${lines.join('\n')}\n`
}

/**
 * Runs the client with the dump on stdin, DEFINER clauses removed on the way (a non-SUPER user can
 * restore views, routines, triggers, events). Not atomic: DDL commits as it goes.
 */
export async function startMysqlRestore(request: RestoreRequest): Promise<RunningRestore> {
  const { signal } = request
  const profile = asMysql(request.profile)
  checkMysqlRestoreOptions(request)
  signal.throwIfAborted()
  // The probe connects to the target database itself: a missing database or a refused login stops here.
  const tool = await clientTool({ ...profile, database: request.database }, request.password, signal, request.tools)
  const prefix = request.dropExisting ? await dropStatements(profile, request.password, request.database, signal) : ''
  signal.throwIfAborted()

  const files: string[] = []
  const cleanup = once(() => removeFiles(files))
  try {
    const cnf = await writePrivateFile(request.tempDir, 'my.cnf', mysqlOptionFile(profile, request.password))
    files.push(cnf)
    const proc = runTool({
      name: tool.name,
      file: tool.path,
      args: mysqlRestoreArgs(cnf, request.database),
      secrets: [request.password],
      signal,
      failureCode: 'RESTORE_FAILED',
      input: true,
    })
    return toolRestore(proc, cleanup, { signal, filter: new DefinerRewrite(), prefix: Buffer.from(prefix, 'utf8') })
  } catch (err) {
    await cleanup()
    throw err
  }
}

export async function mysqlRestoreCommands(request: RestoreCommandsRequest): Promise<string[]> {
  const profile = asMysql(request.profile)
  checkMysqlRestoreOptions(request)
  let file = 'mariadb'
  try {
    file = (await clientTool(profile, request.password, request.signal ?? new AbortController().signal, request.tools)).path
  } catch {
    // Shown by name when the server or the tool can't be reached yet; startRestore reports why.
  }
  const run = `${displayCommand([file, ...mysqlRestoreArgs(CREDENTIALS_PLACEHOLDER, request.database)])} < backup (DEFINER clauses removed)`
  return request.dropExisting ? [`drop every table, view, routine, event and sequence in ${ident(request.database)} (same session)`, run] : [run]
}

export async function mysqlDatabaseExists(profile: ProfileConfig, password: string | undefined, database: string, signal: AbortSignal): Promise<boolean> {
  const p = asMysql(profile)
  return withMysqlConnection(p, password, signal, async (conn) => {
    const [rows] = await conn.query<RowDataPacket[]>('SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database])
    return rows.length > 0
  })
}

export async function mysqlCreateDatabase(profile: ProfileConfig, password: string | undefined, database: string, signal: AbortSignal): Promise<void> {
  const p = asMysql(profile)
  await withMysqlConnection(p, password, signal, async (conn) => {
    await conn.query(`CREATE DATABASE ${ident(database)}`)
  })
}
