import { AppError } from '../../../shared/errors'
import type { TableInfo } from '../../../shared/backup-model'
import type { Engine as EngineName, ProfileConfig } from '../../../shared/model'
import type { DatabaseEngine, RestoringEngine } from './engine'
import { startMysqlDump } from './mysql/dump'
import { mysqlCreateDatabase, mysqlDatabaseExists, mysqlRestoreCommands, startMysqlRestore } from './mysql/restore'
import { listMysqlTables } from './mysql/tables'
import { startPostgresDump } from './postgres/dump'
import { postgresCreateDatabase, postgresDatabaseExists, postgresRestoreCommands, startPostgresRestore } from './postgres/restore'
import { listPostgresTables } from './postgres/tables'
import { DEFAULT_PROBE_TIMEOUT_MS } from './probe'
import { startSqliteDump } from './sqlite/dump'
import { probeSqlite } from './sqlite/probe'
import { sqliteDatabaseExists, sqliteRestoreCommands, startSqliteRestore } from './sqlite/restore'
import { listSqliteTables } from './sqlite/tables'

/** An engine with both sides: backups and restores. */
export type Engine = DatabaseEngine & RestoringEngine

const mismatch = (engine: EngineName, profile: ProfileConfig) => new AppError('INTERNAL', `a ${profile.engine} profile given to the ${engine} engine`)

const postgres: Engine = Object.freeze({
  engine: 'postgres',
  formats: Object.freeze(['custom', 'plain'] as const),
  defaultFormat: 'custom',
  async listTables(profile: ProfileConfig, password: string | undefined, signal: AbortSignal): Promise<TableInfo[]> {
    if (profile.engine !== 'postgres') throw mismatch('postgres', profile)
    return listPostgresTables(profile, password, signal)
  },
  startDump: startPostgresDump,
  atomicRestore: true,
  databaseExists: postgresDatabaseExists,
  createDatabase: postgresCreateDatabase,
  restoreCommands: postgresRestoreCommands,
  startRestore: startPostgresRestore,
})

const mysql: Engine = Object.freeze({
  engine: 'mysql',
  formats: Object.freeze(['plain'] as const),
  defaultFormat: 'plain',
  async listTables(profile: ProfileConfig, password: string | undefined, signal: AbortSignal): Promise<TableInfo[]> {
    if (profile.engine !== 'mysql') throw mismatch('mysql', profile)
    return listMysqlTables(profile, password, signal)
  },
  startDump: startMysqlDump,
  atomicRestore: false,
  databaseExists: mysqlDatabaseExists,
  createDatabase: mysqlCreateDatabase,
  restoreCommands: mysqlRestoreCommands,
  startRestore: startMysqlRestore,
})

const sqlite: Engine = Object.freeze({
  engine: 'sqlite',
  formats: Object.freeze(['sqlite', 'plain'] as const),
  defaultFormat: 'sqlite',
  async listTables(profile: ProfileConfig, _password: string | undefined, signal: AbortSignal): Promise<TableInfo[]> {
    if (profile.engine !== 'sqlite') throw mismatch('sqlite', profile)
    // The probe's checks first, for its specific messages (missing file, not a database...).
    const probe = await probeSqlite(profile, { timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, signal })
    if (probe.error) throw new AppError(probe.error.code, probe.error.message, probe.error.field)
    return listSqliteTables(profile, signal)
  },
  startDump: startSqliteDump,
  atomicRestore: true,
  async databaseExists(profile: ProfileConfig, password: string | undefined, database: string): Promise<boolean> {
    return sqliteDatabaseExists(profile, password, database)
  },
  // A new SQLite database is the file the restore renames into place.
  async createDatabase(): Promise<void> {},
  restoreCommands: sqliteRestoreCommands,
  startRestore: startSqliteRestore,
})

const ENGINES: Readonly<Record<EngineName, Engine>> = Object.freeze({ postgres, mysql, sqlite })

/** The engine for a profile's `engine`; stateless singletons, safe to share. */
export function engineFor(engine: EngineName): Engine {
  return ENGINES[engine]
}
