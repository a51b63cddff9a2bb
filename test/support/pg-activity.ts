import { expect } from 'vitest'
import type { PostgresServer } from './context'
import { psql } from './sql'

/**
 * No backend of `server.user` may stay on `database` (e.g. queued on a lock after a cancel: pg_dump's
 * SIGTERM handler sends a cancel request). Polls pg_stat_activity — each a real round trip — at most 10 s.
 */
export async function expectBackendsGone(server: PostgresServer, database: string): Promise<void> {
  const deadline = Date.now() + 10_000
  let count = ''
  while (Date.now() < deadline) {
    count = await psql(server, `SELECT count(*) FROM pg_stat_activity WHERE usename = '${server.user}' AND datname = '${database}'`)
    if (count === '0') return
  }
  expect(count, `backends of ${server.user} still on ${database} after 10 s`).toBe('0')
}
