import type {} from 'vitest'

/**
 * What the global setup (test/support/global-setup.ts) provides to every test file through
 * vitest's `inject('servers')`. A server whose binary is missing is `{ unavailable: reason }`:
 * tests skip with that reason locally, and the setup fails outright under CI=true.
 */
export interface PostgresServer {
  host: '127.0.0.1'
  port: number
  /** trust auth over TCP from 127.0.0.1, for setting up fixtures */
  superuser: 'postgres'
  /** an ordinary LOGIN role that must authenticate with scram-sha-256 */
  user: string
  password: string
  /** owned by `user` */
  database: string
  /** directory of initdb/pg_ctl/psql/pg_dump used for this server */
  binDir: string
  /** e.g. "15.19" */
  version: string
}

export interface MariadbServer {
  host: '127.0.0.1'
  port: number
  /** root logs in over this unix socket without a password, for setting up fixtures */
  socket: string
  user: string
  password: string
  database: string
  /** e.g. "10.11.19-MariaDB" */
  version: string
}

export type Unavailable = { unavailable: string }

export interface TestServers {
  postgres: PostgresServer | Unavailable
  mariadb: MariadbServer | Unavailable
}

declare module 'vitest' {
  export interface ProvidedContext {
    servers: TestServers
  }
}

export function isAvailable<T extends object>(s: T | Unavailable): s is T {
  return !('unavailable' in s)
}
