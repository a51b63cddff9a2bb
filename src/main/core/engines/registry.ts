import { AppError } from '../../../shared/errors'
import type { TableInfo } from '../../../shared/backup-model'
import type { Engine, ProfileConfig } from '../../../shared/model'
import type { DatabaseEngine } from './engine'
import { startMysqlDump } from './mysql/dump'
import { listMysqlTables } from './mysql/tables'
import { startPostgresDump } from './postgres/dump'
import { listPostgresTables } from './postgres/tables'
import { DEFAULT_PROBE_TIMEOUT_MS } from './probe'
import { startSqliteDump } from './sqlite/dump'
import { probeSqlite } from './sqlite/probe'
import { listSqliteTables } from './sqlite/tables'

const mismatch = (engine: Engine, profile: ProfileConfig) => new AppError('INTERNAL', `a ${profile.engine} profile given to the ${engine} engine`)

const postgres: DatabaseEngine = Object.freeze({
  engine: 'postgres',
  formats: Object.freeze(['custom', 'plain'] as const),
  defaultFormat: 'custom',
  async listTables(profile: ProfileConfig, password: string | undefined, signal: AbortSignal): Promise<TableInfo[]> {
    if (profile.engine !== 'postgres') throw mismatch('postgres', profile)
    return listPostgresTables(profile, password, signal)
  },
  startDump: startPostgresDump,
})

const mysql: DatabaseEngine = Object.freeze({
  engine: 'mysql',
  formats: Object.freeze(['plain'] as const),
  defaultFormat: 'plain',
  async listTables(profile: ProfileConfig, password: string | undefined, signal: AbortSignal): Promise<TableInfo[]> {
    if (profile.engine !== 'mysql') throw mismatch('mysql', profile)
    return listMysqlTables(profile, password, signal)
  },
  startDump: startMysqlDump,
})

const sqlite: DatabaseEngine = Object.freeze({
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
})

const ENGINES: Readonly<Record<Engine, DatabaseEngine>> = Object.freeze({ postgres, mysql, sqlite })

/** The engine for a profile's `engine`; stateless singletons, safe to share. */
export function engineFor(engine: Engine): DatabaseEngine {
  return ENGINES[engine]
}
