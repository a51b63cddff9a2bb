import type { ConnectionProbe } from './probe'
import { probeMysql } from './mysql/probe'
import { probePostgres } from './postgres/probe'
import { probeSqlite } from './sqlite/probe'

export type { ConnectionProbe, ProbeOptions } from './probe'
export { DEFAULT_PROBE_TIMEOUT_MS } from './probe'
export { probeMysql } from './mysql/probe'
export { probePostgres } from './postgres/probe'
export { probeSqlite } from './sqlite/probe'

/**
 * "Test connection" for any profile. Never rejects for a failed test (the result carries the error);
 * rejects with the signal's reason when options.signal aborts.
 */
export const probeConnection: ConnectionProbe = async (profile, password, options) => {
  switch (profile.engine) {
    case 'postgres':
      return probePostgres(profile, password, options)
    case 'mysql':
      return probeMysql(profile, password, options)
    case 'sqlite':
      return probeSqlite(profile, options)
  }
}
