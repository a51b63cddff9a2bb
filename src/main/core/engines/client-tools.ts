/**
 * Client tool discovery (pg_dump, mariadb-dump/mysqldump, sqlite3) with versions, used by the
 * connection probe and the backup engines. Nothing is cached: tools get installed and removed while
 * the app runs, and a `--version` run costs a few milliseconds.
 */
export type { ClientTool, ToolSearchOptions, ToolSource } from './tools/search'
export { discoverTools, expandPattern } from './tools/search'
export type { ToolChoice } from './tools/choice'
export {
  choosePgDump,
  discoverPgDumps,
  findPgCompanion,
  findPgDump,
  type PgDiscovery,
  type PgDumpCandidate,
  type PgServerVersion,
} from './tools/postgres-tools'
export {
  chooseMysqlDump,
  discoverMysqlDumps,
  findMysqlDump,
  type MysqlDiscovery,
  type MysqlDumpCandidate,
  type MysqlServerVersion,
} from './tools/mysql-tools'
export { findSqliteCli } from './tools/sqlite-tools'
export {
  compareVersions,
  numericVersion,
  parseMysqlToolVersion,
  parsePgToolVersion,
  parseSqliteVersion,
  pgMajorOf,
  pgMajorOfVersionNum,
  type MysqlFlavor,
  type MysqlToolVersion,
  type PgMajor,
} from './tools/versions'
