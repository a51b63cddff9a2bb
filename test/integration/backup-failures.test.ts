import { chmodSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import type { Backup } from '../../src/shared/backup-model'
import type { PostgresServer } from '../support/context'
import { startPostgres } from '../support/postgres-server'
import { describeWith } from '../support/skip'
import { expectBackendsGone } from '../support/pg-activity'
import { psql } from '../support/sql'
import { tempDir } from '../support/temp-home'

/** Every file under a directory, recursively (partial files start with a dot). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
}

function appFor(home: string, extra: Parameters<typeof createApp>[0]['probeOptions'] = {}): LifeboatCore {
  return createApp({ home, origin: 'cli', probeOptions: { timeoutMs: 5_000, ...extra } })
}

async function pgProfile(core: LifeboatCore, pg: PostgresServer, overrides: { database?: string; password?: string; port?: number } = {}) {
  return core.profiles.create({
    profile: { engine: 'postgres', name: `pg-${Math.random().toString(36).slice(2, 8)}`, host: '127.0.0.1', port: overrides.port ?? pg.port, user: pg.user, database: overrides.database ?? pg.database, tag: null, clientBinDir: null },
    password: overrides.password ?? pg.password,
  })
}

async function runToEnd(core: LifeboatCore, profileId: string, options: Parameters<LifeboatCore['backups']['start']>[0]['options'] = {}): Promise<Backup> {
  const started = await core.backups.start({ profileId, options })
  return started.finished
}

/** Expect a failed/cancelled row with nothing at the destination and no temp files. */
function expectNothingLeft(core: LifeboatCore, backup: Backup) {
  expect(filesUnder(core.paths.backups)).toEqual([])
  expect(filesUnder(core.paths.temp)).toEqual([])
  expect(core.backups.get(backup.id)).toMatchObject({ status: backup.status, sha256: null, sizeBytes: null })
  expect(backup.copies.every((c) => c.status === 'failed' && c.location === null)).toBe(true)
}

describeWith('postgres', 'backup failures are recorded, specific, and leave nothing behind', (pg) => {
  const db = 'failures'
  beforeAll(async () => {
    await psql(pg, [`DROP DATABASE IF EXISTS ${db}`, `CREATE DATABASE ${db} OWNER ${pg.user}`])
    await psql(
      pg,
      [
        `CREATE TABLE t (id int PRIMARY KEY, payload text)`,
        `INSERT INTO t SELECT i, repeat(md5(i::text), 8) FROM generate_series(1, 20000) i`,
        `ALTER TABLE t OWNER TO ${pg.user}`,
      ],
      db,
    )
  })

  it('wrong password: failed with the authentication message, before any file', async () => {
    const core = appFor(tempDir())
    const p = await pgProfile(core, pg, { database: db, password: 'not-the-password' })
    const b = await runToEnd(core, p.id)
    expect(b.status).toBe('failed')
    expect(b.error).toMatch(/password authentication failed for user "app"/)
    expect(b.error).not.toContain('not-the-password')
    expectNothingLeft(core, b)
    core.close()
  })

  it('dump tool missing: failed naming the tool', async () => {
    const core = appFor(tempDir(), { toolPath: '', searchWellKnownDirs: false, extraToolDirs: [] })
    const p = await pgProfile(core, pg, { database: db })
    const b = await runToEnd(core, p.id)
    expect(b).toMatchObject({ status: 'failed', error: expect.stringMatching(/pg_dump.*not found/i) })
    expectNothingLeft(core, b)
    core.close()
  })

  it('pg_dump older than the server: failed with both versions, before any file', async () => {
    const bin = tempDir()
    writeFileSync(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 9.6.24"\n')
    chmodSync(join(bin, 'pg_dump'), 0o755)
    const core = appFor(tempDir(), { toolPath: '', searchWellKnownDirs: false, extraToolDirs: [bin] })
    const p = await pgProfile(core, pg, { database: db })
    const b = await runToEnd(core, p.id)
    expect(b.status).toBe('failed')
    expect(b.error).toMatch(/9\.6/)
    expect(b.error).toContain(pg.version.split('.')[0]!)
    expectNothingLeft(core, b)
    core.close()
  })

  it('destination not writable: failed naming the directory', async () => {
    const home = tempDir()
    writeFileSync(join(home, 'backups'), 'a file where the backups directory should be')
    const core = appFor(home)
    const p = await pgProfile(core, pg, { database: db })
    const b = await runToEnd(core, p.id)
    expect(b.status).toBe('failed')
    expect(b.error).toContain(join(home, 'backups'))
    expect(readFileSync(join(home, 'backups'), 'utf8')).toBe('a file where the backups directory should be')
    expect(filesUnder(core.paths.temp)).toEqual([])
    core.close()
  })

  it('maximum size exceeded: failed with the limit, no file', async () => {
    const core = appFor(tempDir())
    const p = await pgProfile(core, pg, { database: db })
    const b = await runToEnd(core, p.id, { maxBytes: 4096, compression: 'none' })
    expect(b).toMatchObject({ status: 'failed', error: expect.stringMatching(/maximum size of 4096 bytes/) })
    expectNothingLeft(core, b)
    core.close()
  })

  describe('with a table locked so pg_dump waits (deterministic, no sleeps)', () => {
    let locker: Client
    beforeAll(async () => {
      locker = new Client({ host: pg.host, port: pg.port, user: 'postgres', database: db })
      await locker.connect()
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE t IN ACCESS EXCLUSIVE MODE')
    })
    afterAll(async () => {
      await locker.query('ROLLBACK')
      await locker.end()
    })

    it('timeout: failed with the limit, pg_dump killed, nothing left', async () => {
      const core = appFor(tempDir())
      const p = await pgProfile(core, pg, { database: db })
      const b = await runToEnd(core, p.id, { timeoutMs: 1500 })
      expect(b).toMatchObject({ status: 'failed', error: 'the backup took longer than its time limit of 1.5 s' })
      expectNothingLeft(core, b)
      await expectBackendsGone(pg, db) // pg_dump and every pre-flight connection are gone, not left queued on the lock
      core.close()
    })

    it('cancel: cancelled, pg_dump killed, nothing left', async () => {
      const core = appFor(tempDir())
      const p = await pgProfile(core, pg, { database: db })
      const started = await core.backups.start({ profileId: p.id })
      await waitForDumpBackend(pg, db) // the backup is connected and waiting for the lock
      core.backups.cancel(started.id)
      const b = await started.finished
      expect(b).toMatchObject({ status: 'cancelled', error: 'cancelled' })
      expectNothingLeft(core, b)
      await expectBackendsGone(pg, db)
      core.close()
    })
  })
})

describeWith('postgres', 'server stopped mid-dump', () => {
  it('is failed with the dump tool’s message and no file', async () => {
    const server = await startPostgres()
    if ('unavailable' in server) throw new Error(server.unavailable)
    const pg = server.info
    try {
      await psql(pg, [`CREATE TABLE big (id int, payload text)`, `INSERT INTO big SELECT i, repeat(md5(i::text), 64) FROM generate_series(1, 150000) i`, `ALTER TABLE big OWNER TO ${pg.user}`], pg.database)
      const core = appFor(tempDir())
      const p = await pgProfile(core, pg)
      const started = await core.backups.start({ profileId: p.id, options: { compression: 'none' } })
      let stopping: Promise<void> | undefined
      core.events.subscribe((e) => {
        if (!stopping && e.type === 'backup.progress' && e.progress.backupId === started.id && e.progress.rawBytes > 1_000_000) stopping = server.stop()
      })
      const b = await started.finished
      await stopping
      expect(stopping).toBeDefined() // the server really went away mid-dump
      expect(b.status).toBe('failed')
      expect(b.error).toMatch(/^pg_dump failed \(exit 1\): .*(terminat|connection|server closed|PQgetCopyData)/is)
      expectNothingLeft(core, b)
      core.close()
    } finally {
      await server.stop().catch(() => {})
    }
  })
})

/** Polls pg_stat_activity (each query is a real round trip, not a timed sleep). */
async function waitForDumpBackend(pg: PostgresServer, db: string): Promise<void> {
  for (;;) {
    // The backup's own connections (pre-flight table listing, then pg_dump) all queue behind the lock.
    const n = await psql(pg, `SELECT count(*) FROM pg_stat_activity WHERE usename = '${pg.user}' AND datname = '${db}' AND wait_event_type = 'Lock'`)
    if (n !== '0') return
  }
}

