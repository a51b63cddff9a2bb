import type { Readable, Writable } from 'node:stream'
import type { BackupFormat, TableInfo } from '../../../shared/backup-model'
import type { Engine as EngineName, ProfileConfig } from '../../../shared/model'
import type { ProbeOptions } from './probe'
import type { ToolHost } from './tool-host'

export interface DumpRequest {
  profile: ProfileConfig
  password: string | undefined
  format: BackupFormat
  schemaOnly: boolean
  dataOnly: boolean
  /**
   * Names as returned by listTables; null = the whole database. An unknown name is refused
   * (VALIDATION, field "tables") before anything runs.
   */
  tables: string[] | null
  /** A private 0700 directory for credential files and snapshots; the engine removes what it puts there in dispose(). */
  tempDir: string
  signal: AbortSignal
  /** Tool search settings, as for the connection probe. */
  tools?: Pick<ProbeOptions, 'extraToolDirs' | 'toolPath' | 'searchWellKnownDirs' | 'toolHost'>
  /** Where the tool runs; default this machine (credential files in tempDir). */
  host?: ToolHost
  /**
   * The profile the dump tool connects with, when it differs from the one for queries: in exec mode
   * the tool runs on the SSH host and reaches the server at the profile's own host and port, while
   * queries from here go through the tunnel.
   */
  toolProfile?: ProfileConfig
}

export interface DumpInfo {
  serverVersion: string
  toolName: string
  toolVersion: string
  /** The tables the dump covers. */
  tables: TableInfo[]
  /**
   * Expected size of the raw dump for progress, from the server's figures for the dumped tables
   * (PostgreSQL: pg_table_size, i.e. heap + TOAST; MySQL: data + index length; SQLite: the
   * snapshot's file size); null for schema only. An estimate: the bar may stop short or jump.
   */
  estimatedBytes: number | null
  /** Worth showing but not blocking, e.g. a MySQL dump tool older than the server. */
  warnings: string[]
}

export interface RunningDump {
  /** Known before the first byte is read. */
  info: DumpInfo
  /** The dump tool's process id while it runs; null when the engine dumps in-process (SQLite). */
  pid: number | null
  /** The dump itself. */
  stdout: Readable
  /**
   * Settles after the tool closed (not merely exited; SQLite: after the stream ended): resolves on
   * exit 0, rejects with an AppError carrying the bounded stderr tail (no secrets) on a non-zero
   * exit or a signal, even if bytes were written. Cancel (signal or dispose) rejects with the
   * signal's reason when it is an AppError (a deadline, a size limit), else CANCELLED.
   */
  done: Promise<void>
  /** Kills the tool if still running and removes temp files. Idempotent; always call it. */
  dispose(): Promise<void>
}

/**
 * One database engine. startDump refuses before producing any byte when the server can't be reached
 * or authenticated, the tool is missing, or the tool is older than the server (AppError with the
 * specific code), so no file is ever created for those.
 */
export interface DatabaseEngine {
  readonly engine: EngineName
  readonly formats: readonly BackupFormat[]
  readonly defaultFormat: BackupFormat
  listTables(profile: ProfileConfig, password: string | undefined, signal: AbortSignal): Promise<TableInfo[]>
  startDump(request: DumpRequest): Promise<RunningDump>
}

export interface RestoreRequest {
  /** The target profile (its host, user, password...). */
  profile: ProfileConfig
  password: string | undefined
  /** Target database name (SQLite: the target file path). */
  database: string
  /** The backup's format: decides the tool (pg_restore vs psql, sqlite file vs SQL). */
  format: BackupFormat
  dropExisting: boolean
  schemaOnly: boolean
  dataOnly: boolean
  tables: string[] | null
  tempDir: string
  signal: AbortSignal
  tools?: DumpRequest['tools']
}

export interface RunningRestore {
  /** Write the plain dump (decrypted, decompressed) here; honours backpressure. */
  stdin: Writable
  /** The restore tool's process id while it runs; null when the engine restores in-process (SQLite files). */
  pid: number | null
  /**
   * Settles after the tool closed: resolves on success; rejects with an AppError (RESTORE_FAILED
   * with the stderr tail, or the abort reason). PostgreSQL and SQLite leave the target as it was on
   * failure (one transaction / atomic file swap); MySQL/MariaDB can't (DDL commits).
   */
  done: Promise<void>
  dispose(): Promise<void>
}

/**
 * For the dry-run plan. With the password (optional) the tool is chosen exactly as startRestore
 * will (it depends on the server's version); without, tools are shown by name when unknown.
 */
export type RestoreCommandsRequest = Omit<RestoreRequest, 'signal' | 'tempDir' | 'password'> & { password?: string; signal?: AbortSignal }

/** Restore side of an engine (DESIGN.md §5). */
export interface RestoringEngine {
  /** Whether the restore runs in one transaction (or an atomic swap), so a failure changes nothing. */
  readonly atomicRestore: boolean
  databaseExists(profile: ProfileConfig, password: string | undefined, database: string, signal: AbortSignal): Promise<boolean>
  /** CREATE DATABASE (identifier quoted; any name); SQLite: nothing to do. */
  createDatabase(profile: ProfileConfig, password: string | undefined, database: string, signal: AbortSignal): Promise<void>
  /** The commands startRestore will run, for the dry-run plan; no secrets in them. */
  restoreCommands(request: RestoreCommandsRequest): Promise<string[]>
  /** Refuses before touching the target when the tool is missing/too old or the options don't fit the format. */
  startRestore(request: RestoreRequest): Promise<RunningRestore>
}
