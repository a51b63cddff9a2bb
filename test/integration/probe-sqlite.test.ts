import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { probeConnection } from '../../src/main/core/engines'
import type { ProbeOptions } from '../../src/main/core/engines/probe'
import { connectionTestResultSchema, type ProfileConfig } from '../../src/shared/model'
import { fakeTool, tempDirs } from '../support/probe-fixtures'

type SqliteProfile = Extract<ProfileConfig, { engine: 'sqlite' }>

describe('SQLite connection probe', () => {
  const dirs = tempDirs()
  const timings: string[] = []
  let dir = ''
  let dbFile = ''
  const profile = (file: string): SqliteProfile => ({ engine: 'sqlite', name: 'lite', tag: null, file })
  const probe = async (label: string, file: string, options: Partial<ProbeOptions> = {}) => {
    const result = await probeConnection(profile(file), undefined, { timeoutMs: 5_000, ...options })
    expect(() => connectionTestResultSchema.parse(result)).not.toThrow()
    timings.push(`${label} ${result.durationMs} ms`)
    return result
  }
  const noTools: Partial<ProbeOptions> = { toolPath: '', searchWellKnownDirs: false }

  beforeAll(async () => {
    dir = await dirs.make()
    dbFile = join(dir, 'app.sqlite')
    const db = new Database(dbFile)
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES (\'a\')')
    db.close()
  })
  afterAll(async () => {
    await dirs.cleanup()
    console.log(`[probe timings] sqlite: ${timings.join(', ')}`)
  })

  it('opens a database and reports the library version and the sqlite3 tool', async () => {
    const toolDir = await dirs.make()
    const cli = await fakeTool(toolDir, 'sqlite3', '3.40.1 2022-12-28 14:03:47 df5c253c0b3dd24916e4ec7cf77d3db5294cc9fd45ae7b9c5e82ad8197f3alt1')
    const r = await probe('ok', dbFile, { ...noTools, extraToolDirs: [toolDir] })
    expect(r.error).toBeNull()
    expect(r.ok).toBe(true)
    expect(r.server?.product).toBe('SQLite')
    expect(r.server?.version).toMatch(/^3\.\d+\.\d+$/)
    expect(r.tool).toEqual({ name: 'sqlite3', path: cli, version: '3.40.1' })
    expect(r.warnings).toEqual([])
  })

  it('without the sqlite3 shell: the built-in library, and a warning', async () => {
    const r = await probe('ok-builtin', dbFile, noTools)
    expect(r.ok).toBe(true)
    expect(r.tool).toEqual({ name: 'better-sqlite3 (built in)', path: '', version: r.server?.version })
    expect(r.warnings).toEqual(['the sqlite3 command-line tool was not found; backups do not need it, only restoring by hand does'])
  })

  it('a missing file -> UNKNOWN_DATABASE on "file", and nothing is created', async () => {
    const missing = join(dir, 'missing.sqlite')
    const r = await probe('missing', missing)
    expect(r.error).toEqual({ code: 'UNKNOWN_DATABASE', message: `${missing} does not exist`, field: 'file' })
    expect(r.ok).toBe(false)
    await expect(import('node:fs/promises').then((fs) => fs.stat(missing))).rejects.toMatchObject({ code: 'ENOENT' })
  })

  it('a file that is not SQLite -> NOT_A_DATABASE', async () => {
    const text = join(dir, 'notes.txt')
    await writeFile(text, 'this is just some text, long enough to have a header\n')
    const r = await probe('not-a-db', text)
    expect(r.error).toEqual({ code: 'NOT_A_DATABASE', message: `${text} is not an SQLite database (no "SQLite format 3" header)`, field: 'file' })
  })

  it('a right header over garbage -> NOT_A_DATABASE from SQLite itself', async () => {
    const bad = join(dir, 'bad.sqlite')
    await writeFile(bad, Buffer.concat([Buffer.from('SQLite format 3\0', 'latin1'), Buffer.alloc(200, 0xff)]))
    const r = await probe('garbage', bad)
    expect(r.error?.code).toBe('NOT_A_DATABASE')
    expect(r.error?.field).toBe('file')
  })

  it('a directory -> NOT_A_DATABASE', async () => {
    const r = await probe('directory', dir)
    expect(r.error).toEqual({ code: 'NOT_A_DATABASE', message: `${dir} is a directory, not an SQLite database file`, field: 'file' })
  })

  it('an empty file is an empty database, with a warning', async () => {
    const empty = join(dir, 'empty.sqlite')
    await writeFile(empty, '')
    const r = await probe('empty', empty)
    expect(r.ok).toBe(true)
    expect(r.warnings.some((w) => w.includes('is empty (0 bytes)'))).toBe(true)
  })
})
