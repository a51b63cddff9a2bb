// Throwaway PostgreSQL, MariaDB and S3 (s3rver) servers for the benchmark: free loopback ports, temp
// directories, stopped by pid. The same recipes as test/support/*-server.ts (TEST-INFRA.md §1, §2, §4),
// in plain ESM because those helpers are TypeScript for vitest. Never touches a system server.
import { spawn } from 'node:child_process'
import { rmSync } from 'node:fs'
import { chown, mkdtemp, open, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { exitCode, findBinary, freePort, run, stopChild, waitUntil } from './proc.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))

/**
 * @typedef {object} Server
 * @property {() => Promise<void>} stop graceful stop, then the directory is removed
 * @property {() => void} kill synchronous last resort (process exit, signals)
 */

/** /usr/lib/postgresql/<major>/bin with initdb, newest first (15 on this machine). */
export async function findPgBinDir() {
  const root = '/usr/lib/postgresql'
  const majors = (await readdir(root).catch(() => /** @type {string[]} */ ([]))).sort((a, b) => Number(b) - Number(a))
  for (const major of majors) {
    const dir = join(root, major, 'bin')
    if ((await exitCode(join(dir, 'initdb'), ['--version'])) === 0) return dir
  }
  return null
}

/**
 * initdb + a foreground postgres (run as the `postgres` OS user when we are root).
 * @param {{password: string, sharedBuffers?: string}} o
 */
export async function startPostgres(o) {
  const binDir = await findPgBinDir()
  if (!binDir) throw new Error('PostgreSQL server binaries (initdb) not found — install postgresql-15')
  /** @type {{uid?: number, gid?: number}} */
  const ids = process.getuid?.() === 0 ? { uid: Number(await run('id', ['-u', 'postgres'])), gid: Number(await run('id', ['-g', 'postgres'])) } : {}
  const base = await mkdtemp(join(tmpdir(), 'lifeboat-bench-pg-'))
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child
  const kill = () => {
    child?.kill('SIGKILL')
    rmSync(base, { recursive: true, force: true })
  }
  try {
    if (ids.uid !== undefined && ids.gid !== undefined) await chown(base, ids.uid, ids.gid)
    const data = join(base, 'data')
    await run(join(binDir, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync'], { ...ids, cwd: base })
    const hba = join(data, 'pg_hba.conf')
    await writeFile(hba, ['local all postgres trust', 'host all postgres 127.0.0.1/32 trust', 'host all all 127.0.0.1/32 scram-sha-256', ''].join('\n'))
    if (ids.uid !== undefined && ids.gid !== undefined) await chown(hba, ids.uid, ids.gid)
    const port = await freePort()
    const log = await open(join(base, 'server.log'), 'a')
    child = spawn(
      join(binDir, 'postgres'),
      [
        ...['-D', data, '-p', String(port), '-k', base, '-c', 'listen_addresses=127.0.0.1'],
        ...['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
        ...['-c', `shared_buffers=${o.sharedBuffers ?? '256MB'}`, '-c', 'max_wal_size=4GB', '-c', 'checkpoint_timeout=30min'],
      ],
      { ...ids, cwd: base, stdio: ['ignore', log.fd, log.fd] },
    )
    const server = child
    try {
      await waitUntil('postgres', async () => (await exitCode(join(binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'])) === 0, server)
    } finally {
      await log.close()
    }
    /** @param {string} sql @param {string} [db] */
    const psql = async (sql, db = 'postgres') =>
      (await run(join(binDir, 'psql'), ['-X', '-w', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', db, '-c', sql])).trim()
    await psql(`CREATE ROLE bench LOGIN CREATEDB PASSWORD '${o.password.replace(/'/g, "''")}'`)
    await psql('CREATE DATABASE benchdb OWNER bench')
    const version = (await psql('SHOW server_version')).split(' ')[0] ?? ''
    return {
      host: '127.0.0.1',
      port,
      binDir,
      base,
      user: 'bench',
      database: 'benchdb',
      version,
      psql,
      kill,
      stop: async () => {
        await stopChild(server, 'SIGINT')
        await rm(base, { recursive: true, force: true })
      },
    }
  } catch (err) {
    kill()
    throw err
  }
}

const SBIN = ['/usr/sbin', '/usr/local/sbin']

/**
 * mariadb-install-db + a foreground mariadbd; user `bench`@127.0.0.1 with a password.
 * @param {{password: string, bufferPool?: string}} o
 */
export async function startMariadb(o) {
  /** @type {Record<string, string>} */
  const bins = {}
  for (const name of ['mariadb-install-db', 'mariadbd', 'mariadb-admin', 'mariadb', 'mariadb-dump']) {
    const found = await findBinary(name, SBIN)
    if (!found) throw new Error(`MariaDB binary ${name} not found — install mariadb-server and mariadb-client`)
    bins[name] = found
  }
  const base = await mkdtemp(join(tmpdir(), 'lifeboat-bench-mdb-'))
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let child
  const kill = () => {
    child?.kill('SIGKILL')
    rmSync(base, { recursive: true, force: true })
  }
  try {
    const data = join(base, 'data')
    const socket = join(base, 'mysqld.sock')
    const user = process.getuid?.() === 0 ? ['--user=root'] : []
    await run(bins['mariadb-install-db'] ?? '', ['--no-defaults', ...user, `--datadir=${data}`, '--auth-root-authentication-method=socket', '--skip-test-db', '--skip-name-resolve'])
    const port = await freePort()
    const log = await open(join(base, 'stdout.log'), 'a')
    child = spawn(
      bins.mariadbd ?? '',
      [
        '--no-defaults',
        ...user,
        `--datadir=${data}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${socket}`,
        `--pid-file=${join(base, 'mysqld.pid')}`,
        `--log-error=${join(base, 'error.log')}`,
        '--skip-name-resolve',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_general_ci',
        `--innodb-buffer-pool-size=${o.bufferPool ?? '512M'}`,
        '--innodb-log-file-size=256M',
        '--innodb-flush-log-at-trx-commit=0',
        '--innodb-doublewrite=0',
        '--max-allowed-packet=1G',
        '--skip-log-bin',
      ],
      { cwd: base, stdio: ['ignore', log.fd, log.fd] },
    )
    const server = child
    try {
      await waitUntil('mariadbd', async () => (await exitCode(bins['mariadb-admin'] ?? '', ['--no-defaults', `--socket=${socket}`, '-uroot', 'ping'])) === 0, server)
    } finally {
      await log.close()
    }
    /** @param {string} sql @param {string} [db] */
    const sql = async (sql, db) =>
      (await run(bins.mariadb ?? '', ['--no-defaults', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names', '-e', sql, ...(db ? [db] : [])])).trim()
    const lit = o.password.replace(/\\/g, '\\\\').replace(/'/g, "\\'")
    await sql(`CREATE DATABASE benchdb; CREATE USER 'bench'@'127.0.0.1' IDENTIFIED BY '${lit}'; GRANT ALL ON *.* TO 'bench'@'127.0.0.1'`)
    const version = await sql('SELECT VERSION()')
    return {
      host: '127.0.0.1',
      port,
      socket,
      base,
      user: 'bench',
      database: 'benchdb',
      version,
      bins,
      sql,
      kill,
      stop: async () => {
        await stopChild(server, 'SIGTERM', 60_000)
        await rm(base, { recursive: true, force: true })
      },
    }
  } catch (err) {
    kill()
    throw err
  }
}

/** s3rver in its own node process (so it never shares an event loop with what it measures). */
export async function startS3() {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-bench-s3-'))
  const child = spawn(process.execPath, [join(HERE, '..', 's3rver-child.mjs'), dir], { stdio: ['ignore', 'pipe', 'inherit'] })
  const kill = () => {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    const port = await new Promise((resolve, reject) => {
      let out = ''
      child.stdout.setEncoding('utf8').on('data', (d) => {
        out += d
        const m = /PORT (\d+)/.exec(out)
        if (m) resolve(Number(m[1]))
      })
      child.once('exit', (c) => reject(new Error(`s3rver exited ${c}`)))
    })
    return {
      endpoint: `http://127.0.0.1:${port}`,
      dir,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      kill,
      stop: async () => {
        await stopChild(child, 'SIGTERM')
        await rm(dir, { recursive: true, force: true })
      },
    }
  } catch (e) {
    kill()
    throw e
  }
}
