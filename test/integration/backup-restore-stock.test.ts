import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import type { Backup, BackupOptionsInput } from '../../src/shared/backup-model'
import type { ProfileInput } from '../../src/shared/model'
import { manifestSchema } from '../../src/shared/manifest'
import { mariadbFingerprint, pgFingerprint, sqliteFingerprint } from '../support/fingerprint'
import { copyChinookSqlite, fixturesUnavailable, loadChinookMariadb, loadChinookPostgres, loadPagila, loadSakila } from '../support/fixtures'
import { createMariadbEdgeDatabase, createPgEdgeDatabase, createSqliteEdgeDatabase } from '../support/generated-data'
import { describeWith } from '../support/skip'
import { mariadbSql, psql } from '../support/sql'
import { pipeChain, tool, type Command } from '../support/stock-tools'
import { tempDir } from '../support/temp-home'

/**
 * The whole chain — engine, compression, encryption, local destination — then a restore by hand
 * with stock tools only (zstd -d, gunzip, age -d, pg_restore, psql, mariadb, sqlite3), and the
 * restored data must equal the source (per-table row hashes, sequences, objects).
 */

const fixturesMissing = fixturesUnavailable()
let key: { identityFile: string; recipient: string }
let core: LifeboatCore

beforeAll(async () => {
  const dir = tempDir()
  key = { identityFile: join(dir, 'key.txt'), recipient: '' }
  await promisify(execFile)(await tool('age-keygen', 'age'), ['-o', key.identityFile])
  key.recipient = (await promisify(execFile)(await tool('age-keygen', 'age'), ['-y', key.identityFile])).stdout.trim()
  core = createApp({ home: tempDir(), origin: 'cli', logger: silentLogger })
})

let profileCount = 0
async function backUp(profile: ProfileInput, password: string | undefined, options: BackupOptionsInput): Promise<{ backup: Backup; file: string }> {
  const p = await core.profiles.create({ profile: { ...profile, name: `p${++profileCount}` } as ProfileInput, password } as never)
  const started = await core.backups.start({ profileId: p.id, options })
  const backup = await started.finished
  expect(backup.status, backup.error ?? '').toBe('success')
  const file = backup.copies[0]!.location!
  // The manifest beside the file describes it exactly.
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(`${file}.manifest.json`, 'utf8')))
  expect(manifest).toMatchObject({ id: backup.id, fileName: backup.fileName, sha256: backup.sha256, sizeBytes: backup.sizeBytes })
  expect(await sha256File(file)).toBe(backup.sha256)
  return { backup, file }
}

async function sha256File(file: string): Promise<string> {
  const { stdout } = await promisify(execFile)(await tool('sha256sum', 'coreutils'), [file])
  return stdout.split(' ')[0]!
}

/** The by-hand unwrapping: age -d, then zstd -d / gunzip, by the file's extension. */
async function unwrap(file: string): Promise<Command[]> {
  const steps: Command[] = []
  if (file.endsWith('.age')) steps.push([await tool('age', 'age'), '-d', '-i', key.identityFile])
  if (/\.zst(\.age)?$/.test(file)) steps.push([await tool('zstd', 'zstd'), '-d', '-c'])
  if (/\.gz(\.age)?$/.test(file)) steps.push([await tool('gunzip', 'gzip'), '-c'])
  if (steps.length === 0) steps.push([await tool('cat', 'coreutils')])
  return steps
}

describeWith('postgres', 'PostgreSQL backups restore with stock tools', (pg) => {
  const profile = (database: string, user = pg.user): ProfileInput => ({ engine: 'postgres', name: 'x', host: '127.0.0.1', port: pg.port, user, database })
  let n = 0
  const restoreInto = async (file: string, format: 'custom' | 'plain'): Promise<string> => {
    const target = `restored_${++n}_${Date.now()}`
    await psql(pg, `CREATE DATABASE ${target}`)
    const conn = ['-h', pg.host, '-p', String(pg.port), '-U', 'postgres', '-d', target]
    const last: Command =
      format === 'custom'
        ? [join(pg.binDir, 'pg_restore'), '--no-owner', '--no-privileges', '--exit-on-error', ...conn]
        : [join(pg.binDir, 'psql'), '-X', '-q', '-v', 'ON_ERROR_STOP=1', '--single-transaction', '-o', '/dev/null', ...conn]
    await pipeChain(file, [...(await unwrap(file)), last])
    return target
  }
  const edge = 'edge_chain'
  beforeAll(async () => {
    await psql(pg, `DROP DATABASE IF EXISTS ${edge}`)
    await createPgEdgeDatabase(pg, edge)
  })

  it.each([
    ['custom', 'zstd', null],
    ['custom', 'gzip', 'recipient'],
    ['plain', 'none', null],
    ['plain', 'zstd', 'recipient'],
  ] as const)('generated edge cases: %s, %s, encryption %s', async (format, compression, encryption) => {
    const source = await pgFingerprint(pg, edge)
    const { file } = await backUp(profile(edge), pg.password, { format, compression, encryption: encryption ? { kind: 'recipient', recipient: key.recipient } : null })
    expect(await pgFingerprint(pg, await restoreInto(file, format))).toEqual(source)
  })

  describe.skipIf(fixturesMissing !== null)(`fixtures${fixturesMissing ? ` (skipped: ${fixturesMissing})` : ''}`, () => {
    it('pagila: custom + zstd', async () => {
      const db = await loadPagila(pg)
      const { file } = await backUp(profile(db, 'postgres'), undefined, { compression: 'zstd' })
      expect(await pgFingerprint(pg, await restoreInto(file, 'custom'))).toEqual(await pgFingerprint(pg, db))
    })
    it('chinook: plain + gzip + age', async () => {
      const db = await loadChinookPostgres(pg)
      const { file } = await backUp(profile(db, 'postgres'), undefined, { format: 'plain', compression: 'gzip', encryption: { kind: 'recipient', recipient: key.recipient } })
      expect(file).toMatch(/\.sql\.gz\.age$/)
      expect(await pgFingerprint(pg, await restoreInto(file, 'plain'))).toEqual(await pgFingerprint(pg, db))
    })
  })
})

describeWith('mariadb', 'MariaDB backups restore with stock tools', (m) => {
  let n = 0
  const restoreInto = async (file: string): Promise<string> => {
    const target = `restored${++n}x${Date.now()}` // no _ : GRANT would read it as a wildcard
    await mariadbSql(m, `CREATE DATABASE \`${target}\` CHARACTER SET utf8mb4`)
    // Views keep DEFINER=app: app needs rights on the target (rewriting DEFINER is the Restore issue's job).
    await grant(target)
    const client = (await tool('mariadb', 'mariadb-client').catch(() => tool('mysql', 'mariadb-client')))
    await pipeChain(file, [...(await unwrap(file)), [client, '--no-defaults', `--socket=${m.socket}`, '-uroot', '--default-character-set=utf8mb4', target]])
    return target
  }
  const profile = (database: string): ProfileInput => ({ engine: 'mysql', name: 'x', host: '127.0.0.1', port: m.port, user: m.user, database })
  /** Fixtures are loaded by root (definer of their routines): back them up as root over the socket. */
  const rootProfile = (database: string): ProfileInput => ({ engine: 'mysql', name: 'x', host: m.socket, user: 'root', database })
  const grant = (db: string) => mariadbSql(m, `GRANT ALL ON \`${db}\`.* TO '${m.user}'@'127.0.0.1'`)
  const edge = 'edgechain'
  beforeAll(async () => {
    await mariadbSql(m, `DROP DATABASE IF EXISTS ${edge}`)
    await createMariadbEdgeDatabase(m, edge)
  })

  it.each([
    ['zstd', null],
    ['gzip', 'recipient'],
    ['none', null],
  ] as const)('generated edge cases: %s, encryption %s', async (compression, encryption) => {
    const source = await mariadbFingerprint(m, edge)
    const { file } = await backUp(profile(edge), m.password, { compression, encryption: encryption ? { kind: 'recipient', recipient: key.recipient } : null })
    expect(await mariadbFingerprint(m, await restoreInto(file))).toEqual(source)
  })

  describe.skipIf(fixturesMissing !== null)(`fixtures${fixturesMissing ? ` (skipped: ${fixturesMissing})` : ''}`, () => {
    it('sakila: zstd', async () => {
      const db = await loadSakila(m)
      const { file } = await backUp(rootProfile(db), undefined, { compression: 'zstd' })
      expect(await mariadbFingerprint(m, await restoreInto(file))).toEqual(await mariadbFingerprint(m, db))
    })
    it('Chinook: gzip + age', async () => {
      const db = await loadChinookMariadb(m)
      const { file } = await backUp(rootProfile(db), undefined, { compression: 'gzip', encryption: { kind: 'recipient', recipient: key.recipient } })
      expect(await mariadbFingerprint(m, await restoreInto(file))).toEqual(await mariadbFingerprint(m, db))
    })
  })
})

describe('SQLite backups restore with stock tools', () => {
  const profile = (file: string): ProfileInput => ({ engine: 'sqlite', name: 'x', file })
  const restore = async (file: string, format: 'sqlite' | 'plain'): Promise<string> => {
    const out = join(tempDir(), 'restored.sqlite')
    if (format === 'sqlite') {
      await pipeChain(file, [...(await unwrap(file)), [await tool('dd', 'coreutils'), `of=${out}`, 'status=none']])
    } else {
      await pipeChain(file, [...(await unwrap(file)), [await tool('sqlite3', 'sqlite3'), '-bail', out]])
    }
    return out
  }

  it.each([
    ['sqlite', 'zstd', null],
    ['sqlite', 'none', 'recipient'],
    ['plain', 'gzip', null],
    ['plain', 'zstd', 'recipient'],
  ] as const)('generated edge cases: %s, %s, encryption %s', async (format, compression, encryption) => {
    const db = join(tempDir(), 'edge.sqlite')
    createSqliteEdgeDatabase(db)
    const { file } = await backUp(profile(db), undefined, { format, compression, encryption: encryption ? { kind: 'recipient', recipient: key.recipient } : null })
    expect(sqliteFingerprint(await restore(file, format))).toEqual(sqliteFingerprint(db))
  })

  it.skipIf(fixturesMissing !== null)(`chinook: plain + gzip${fixturesMissing ? ` (skipped: ${fixturesMissing})` : ''}`, async () => {
    const db = await copyChinookSqlite(tempDir())
    const { file } = await backUp(profile(db), undefined, { format: 'plain', compression: 'gzip' })
    expect(sqliteFingerprint(await restore(file, 'plain'))).toEqual(sqliteFingerprint(db))
  })
})

