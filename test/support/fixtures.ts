import { spawn } from 'node:child_process'
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs'
import { chmod, copyFile, readFile, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { fileURLToPath } from 'node:url'
import { createConnection, type RowDataPacket } from 'mysql2/promise'
import type { DumpInfo, DumpRequest } from '../../src/main/core/engines/engine'
import { engineFor } from '../../src/main/core/engines/registry'
import type { MariadbServer, PostgresServer } from './context'
import { withPg } from './generated-data'
import { findBinary, run } from './processes'

/**
 * The public sample databases of <repo>/../shared/fixtures, loaded as SOURCES.md says. Each server
 * database (pagila, chinook, sakila, Chinook — the scripts hard-code these names) is loaded once per
 * test server, under a server-side lock, and marked complete with a comment, so test files running
 * in parallel share it. Treat them as read-only.
 */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..')
export const SHARED_DIR = resolve(REPO_ROOT, '../shared')
export const FIXTURES_DIR = join(SHARED_DIR, 'fixtures')

const REQUIRED = [
  'pagila/pagila-schema.sql',
  'pagila/pagila-data.sql',
  'chinook/Chinook_PostgreSql.sql',
  'chinook/Chinook_MySql.sql',
  'chinook/Chinook_Sqlite.sqlite',
  'sakila/sakila-mv-schema.sql',
  'sakila/sakila-mv-data.sql',
]

/** Why fixture tests must skip, or null when every fixture file is there. */
export function fixturesUnavailable(): string | null {
  const missing = REQUIRED.filter((f) => !existsSync(join(FIXTURES_DIR, f)))
  if (missing.length === REQUIRED.length) return `fixtures not found: ${FIXTURES_DIR} is missing (the shared folder ${SHARED_DIR} holds them outside the repo)`
  if (missing.length > 0) return `fixtures incomplete in ${FIXTURES_DIR}: missing ${missing.join(', ')}`
  return null
}

const fixture = (path: string) => join(FIXTURES_DIR, path)
const COMPLETE = 'lifeboat fixture: complete'

/** Runs `file args` with `input` (a file) as stdin; rejects with stderr on a non-zero exit. */
export async function runWithStdin(file: string, args: readonly string[], input: string, env?: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')))
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString('utf8')).slice(-8_000)))
    child.stdin.on('error', () => {}) // a failing tool may exit before reading everything
    createReadStream(input).on('error', reject).pipe(child.stdin)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code === 0) resolvePromise(out)
      else reject(new Error(`${file} ${args.join(' ')} < ${input} failed (${code ?? signal}): ${err.trim()}`))
    })
  })
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

async function loadPgOnce(pg: PostgresServer, database: string, load: () => Promise<void>): Promise<string> {
  return withPg(pg, 'postgres', async (c) => {
    await c.query('SELECT pg_advisory_lock(hashtext($1))', [`lifeboat-fixture-${database}`])
    try {
      const { rows } = await c.query<{ d: string | null }>("SELECT shobj_description(oid, 'pg_database') AS d FROM pg_database WHERE datname = $1", [database])
      if (rows[0]?.d === COMPLETE) return database
      await load()
      await c.query(`COMMENT ON DATABASE ${database} IS '${COMPLETE}'`)
      return database
    } finally {
      await c.query('SELECT pg_advisory_unlock(hashtext($1))', [`lifeboat-fixture-${database}`])
    }
  })
}

const psqlArgs = (pg: PostgresServer, database: string) => ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', pg.host, '-p', String(pg.port), '-U', 'postgres', '-d', database]

/** pagila (PostgreSQL 15 compatible commit): schema, data, and the optional REFRESH of its materialised view. */
export async function loadPagila(pg: PostgresServer): Promise<string> {
  return loadPgOnce(pg, 'pagila', async () => {
    const psql = join(pg.binDir, 'psql')
    await run(psql, [...psqlArgs(pg, 'postgres'), '-c', 'DROP DATABASE IF EXISTS pagila', '-c', "CREATE DATABASE pagila ENCODING 'UTF8' TEMPLATE template0"])
    await run(psql, [...psqlArgs(pg, 'pagila'), '-f', fixture('pagila/pagila-schema.sql')])
    await run(psql, [...psqlArgs(pg, 'pagila'), '-f', fixture('pagila/pagila-data.sql')])
    await run(psql, [...psqlArgs(pg, 'pagila'), '-c', 'REFRESH MATERIALIZED VIEW public.rental_by_category'])
  })
}

/** chinook: the script drops and creates the database `chinook` itself. */
export async function loadChinookPostgres(pg: PostgresServer): Promise<string> {
  return loadPgOnce(pg, 'chinook', async () => {
    await run(join(pg.binDir, 'psql'), [...psqlArgs(pg, 'postgres'), '-f', fixture('chinook/Chinook_PostgreSql.sql')])
  })
}

// ---------------------------------------------------------------------------------------------
// MariaDB (root over the socket; the scripts create their databases themselves)

async function mariadbClient(): Promise<string> {
  const client = (await findBinary('mariadb')) ?? (await findBinary('mysql'))
  if (!client) throw new Error('the mariadb command-line client was not found — install mariadb-client')
  return client
}

async function loadMariadbOnce(m: MariadbServer, database: string, scripts: string[]): Promise<string> {
  const conn = await createConnection({ socketPath: m.socket, user: 'root', charset: 'utf8mb4' })
  try {
    await conn.query('SELECT GET_LOCK(?, 600)', [`lifeboat-fixture-${database}`])
    const [rows] = await conn.query<RowDataPacket[]>('SELECT SCHEMA_COMMENT AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [database])
    if (rows[0]?.c === COMPLETE) return database
    const client = await mariadbClient()
    for (const script of scripts) {
      await runWithStdin(client, ['--no-defaults', '--default-character-set=utf8mb4', `--socket=${m.socket}`, '-uroot'], fixture(script))
    }
    await conn.query(`ALTER DATABASE \`${database}\` COMMENT '${COMPLETE}'`)
    return database
  } finally {
    await conn.query('SELECT RELEASE_LOCK(?)', [`lifeboat-fixture-${database}`]).catch(() => {})
    await conn.end()
  }
}

/** sakila (MySQL Sakila 0.9, spatial variant; on MariaDB address has no location column). */
export const loadSakila = (m: MariadbServer) => loadMariadbOnce(m, 'sakila', ['sakila/sakila-mv-schema.sql', 'sakila/sakila-mv-data.sql'])

/** Chinook for MySQL: creates the database `Chinook` (case-sensitive name). */
export const loadChinookMariadb = (m: MariadbServer) => loadMariadbOnce(m, 'Chinook', ['chinook/Chinook_MySql.sql'])

// ---------------------------------------------------------------------------------------------
// SQLite

/** A writable copy of the shipped Chinook_Sqlite.sqlite in `dir`. */
export async function copyChinookSqlite(dir: string): Promise<string> {
  const file = join(dir, 'chinook.sqlite')
  await copyFile(fixture('chinook/Chinook_Sqlite.sqlite'), file)
  await chmod(file, 0o644) // the fixture is read-only; the copy need not be
  return file
}

// ---------------------------------------------------------------------------------------------
// Dumping to a file (the tests' stand-in for the backup pipeline)

export interface DumpedFile {
  info: DumpInfo
  bytes: number
  ms: number
}

/** engineFor(profile).startDump into `file`, waiting for the tool's exit status; always disposes. */
export async function dumpToFile(request: Omit<DumpRequest, 'signal'> & { signal?: AbortSignal }, file: string): Promise<DumpedFile> {
  const started = performance.now()
  const dump = await engineFor(request.profile.engine).startDump({ ...request, signal: request.signal ?? new AbortController().signal })
  try {
    await pipeline(dump.stdout, createWriteStream(file))
    await dump.done
  } finally {
    await dump.dispose()
  }
  return { info: dump.info, bytes: (await stat(file)).size, ms: Math.round(performance.now() - started) }
}

/** argv and environment of a running process, from /proc (Linux). */
export async function processInfo(pid: number): Promise<{ argv: string[]; env: string[] }> {
  const split = (b: Buffer) => b.toString('utf8').split('\0').filter(Boolean)
  return { argv: split(await readFile(`/proc/${pid}/cmdline`)), env: split(await readFile(`/proc/${pid}/environ`)) }
}

/** True while a process with this pid exists (a zombie counts as gone). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  return !/\) Z /.test(readFileSafe(`/proc/${pid}/stat`))
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return ''
  }
}

/** Reads a stream up to the first chunk, then leaves it paused (backpressure stops the tool). */
export async function firstChunk(stream: NodeJS.ReadableStream & { pause(): unknown }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject)
    stream.once('data', (chunk: Buffer) => {
      stream.pause()
      resolve(chunk)
    })
  })
}
