import { spawn, type ChildProcess } from 'node:child_process'
import { rmSync } from 'node:fs'
import { mkdtemp, open, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { MariadbServer, Unavailable } from './context'
import { freePort } from './free-port'
import type { Running } from './postgres-server'
import { exitCode, findBinary, run, stopChild, waitUntil } from './processes'
import { mariadbSql, mysqlLiteral } from './sql'

/** Different from the PostgreSQL one; has ; : \ " ' # $ a space and non-ASCII characters. */
export const MARIADB_APP_PASSWORD = `my;s\\q"l'p#a$s w:ö€`
const SBIN = ['/usr/sbin', '/usr/local/sbin', '/usr/local/mysql/bin']

/** A private mariadbd (never the system service) on a free port, socket in its own temp dir. */
export async function startMariadb(): Promise<Running<MariadbServer> | Unavailable> {
  const bins: Record<string, string | null> = {}
  for (const name of ['mariadb-install-db', 'mariadbd', 'mariadb-admin', 'mariadb']) bins[name] = await findBinary(name, SBIN)
  const missing = Object.keys(bins).find((name) => !bins[name])
  if (missing) return { unavailable: `MariaDB binary ${missing} not found — install mariadb-server and mariadb-client` }
  const bin = (name: string) => bins[name] as string

  const base = await mkdtemp(join(tmpdir(), 'lifeboat-mdb-'))
  let child: ChildProcess | undefined
  const kill = () => {
    child?.kill('SIGKILL')
    rmSync(base, { recursive: true, force: true })
  }
  try {
    const data = join(base, 'data')
    const socket = join(base, 'mysqld.sock')
    const logFile = join(base, 'error.log')
    // --no-defaults must come first; as root the server must be told to stay root (TEST-INFRA §2).
    const user = process.getuid?.() === 0 ? ['--user=root'] : []
    await run(bin('mariadb-install-db'), [
      '--no-defaults',
      ...user,
      `--datadir=${data}`,
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
      '--skip-name-resolve',
    ])

    const port = await freePort()
    const log = await open(join(base, 'stdout.log'), 'a')
    child = spawn(
      bin('mariadbd'),
      [
        '--no-defaults',
        ...user,
        `--datadir=${data}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${socket}`,
        `--pid-file=${join(base, 'mysqld.pid')}`,
        `--log-error=${logFile}`,
        '--skip-name-resolve',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_general_ci',
        '--innodb-buffer-pool-size=64M',
        '--innodb-log-file-size=16M',
      ],
      { cwd: base, stdio: ['ignore', log.fd, log.fd] },
    )
    const server = child
    // The TCP port opens just before "ready for connections"; ping over the socket is the real signal.
    try {
      await waitUntil(
        'mariadbd',
        async () => (await exitCode(bin('mariadb-admin'), ['--no-defaults', `--socket=${socket}`, '-uroot', 'ping'])) === 0,
        { child: server, logFile },
      )
    } finally {
      await log.close() // the child has its own copy of the descriptor
    }

    await mariadbSql(
      { socket },
      [
        'CREATE DATABASE app',
        `CREATE USER 'app'@'127.0.0.1' IDENTIFIED BY ${mysqlLiteral(MARIADB_APP_PASSWORD)}`,
        "GRANT ALL ON app.* TO 'app'@'127.0.0.1'",
      ].join('; '),
    )
    const version = await mariadbSql({ socket }, 'SELECT VERSION()')
    const info: MariadbServer = { host: '127.0.0.1', port, socket, user: 'app', password: MARIADB_APP_PASSWORD, database: 'app', version }
    return {
      info,
      kill,
      stop: async () => {
        await stopChild(server, 'SIGTERM')
        await rm(base, { recursive: true, force: true })
      },
    }
  } catch (err) {
    kill()
    throw err
  }
}
