import { spawn, type ChildProcess } from 'node:child_process'
import { chmod, chown, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises'
import { rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PostgresServer, Unavailable } from './context'
import { freePort } from './free-port'
import { exitCode, findBinary, run, stopChild, waitUntil } from './processes'
import { pgLiteral, psql } from './sql'

export interface Running<T> {
  info: T
  /** graceful stop, then the directory is removed */
  stop(): Promise<void>
  /** synchronous last resort for process 'exit' / signals */
  kill(): void
}

/** Has a colon, backslash, both quotes, #, $, a space and a non-ASCII character: breaks naive quoting. */
export const PG_APP_PASSWORD = `pg:p\\a"s's#w$o rd-é€`
const PREFERRED_MAJOR = '15'
/** pg_hba lets this role in over TLS only; tests check `SHOW ssl` = on before relying on it. */
export const TLS_ONLY_ROLE = 'tls_only'

/** initdb + a foreground postgres on a free port, run as the `postgres` OS user when we are root. */
export async function startPostgres(): Promise<Running<PostgresServer> | Unavailable> {
  const binDir = await findPgBinDir()
  if (!binDir) return { unavailable: 'PostgreSQL server binaries (initdb) not found — install postgresql-15' }
  const ids = await serverUser()
  if ('unavailable' in ids) return ids

  const base = await mkdtemp(join(tmpdir(), 'lifeboat-pg-'))
  let child: ChildProcess | undefined
  const kill = () => {
    child?.kill('SIGKILL')
    rmSync(base, { recursive: true, force: true })
  }
  try {
    if (ids.uid !== undefined && ids.gid !== undefined) await chown(base, ids.uid, ids.gid)
    const data = join(base, 'data')
    const asServer = { ...ids, cwd: base }
    await run(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], asServer)
    // Written before the first start, so no reload (and no race with the first connection) is needed.
    // The role TLS_ONLY_ROLE (created by tests that need it) may connect over TLS only, like on
    // managed services that force SSL.
    await writeFile(
      join(data, 'pg_hba.conf'),
      [
        'local all postgres trust',
        'host all postgres 127.0.0.1/32 trust',
        `hostnossl all ${TLS_ONLY_ROLE} 127.0.0.1/32 reject`,
        'host all all 127.0.0.1/32 scram-sha-256',
        '',
      ].join('\n'),
    )
    if (ids.uid !== undefined && ids.gid !== undefined) await chown(join(data, 'pg_hba.conf'), ids.uid, ids.gid)
    const tls = await selfSignedCert(base, ids)

    const port = await freePort()
    const logFile = join(base, 'server.log')
    const log = await open(logFile, 'a')
    child = spawn(
      join(binDir, 'postgres'),
      [
        ...['-D', data, '-p', String(port), '-k', base, '-c', 'listen_addresses=127.0.0.1'],
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', ...tls],
      ],
      { ...asServer, stdio: ['ignore', log.fd, log.fd] },
    )
    const server = child
    try {
      await waitUntil(
        'postgres',
        async () => (await exitCode(join(binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres'])) === 0,
        { child: server, logFile },
      )
    } finally {
      await log.close() // the child has its own copy of the descriptor
    }

    const conn = { host: '127.0.0.1' as const, port, binDir }
    await psql(conn, [`CREATE ROLE app LOGIN PASSWORD ${pgLiteral(PG_APP_PASSWORD)}`, 'CREATE DATABASE app OWNER app'])
    const version = (await psql(conn, 'SHOW server_version')).split(' ')[0] ?? ''
    const info: PostgresServer = { ...conn, superuser: 'postgres', user: 'app', password: PG_APP_PASSWORD, database: 'app', version }
    return {
      info,
      kill,
      stop: async () => {
        await stopChild(server, 'SIGINT') // fast shutdown
        await rm(base, { recursive: true, force: true })
      },
    }
  } catch (err) {
    kill()
    throw err
  }
}

/** /usr/lib/postgresql/<major>/bin with initdb, preferring 15; else `pg_config --bindir`. */
async function findPgBinDir(): Promise<string | null> {
  const root = '/usr/lib/postgresql'
  const majors = (await readdir(root).catch(() => [] as string[])).sort((a, b) => Number(b) - Number(a))
  const ordered = [...majors.filter((m) => m === PREFERRED_MAJOR), ...majors.filter((m) => m !== PREFERRED_MAJOR)]
  for (const major of ordered) {
    const dir = join(root, major, 'bin')
    if ((await exitCode(join(dir, 'initdb'), ['--version'])) === 0) return dir
  }
  const pgConfig = await findBinary('pg_config')
  if (!pgConfig) return null
  const dir = (await run(pgConfig, ['--bindir']).catch(() => '')).trim()
  return dir && (await exitCode(join(dir, 'initdb'), ['--version'])) === 0 ? dir : null
}

/** Server options enabling TLS with a throwaway self-signed certificate; none without openssl. */
async function selfSignedCert(base: string, ids: { uid?: number; gid?: number }): Promise<string[]> {
  const openssl = await findBinary('openssl')
  if (!openssl) return []
  const cert = join(base, 'server.crt')
  const key = join(base, 'server.key')
  await run(openssl, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=127.0.0.1', '-days', '2'])
  await chmod(key, 0o600) // the server refuses a key readable by others
  if (ids.uid !== undefined && ids.gid !== undefined) {
    await chown(cert, ids.uid, ids.gid)
    await chown(key, ids.uid, ids.gid)
  }
  return ['-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`]
}

/** initdb refuses to run as root: use the `postgres` account the package creates. */
async function serverUser(): Promise<{ uid?: number; gid?: number } | Unavailable> {
  if (process.getuid?.() !== 0) return {} // not root: run the server as ourselves
  try {
    const uid = Number(await run('id', ['-u', 'postgres']))
    const gid = Number(await run('id', ['-g', 'postgres']))
    return { uid, gid }
  } catch {
    return { unavailable: 'running as root but there is no "postgres" OS user to run the PostgreSQL server as' }
  }
}
