import { open, stat } from 'node:fs/promises'
import Database from 'better-sqlite3'
import type { ErrorInfo } from '../../../../shared/errors'
import type { ConnectionTestResult, ProfileConfig } from '../../../../shared/model'
import { errnoCode, errorMessage } from '../net-errors'
import type { ProbeOptions } from '../probe'
import { probeResult, toolSearch } from '../probe-result'
import { findSqliteCli } from '../tools/sqlite-tools'

type SqliteProfile = Extract<ProfileConfig, { engine: 'sqlite' }>

const HEADER = Buffer.from('SQLite format 3\0', 'latin1')

/**
 * Opens the file read-only (never creating it) and reads the library's SQLite version. Backups use
 * the built-in library, so a missing sqlite3 shell is only a warning.
 */
export async function probeSqlite(profile: SqliteProfile, options: ProbeOptions): Promise<ConnectionTestResult> {
  const startedAt = performance.now()
  const cli = findSqliteCli(toolSearch(null, options))
  const opened = await openReadOnly(profile.file, options.timeoutMs)
  const sqlite3 = await cli
  options.signal?.throwIfAborted()
  if ('error' in opened) return probeResult('sqlite', startedAt, { server: null, tool: sqlite3, error: opened.error, warnings: [] }, undefined)

  const warnings: string[] = []
  if (opened.empty) warnings.push(`${profile.file} is empty (0 bytes): SQLite treats it as a database with no tables`)
  if (!sqlite3) warnings.push('the sqlite3 command-line tool was not found; backups do not need it, only restoring by hand does')
  return probeResult(
    'sqlite',
    startedAt,
    {
      server: { product: 'SQLite', version: opened.version },
      tool: sqlite3 ?? { name: 'better-sqlite3 (built in)', path: '', version: opened.version },
      error: null,
      warnings,
    },
    undefined,
  )
}

type Opened = { version: string; empty: boolean } | { error: ErrorInfo }

async function openReadOnly(file: string, timeoutMs: number): Promise<Opened> {
  const fail = (code: ErrorInfo['code'], message: string): Opened => ({ error: { code, message, field: 'file' } })
  // The header check first: it gives a clear answer without SQLite guessing at a foreign file.
  let size: number
  try {
    const info = await stat(file)
    if (info.isDirectory()) return fail('NOT_A_DATABASE', `${file} is a directory, not an SQLite database file`)
    size = info.size
    if (size > 0) {
      const handle = await open(file, 'r')
      try {
        const { buffer, bytesRead } = await handle.read(Buffer.alloc(HEADER.length), 0, HEADER.length, 0)
        if (bytesRead < HEADER.length || !buffer.equals(HEADER)) return fail('NOT_A_DATABASE', `${file} is not an SQLite database (no "SQLite format 3" header)`)
      } finally {
        await handle.close()
      }
    }
  } catch (err) {
    return fail(...fileError(err, file))
  }

  try {
    // Busy timeout = the probe's bound: a rollback-journal database under a steady writer can keep a
    // reader waiting for a while (seen > 2 s on a loaded machine), yet must not freeze the caller forever.
    const db = new Database(file, { readonly: true, fileMustExist: true, timeout: timeoutMs })
    try {
      // Reading the schema forces SQLite to parse page 1 (catches SQLITE_NOTADB, encryption, corruption).
      db.prepare('SELECT count(*) FROM sqlite_master').get()
      const row = db.prepare('SELECT sqlite_version() AS v').get() as { v: string }
      return { version: row.v, empty: size === 0 }
    } finally {
      db.close()
    }
  } catch (err) {
    return fail(...fileError(err, file))
  }
}

function fileError(err: unknown, file: string): [ErrorInfo['code'], string] {
  const code = errnoCode(err)
  switch (code) {
    case 'ENOENT':
      return ['UNKNOWN_DATABASE', `${file} does not exist`]
    case 'SQLITE_CANTOPEN':
      // The file exists (stat said so): usually a WAL database whose -shm/-wal SQLite may not create.
      return ['PERMISSION_DENIED', `SQLite cannot open ${file} — check the permissions of the file and its directory`]
    case 'ENOTDIR':
      return ['UNKNOWN_DATABASE', `${file} does not exist (a parent is not a directory)`]
    case 'EACCES':
    case 'EPERM':
    case 'SQLITE_PERM':
      return ['PERMISSION_DENIED', `not allowed to read ${file} — check its permissions and its directory's`]
    case 'SQLITE_NOTADB':
      return ['NOT_A_DATABASE', `${file} is not an SQLite database (or it is encrypted)`]
    case 'SQLITE_CORRUPT':
      return ['NOT_A_DATABASE', `${file} is a corrupt SQLite database: ${errorMessage(err)}`]
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return ['INTERNAL', `${file} is locked by another process; try again when it is idle`]
    default:
      return ['INTERNAL', `${file}: ${errorMessage(err)}`]
  }
}
