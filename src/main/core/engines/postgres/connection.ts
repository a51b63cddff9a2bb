import { DatabaseError, type ClientConfig } from 'pg'
import type { ProfileConfig } from '../../../../shared/model'
import { isAbsolutePath } from '../../../../shared/model'
import { endpoint } from '../net-errors'
import { NoPasswordSaved, type PgErrorContext } from './errors'

type PostgresProfile = Extract<ProfileConfig, { engine: 'postgres' }>

/** What error messages name: host:port (or the socket file), user, database, the time bound. */
export function pgErrorContext(profile: PostgresProfile, timeoutMs: number): PgErrorContext {
  const socketDir = isAbsolutePath(profile.host) ? profile.host : undefined
  return {
    where: endpoint(profile.host, profile.port, socketDir && `${socketDir.replace(/\/+$/, '')}/.s.PGSQL.${profile.port}`),
    host: profile.host,
    product: 'PostgreSQL',
    timeoutMs,
    user: profile.user,
    database: profile.database,
  }
}

/** The pg driver settings every Lifeboat connection uses (probe, table listing). */
export function pgClientConfig(profile: PostgresProfile, password: string | undefined, opts: { ssl: boolean; timeoutMs: number }): ClientConfig {
  return {
    host: profile.host,
    port: profile.port,
    user: profile.user,
    database: profile.database,
    // A function, so pg neither falls back to PGPASSWORD/~/.pgpass nor fails obscurely without one.
    password: () => {
      if (password === undefined) throw new NoPasswordSaved()
      return password
    },
    ssl: opts.ssl ? { rejectUnauthorized: false } : false,
    connectionTimeoutMillis: opts.timeoutMs,
    application_name: 'lifeboat',
  }
}

/**
 * libpq (pg_dump) defaults to sslmode=prefer; pg has no "prefer", so callers retry with TLS when the
 * server refuses unencrypted connections (managed services such as RDS do by default).
 */
export function refusesPlaintext(err: unknown): boolean {
  return err instanceof DatabaseError && err.code === '28000' && /no encryption/.test(err.message)
}
