import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { bundledMigrations, migrate, parseMigrations } from '../../src/main/core/store/migrations'
import { openStore } from '../../src/main/core/store/open-store'
import { tempDir } from '../support/temp-home'

describe('store', () => {
  it('creates a fresh store with WAL, foreign keys and every migration applied', () => {
    const db = openStore(join(tempDir(), 'lifeboat.db'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('user_version', { simple: true })).toBe(bundledMigrations().length)
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").pluck().all()
    expect(tables).toEqual(expect.arrayContaining(['activity', 'profiles', 'settings']))
    db.close()
  })

  it('reopens an already-migrated store without re-running migrations and keeps its data', () => {
    const file = join(tempDir(), 'lifeboat.db')
    const first = openStore(file)
    first.prepare("INSERT INTO settings (key, value) VALUES ('k', '1')").run()
    first.close()
    const again = new Database(file)
    expect(migrate(again)).toEqual({ from: bundledMigrations().length, to: bundledMigrations().length })
    expect(again.prepare("SELECT value FROM settings WHERE key='k'").pluck().get()).toBe('1')
    again.close()
  })

  it('applies only the new migrations to an older store', () => {
    const file = join(tempDir(), 'lifeboat.db')
    const v1 = parseMigrations({ './migrations/001-a.sql': 'CREATE TABLE a (x INTEGER);' })
    openStore(file, { migrations: v1 }).close()
    const v2 = parseMigrations({ './migrations/001-a.sql': 'CREATE TABLE a (x INTEGER);', './migrations/002-b.sql': 'CREATE TABLE b (y INTEGER);' })
    const db = new Database(file)
    expect(migrate(db, v2)).toEqual({ from: 1, to: 2 })
    db.close()
  })

  it('rolls a failing migration back completely and leaves the version as it was', () => {
    const file = join(tempDir(), 'lifeboat.db')
    const broken = parseMigrations({
      './migrations/001-a.sql': 'CREATE TABLE a (x INTEGER);',
      './migrations/002-b.sql': 'CREATE TABLE b (y INTEGER); INSERT INTO nope VALUES (1);',
    })
    expect(() => openStore(file, { migrations: broken })).toThrow(/no such table: nope/)
    const db = new Database(file)
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name='b'").pluck().get()).toBe(0)
    db.close()
  })

  it('refuses a store written by a newer Lifeboat instead of misreading it', () => {
    const file = join(tempDir(), 'lifeboat.db')
    const db = new Database(file)
    db.pragma('user_version = 999')
    db.close()
    expect(() => openStore(file)).toThrow(/newer Lifeboat \(schema 999/)
  })

  it('rejects migration files that are misnamed or have gaps', () => {
    expect(() => parseMigrations({ './migrations/init.sql': '' })).toThrow(/NNN-name\.sql/)
    expect(() => parseMigrations({ './migrations/001-a.sql': '', './migrations/003-c.sql': '' })).toThrow(/without gaps/)
  })
})
