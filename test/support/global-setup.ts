import type { TestProject } from 'vitest/node'
import type { MariadbServer, PostgresServer, TestServers, Unavailable } from './context'
import { startMariadb } from './mariadb-server'
import { startPostgres, type Running } from './postgres-server'

type Started<T> = Running<T> | Unavailable

interface Shared {
  users: number
  started: Promise<{ postgres: Started<PostgresServer>; mariadb: Started<MariadbServer>; unregister: () => void }>
}

/**
 * Vitest runs a project's global setup once per project that lists it (integration, e2e), all in
 * the main process: one set of servers serves them all, reference-counted through globalThis. Should
 * the root config or the unit project ever list it, those get no servers (they have no use for them).
 */
const SHARED = Symbol.for('lifeboat.test-servers')
const NO_SERVERS = new Set(['', 'unit'])

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  if (NO_SERVERS.has(project.name)) {
    const reason = `test servers are not started for the ${project.name ? `"${project.name}"` : 'root'} project`
    project.provide('servers', { postgres: { unavailable: reason }, mariadb: { unavailable: reason } })
    return async () => {}
  }
  const holder = globalThis as { [SHARED]?: Shared }
  holder[SHARED] ??= { users: 0, started: startAll() }
  const shared = holder[SHARED]
  shared.users++
  const { postgres, mariadb, unregister } = await shared.started
  const servers: TestServers = { postgres: infoOf(postgres), mariadb: infoOf(mariadb) }
  project.provide('servers', servers)
  return async () => {
    if (--shared.users > 0) return
    delete holder[SHARED]
    const t0 = performance.now()
    await stopAll([postgres, mariadb])
    unregister()
    console.log(`[test servers] stopped and removed in ${Math.round(performance.now() - t0)} ms`)
  }
}

async function startAll() {
  const t0 = performance.now()
  const timed = <T>(p: Promise<T>) => p.then((v) => ({ v, ms: Math.round(performance.now() - t0) }))
  const [pg, mdb] = await Promise.allSettled([timed(startPostgres()), timed(startMariadb())])
  const ok = [pg, mdb].flatMap((r) => (r.status === 'fulfilled' && 'info' in r.value.v ? [r.value.v] : []))
  if (pg.status === 'rejected' || mdb.status === 'rejected') {
    await stopAll(ok)
    throw pg.status === 'rejected' ? pg.reason : mdb.status === 'rejected' ? mdb.reason : undefined
  }
  const postgres = pg.value.v
  const mariadb = mdb.value.v
  if (process.env.CI === 'true') {
    const missing = [postgres, mariadb].find((s): s is Unavailable => 'unavailable' in s)
    if (missing) {
      await stopAll(ok)
      throw new Error(`CI=true and a test server cannot start: ${missing.unavailable}`)
    }
  }
  const unregister = registerEmergencyStop(ok)
  console.log(`[test servers] ${summary('PostgreSQL', postgres, pg.value.ms)}; ${summary('MariaDB', mariadb, mdb.value.ms)}`)
  return { postgres, mariadb, unregister }
}

function summary(label: string, s: Started<PostgresServer | MariadbServer>, ms: number): string {
  return 'info' in s ? `${label} ${s.info.version} on 127.0.0.1:${s.info.port} (${ms} ms)` : `${label} unavailable: ${s.unavailable}`
}

function infoOf<T>(s: Started<T>): T | Unavailable {
  return 'info' in s ? s.info : s
}

async function stopAll(servers: Started<unknown>[]): Promise<void> {
  await Promise.all(servers.map((s) => ('info' in s ? s.stop() : undefined)))
}

/** A crashed or interrupted run must not leave servers behind: kill them on exit and on signals. */
function registerEmergencyStop(servers: Running<unknown>[]): () => void {
  const killAll = () => {
    for (const s of servers) {
      try {
        s.kill()
      } catch {
        // best effort: the process is going away
      }
    }
  }
  const signals = ['SIGINT', 'SIGTERM'] as const
  const onSignal = (signal: NodeJS.Signals) => {
    killAll()
    unregister()
    // Only we were listening: re-raise so the default action (exit) still happens.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal)
  }
  const unregister = () => {
    process.off('exit', killAll)
    for (const signal of signals) process.off(signal, onSignal)
  }
  process.once('exit', killAll)
  for (const signal of signals) process.on(signal, onSignal)
  return unregister
}
