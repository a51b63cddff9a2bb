import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { open, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import Database from 'better-sqlite3'
import { AppError, isAppError } from '../../../../shared/errors'
import { isAbsolutePath, type ProfileConfig } from '../../../../shared/model'
import { once, runTool, writePrivateFile } from '../child-process'
import type { RestoreCommandsRequest, RestoreRequest, RunningRestore } from '../engine'
import { errorMessage } from '../net-errors'
import { toolSearch } from '../probe-result'
import { displayCommand, toolRestore } from '../restore-process'
import { findSqliteCli } from '../tools/sqlite-tools'
import type { ClientTool } from '../tools/search'

type Options = Pick<RestoreRequest, 'format' | 'schemaOnly' | 'dataOnly' | 'tables'>

export function checkSqliteRestoreOptions(o: Options, target: string): void {
  if (o.format === 'custom') throw new AppError('VALIDATION', 'SQLite backups are sqlite (a database file) or plain SQL', 'format')
  const asked = [o.schemaOnly && 'schema only', o.dataOnly && 'data only', o.tables !== null && 'selected tables'].filter(Boolean)
  if (asked.length > 0) {
    throw new AppError('VALIDATION', `${asked.join(', ')} cannot be picked out of an SQLite backup at restore time; make a backup with those options instead`, 'tables')
  }
  if (!isAbsolutePath(target)) throw new AppError('VALIDATION', 'database: for SQLite, the absolute path of the target file', 'database')
}

const tempName = (target: string) => join(dirname(target), `.${basename(target)}.restore-${randomBytes(6).toString('hex')}.tmp`)

async function sqliteCli(tools: RestoreRequest['tools']): Promise<ClientTool> {
  const cli = await findSqliteCli(toolSearch(null, { timeoutMs: 10_000, ...tools }))
  if (!cli) throw new AppError('TOOL_MISSING', 'sqlite3 not found (needed to restore a plain SQL backup) — install sqlite3, or restore a backup in the sqlite format', 'clientBinDir')
  return cli
}

/**
 * The restored database is built in a temp file beside the target (0600), synced and checked
 * (PRAGMA integrity_check), then renamed over the target: readers see the old file or the new one,
 * never a mix, and a failure at any point removes the temp file and leaves the target as it was.
 * format sqlite: the bytes are the database file; plain: SQL run by `sqlite3 -bail` into the temp file.
 */
export async function startSqliteRestore(request: RestoreRequest): Promise<RunningRestore> {
  const { signal } = request
  if (request.profile.engine !== 'sqlite') throw new AppError('INTERNAL', `not an SQLite profile: ${request.profile.engine}`)
  const target = request.database
  checkSqliteRestoreOptions(request, target)
  const dir = await stat(dirname(target)).catch(() => null)
  if (!dir?.isDirectory()) throw new AppError('VALIDATION', `database: the directory of ${target} does not exist`, 'database')
  const cli = request.format === 'plain' ? await sqliteCli(request.tools) : null
  signal.throwIfAborted()

  const temp = tempName(target)
  const created: string[] = [temp, `${temp}-journal`, `${temp}-wal`, `${temp}-shm`]
  const removeTemp = once(async () => {
    await Promise.all(created.map((f) => rm(f, { force: true })))
  })
  // 0600 from the first byte; 'wx' so nothing else's file is ever reused.
  await (await open(temp, 'wx', 0o600)).close()

  try {
    const running = cli ? await runCli(cli, temp, request) : fileWriter(temp, signal)
    const done = running.done.then(() => swapIn(temp, target, signal))
    const settled = done.catch(async (err: unknown) => {
      await removeTemp()
      if (isAppError(err)) throw err
      throw new AppError('RESTORE_FAILED', `restoring ${target} failed: ${errorMessage(err)}`)
    })
    settled.catch(() => {})
    return {
      stdin: running.stdin,
      pid: running.pid,
      done: settled,
      dispose: once(async () => {
        await running.dispose()
        await settled.catch(() => {})
        await removeTemp()
      }),
    }
  } catch (err) {
    await removeTemp()
    throw err
  }
}

async function runCli(cli: ClientTool, temp: string, request: RestoreRequest): Promise<RunningRestore> {
  // An empty init file: a user's ~/.sqliterc must not change what the dump does.
  const init = await writePrivateFile(request.tempDir, 'sqliterc', '')
  const cleanup = once(() => rm(init, { force: true }))
  const proc = runTool({ name: 'sqlite3', file: cli.path, args: sqliteCliArgs(init, temp), signal: request.signal, failureCode: 'RESTORE_FAILED', input: true })
  return toolRestore(proc, cleanup, { signal: request.signal })
}

export const sqliteCliArgs = (init: string, temp: string) => ['-init', init, '-batch', '-bail', temp]

/** The database file's bytes into `temp`; done after they are all written. */
function fileWriter(temp: string, signal: AbortSignal): RunningRestore {
  const out = createWriteStream(temp, { flags: 'r+' })
  out.on('error', () => {})
  const onAbort = () => out.destroy(isAppError(signal.reason) ? signal.reason : new AppError('CANCELLED', 'the SQLite restore was cancelled'))
  signal.addEventListener('abort', onAbort, { once: true })
  const done = new Promise<void>((resolve, reject) => {
    let finished = false
    out.once('finish', () => (finished = true))
    out.once('close', () => {
      signal.removeEventListener('abort', onAbort)
      const err = out.errored
      if (finished && !err) return resolve()
      reject(isAppError(err) ? err : new AppError('RESTORE_FAILED', `the restore input broke off${err ? `: ${errorMessage(err)}` : ''}`))
    })
  })
  done.catch(() => {})
  return { stdin: out, pid: null, done, dispose: once(async () => void out.destroy()) }
}

/** fsync, integrity check, make the target replaceable, atomic rename, fsync the directory. */
async function swapIn(temp: string, target: string, signal: AbortSignal): Promise<void> {
  const fh = await open(temp, 'r+')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
  signal.throwIfAborted()
  const check = checkIntegrity(temp)
  if (check !== 'ok') throw new AppError('RESTORE_FAILED', `the restored database failed PRAGMA integrity_check: ${check.slice(0, 2_000)}`)
  signal.throwIfAborted()
  if (await stat(target).catch(() => null)) settleTarget(target)
  await rename(temp, target)
  const d = await open(dirname(target), 'r')
  try {
    await d.sync()
  } catch {
    // Some platforms (Windows) cannot sync a directory; the rename itself is atomic.
  } finally {
    await d.close()
  }
}

function checkIntegrity(file: string): string {
  let db: Database.Database | null = null
  try {
    db = new Database(file, { fileMustExist: true, timeout: 10_000 })
    return (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; ')
  } catch (err) {
    return errorMessage(err)
  } finally {
    db?.close()
  }
}

/**
 * Folds the target's WAL back into it and leaves rollback-journal mode, so no -wal/-shm of the old
 * database is left beside the new file (SQLite would apply a stale WAL to it).
 */
function settleTarget(target: string): void {
  let db: Database.Database | null = null
  try {
    db = new Database(target, { fileMustExist: true, timeout: 10_000 })
    db.pragma('wal_checkpoint(TRUNCATE)')
    db.pragma('journal_mode = DELETE')
  } catch (err) {
    throw new AppError('RESTORE_FAILED', `could not prepare ${target} to be replaced (in use?): ${errorMessage(err)}`)
  } finally {
    db?.close()
  }
}

export async function sqliteRestoreCommands(request: RestoreCommandsRequest): Promise<string[]> {
  checkSqliteRestoreOptions(request, request.database)
  const temp = join(dirname(request.database), `.${basename(request.database)}.restore-<random>.tmp`)
  const load =
    request.format === 'plain'
      ? `${displayCommand([(await findSqliteCli(toolSearch(null, { timeoutMs: 10_000, ...request.tools })))?.path ?? 'sqlite3', ...sqliteCliArgs('<empty init file>', temp)])} < backup`
      : `write the backup to ${temp} (0600)`
  return [load, `PRAGMA integrity_check on ${temp}`, `rename ${temp} over ${request.database} (atomic)`]
}

export async function sqliteDatabaseExists(_profile: ProfileConfig, _password: string | undefined, database: string): Promise<boolean> {
  return (await stat(database).catch(() => null))?.isFile() ?? false
}
