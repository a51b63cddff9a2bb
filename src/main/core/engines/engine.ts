import type { Readable } from 'node:stream'
import type { BackupFormat, TableInfo } from '../../../shared/backup-model'
import type { Engine as EngineName, ProfileConfig } from '../../../shared/model'
import type { ProbeOptions } from './probe'

export interface DumpRequest {
  profile: ProfileConfig
  password: string | undefined
  format: BackupFormat
  schemaOnly: boolean
  dataOnly: boolean
  /** Names as returned by listTables; null = the whole database. */
  tables: string[] | null
  /** A private 0700 directory for credential files and snapshots; the engine removes what it puts there in dispose(). */
  tempDir: string
  signal: AbortSignal
  /** Tool search settings, as for the connection probe. */
  tools?: Pick<ProbeOptions, 'extraToolDirs' | 'toolPath' | 'searchWellKnownDirs'>
}

export interface DumpInfo {
  serverVersion: string
  toolName: string
  toolVersion: string
  /** The tables the dump covers. */
  tables: TableInfo[]
  /** Expected dump size for progress (database size); null when unknown. */
  estimatedBytes: number | null
}

export interface RunningDump {
  /** Known before the first byte is read. */
  info: DumpInfo
  /** The dump itself. */
  stdout: Readable
  /**
   * Settles after the tool closed (not merely exited): resolves on exit 0, rejects with an AppError
   * carrying the bounded stderr tail (no secrets) on a non-zero exit or a signal, even if bytes were written.
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
