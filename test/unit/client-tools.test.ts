import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  chooseMysqlDump,
  choosePgDump,
  compareVersions,
  expandPattern,
  numericVersion,
  parseMysqlToolVersion,
  parsePgToolVersion,
  parseSqliteVersion,
  pgMajorOf,
  pgMajorOfVersionNum,
  type MysqlDumpCandidate,
  type PgDumpCandidate,
} from '../../src/main/core/engines/client-tools'

describe('parsePgToolVersion', () => {
  it.each([
    ['pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)', '15.14'],
    ['pg_dump (PostgreSQL) 9.6.24', '9.6.24'],
    ['pg_dump (PostgreSQL) 17beta1', '17beta1'],
    ['pg_restore (PostgreSQL) 16.4 (Homebrew)', '16.4'],
    ['psql (PostgreSQL) 14.13 (Ubuntu 14.13-0ubuntu0.22.04.1)', '14.13'],
  ])('%s -> %s', (out, version) => expect(parsePgToolVersion(out)).toBe(version))

  it('rejects other output', () => expect(parsePgToolVersion('mysqldump  Ver 8.0.36 for Linux')).toBeNull())
})

describe('PostgreSQL majors', () => {
  it('orders the 9.x and 10+ schemes', () => {
    expect(pgMajorOf('9.6.24')).toEqual({ key: 906, label: '9.6' })
    expect(pgMajorOf('15.14')).toEqual({ key: 1500, label: '15' })
    expect(pgMajorOf('17beta1')).toEqual({ key: 1700, label: '17' })
    expect(pgMajorOfVersionNum(150014)).toEqual({ key: 1500, label: '15' })
    expect(pgMajorOfVersionNum(90624)).toEqual({ key: 906, label: '9.6' })
    expect(pgMajorOfVersionNum(0)).toBeNull()
  })
})

describe('parseMysqlToolVersion', () => {
  it.each([
    ['mariadb-dump from 11.4.2-MariaDB, client 10.19 for Linux (x86_64)', 'mariadb', '11.4.2-MariaDB'],
    ['mysqldump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)', 'mariadb', '10.11.19-MariaDB'],
    ['mariadb-dump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)', 'mariadb', '10.11.19-MariaDB'],
    ['mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)', 'mysql', '8.0.36'],
    ['mysqldump  Ver 10.13 Distrib 5.7.44, for Linux (x86_64)', 'mysql', '5.7.44'],
    ['mysqldump  Ver 9.0.1 for macos14.4 on arm64 (Homebrew)', 'mysql', '9.0.1'],
  ])('%s', (out, flavor, version) => expect(parseMysqlToolVersion(out)).toEqual({ flavor, version }))

  it('rejects other output', () => expect(parseMysqlToolVersion('pg_dump (PostgreSQL) 15.14')).toBeNull())
})

describe('small version helpers', () => {
  it('parses sqlite3 --version', () => {
    expect(parseSqliteVersion('3.40.1 2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd45ae7b9c5e82ad8197f3alt1')).toBe('3.40.1')
    expect(parseSqliteVersion('Error: unknown option')).toBeNull()
  })
  it('compares numerically, to a depth', () => {
    expect(compareVersions('8.0.36', '8.4.0')).toBe(-1)
    expect(compareVersions('10.11.19-MariaDB', '10.11.2')).toBe(1)
    expect(compareVersions('8.0.36', '8.0.12', 2)).toBe(0)
    expect(numericVersion('10.11.19-MariaDB-0+deb12u1')).toBe('10.11.19')
  })
})

const pg = (version: string, p: string, source: PgDumpCandidate['source'] = 'PATH', dispatcher = false): PgDumpCandidate => ({
  name: 'pg_dump',
  path: p,
  version,
  source,
  dispatcher,
  major: pgMajorOf(version) ?? { key: 0, label: '?' },
})
const pg15 = { version: '15.14', versionNum: 150014 }

describe('choosePgDump', () => {
  it('prefers the exact major, then the lowest newer one', () => {
    const found = [pg('17.2', '/a/pg_dump'), pg('16.6', '/b/pg_dump'), pg('15.14', '/c/pg_dump')]
    expect(choosePgDump({ candidates: found, lookedIn: 'PATH' }, pg15, 'linux').tool?.path).toBe('/c/pg_dump')
    expect(choosePgDump({ candidates: found.slice(0, 2), lookedIn: 'PATH' }, pg15, 'linux').tool?.path).toBe('/b/pg_dump')
  })

  it('keeps search order among equal majors (client tools directory first)', () => {
    const found = [pg('15.2', '/override/pg_dump', 'clientBinDir'), pg('15.14', '/usr/lib/postgresql/15/bin/pg_dump', 'system')]
    const choice = choosePgDump({ candidates: found, lookedIn: '' }, pg15, 'linux')
    expect(choice.tool?.path).toBe('/override/pg_dump')
    expect(choice.warnings).toEqual([])
  })

  it('VERSION_MISMATCH when only older ones exist, naming each and what to install', () => {
    const found = [pg('9.6.24', '/a/pg_dump'), pg('13.2', '/b/pg_dump')]
    const choice = choosePgDump({ candidates: found, lookedIn: 'PATH' }, { version: '16.1', versionNum: 160001 }, 'linux')
    expect(choice.tool).toBeNull()
    expect(choice.error).toEqual({
      code: 'VERSION_MISMATCH',
      message:
        'pg_dump is older than the server (PostgreSQL 16.1): found pg_dump 9.6.24 at /a/pg_dump, pg_dump 13.2 at /b/pg_dump — install postgresql-client-16 or newer, or set the client tools directory',
      field: 'clientBinDir',
    })
    expect(choosePgDump({ candidates: found, lookedIn: '' }, { version: '16.1', versionNum: 160001 }, 'darwin').error?.message).toContain(
      'brew install postgresql@16',
    )
  })

  it('TOOL_MISSING lists where it looked', () => {
    const choice = choosePgDump({ candidates: [], lookedIn: 'PATH, /usr/lib/postgresql/*/bin' }, pg15, 'linux')
    expect(choice.error).toEqual({
      code: 'TOOL_MISSING',
      message: 'pg_dump not found (looked in PATH, /usr/lib/postgresql/*/bin) — install postgresql-client-15, or set the client tools directory',
      field: 'clientBinDir',
    })
  })

  it('without a server version, reports the newest', () => {
    const found = [pg('13.2', '/a/pg_dump'), pg('16.6', '/b/pg_dump')]
    expect(choosePgDump({ candidates: found, lookedIn: '' }, null, 'linux').tool?.path).toBe('/b/pg_dump')
  })
})

const my = (name: string, version: string, flavor: 'mariadb' | 'mysql', p: string): MysqlDumpCandidate => ({ name, version, flavor, path: p, source: 'PATH' })
const mariadbDump = my('mariadb-dump', '10.11.19-MariaDB', 'mariadb', '/usr/bin/mariadb-dump')
const oracle80 = my('mysqldump', '8.0.36', 'mysql', '/opt/mysql/bin/mysqldump')
const oracle84 = my('mysqldump', '8.4.3', 'mysql', '/opt/mysql84/bin/mysqldump')

describe('chooseMysqlDump', () => {
  it('MariaDB server: a MariaDB tool, no warning', () => {
    const choice = chooseMysqlDump({ candidates: [oracle80, mariadbDump], lookedIn: '' }, { product: 'MariaDB', version: '10.11.19' }, 'linux')
    expect(choice.tool?.path).toBe(mariadbDump.path)
    expect(choice.warnings).toEqual([])
  })

  it('MySQL server: an Oracle mysqldump at least the server major.minor', () => {
    const choice = chooseMysqlDump({ candidates: [mariadbDump, oracle80, oracle84], lookedIn: '' }, { product: 'MySQL', version: '8.4.1' }, 'linux')
    expect(choice.tool?.path).toBe(oracle84.path)
    expect(choice.warnings).toEqual([])
  })

  it('MySQL server with only a MariaDB tool: usable, with a warning', () => {
    const choice = chooseMysqlDump({ candidates: [mariadbDump], lookedIn: '' }, { product: 'MySQL', version: '8.0.36' }, 'linux')
    expect(choice.tool?.path).toBe(mariadbDump.path)
    expect(choice.error).toBeNull()
    expect(choice.warnings).toEqual([
      'only a MariaDB dump tool was found: mariadb-dump 10.11.19-MariaDB (/usr/bin/mariadb-dump); dumps of this MySQL 8.0.36 server may not restore cleanly — install mysql-client',
    ])
  })

  it('MySQL server newer than the Oracle mysqldump: a warning', () => {
    const choice = chooseMysqlDump({ candidates: [oracle80], lookedIn: '' }, { product: 'MySQL', version: '8.4.1' }, 'linux')
    expect(choice.tool?.path).toBe(oracle80.path)
    expect(choice.warnings).toEqual(['mysqldump 8.0.36 (/opt/mysql/bin/mysqldump) is older than the MySQL 8.4.1 server — install mysqldump 8.4 or newer'])
  })

  it('TOOL_MISSING names both tools and where it looked', () => {
    const choice = chooseMysqlDump({ candidates: [], lookedIn: 'PATH' }, { product: 'MySQL', version: '8.0.36' }, 'darwin')
    expect(choice.error?.code).toBe('TOOL_MISSING')
    expect(choice.error?.message).toBe('mariadb-dump / mysqldump not found (looked in PATH) — brew install mysql-client, or set the client tools directory')
  })
})

describe('expandPattern', () => {
  const roots: string[] = []
  afterAll(async () => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))))

  it('expands "*" per segment, numeric-aware, and skips what does not exist', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'lifeboat-glob-'))
    roots.push(root)
    for (const v of ['9.6', '15', '16', 'x']) await mkdir(path.join(root, 'postgresql', v, 'bin'), { recursive: true })
    await mkdir(path.join(root, 'postgresql', '17'), { recursive: true }) // no bin
    const found = await expandPattern(path.join(root, 'postgresql', '*', 'bin'), path.posix)
    // a non-existent leaf is returned as a path; the caller's executable check filters it
    expect(found.map((d) => path.relative(root, d))).toEqual(['postgresql/9.6/bin', 'postgresql/15/bin', 'postgresql/16/bin', 'postgresql/17/bin', 'postgresql/x/bin'])
    expect(await expandPattern(path.join(root, 'nothing-*', 'bin'), path.posix)).toEqual([])
  })
})
