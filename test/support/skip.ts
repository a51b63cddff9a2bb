import { describe, inject, it, type TestContext } from 'vitest'
import { isAvailable, type MariadbServer, type PostgresServer, type TestServers, type Unavailable } from './context'

type Kind = keyof TestServers
type ServerOf<K extends Kind> = K extends 'postgres' ? PostgresServer : MariadbServer

/**
 * `describe` that runs only when the global setup could start the server; otherwise one skipped
 * test carries the reason, so the report says why ("... not found — install postgresql-15").
 */
export function describeWith<K extends Kind>(kind: K, name: string, body: (server: ServerOf<K>) => void): void {
  const server = inject('servers')[kind] as ServerOf<K> | Unavailable
  if ('unavailable' in server) {
    describe(name, () => {
      it.skip(`skipped: ${server.unavailable}`, () => {})
    })
    return
  }
  describe(name, () => body(server))
}

/** Inside a test: the server, or skip this test with the reason. */
export function requirePostgres(ctx: TestContext): PostgresServer {
  const server = inject('servers').postgres
  if (!isAvailable(server)) ctx.skip(server.unavailable)
  return server
}

export function requireMariadb(ctx: TestContext): MariadbServer {
  const server = inject('servers').mariadb
  if (!isAvailable(server)) ctx.skip(server.unavailable)
  return server
}
