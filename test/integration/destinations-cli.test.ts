import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { cli } from '../support/cli-in-process'
import { tempDir } from '../support/temp-home'

/** dest add/list/test/edit/remove/scan, several destinations per backup, copies and fallbacks — with folder destinations (no network). */
async function setup() {
  const home = tempDir()
  const work = tempDir()
  const dbFile = join(work, 'notes.sqlite')
  const db = new Database(dbFile)
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT); INSERT INTO notes (body) VALUES ('hello'), ('wörld')")
  db.close()
  const run = (args: string[], opts: { home?: string; env?: NodeJS.ProcessEnv } = {}) => cli(args, { home: opts.home ?? home, env: opts.env, cwd: work })
  expect((await run(['profile', 'add', 'notes', '--engine', 'sqlite', '--file', dbFile])).code).toBe(0)
  return { home, work, dbFile, run }
}

const json = (r: { stdout: string }) => JSON.parse(r.stdout)

describe('lifeboat dest (in-process CLI, folder destinations)', () => {
  it('add (tested first; relative paths resolved), list with the built-in first, test, edit, and errors that name the flag', async () => {
    const { run, work } = await setup()
    const add = await run(['dest', 'add', 'nas', '--type', 'local', '--path', 'nas-folder', '--json'])
    expect(add.code, add.stderr).toBe(0)
    expect(json(add)).toMatchObject({ name: 'nas', builtIn: false, config: { type: 'local', path: join(work, 'nas-folder') }, location: join(work, 'nas-folder'), secrets: [] })
    const list = json(await run(['dest', 'list', '--json']))
    expect(list.map((d: { name: string; builtIn: boolean }) => [d.name, d.builtIn])).toEqual([['local', true], ['nas', false]])
    expect(await run(['dest', 'test', 'nas'])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok: can write to .*nas-folder/) })
    expect(readdirSync(join(work, 'nas-folder'))).toEqual([]) // the probe was removed

    expect(await run(['dest', 'add', 'nas', '--type', 'local', '--path', 'x'])).toMatchObject({ code: 2, stderr: 'error: name: a destination named "nas" already exists\n' })
    expect(await run(['dest', 'add', 'local', '--type', 'local', '--path', 'x'])).toMatchObject({ code: 2, stderr: 'error: name: a destination named "local" already exists\n' })
    expect(await run(['dest', 'add', 'b', '--type', 'ftp'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: --type: expected local\|s3\|azure\|sftp/) })
    expect(await run(['dest', 'add', 'b', '--type', 's3', '--bucket', 'B!'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: --bucket: /) })
    expect(await run(['dest', 'add', 'b', '--type', 's3', '--bucket', 'bucket', '--access-key-env', 'K'], { env: { K: 'id' } })).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: --secret-key-env: give both/) })
    expect(await run(['dest', 'add', 'b', '--type', 'azure', '--container', 'backups'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: --connection-string-env: /) })
    expect(await run(['dest', 'add', 'b', '--type', 'sftp', '--ssh', 'nohost', '--path', '/x'])).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error: --ssh: expected USER@HOST/) })
    // a folder that can't be created: the test fails and nothing is saved
    writeFileSync(join(work, 'a-file'), 'x')
    const bad = await run(['dest', 'add', 'broken', '--type', 'local', '--path', 'a-file/sub'])
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/^error: not saved: the connection test failed: .*a-file\/sub/)
    expect(json(await run(['dest', 'list', '--json']))).toHaveLength(2)
    expect((await run(['dest', 'add', 'broken', '--type', 'local', '--path', 'a-file/sub', '--no-verify'])).code).toBe(0)

    const edit = await run(['dest', 'edit', 'nas', '--path', 'nas2', '--json'])
    expect(edit.code, edit.stderr).toBe(0)
    expect(json(edit).config.path).toBe(join(work, 'nas2'))
    expect(await run(['dest', 'edit', 'local', '--path', 'x'])).toMatchObject({ code: 2, stderr: expect.stringContaining('built in') })
  })

  it('one backup to two destinations; one failing destination does not fail the other, every failure is recorded per copy', async () => {
    const { run, work } = await setup()
    writeFileSync(join(work, 'a-file'), 'x')
    expect((await run(['dest', 'add', 'nas', '--type', 'local', '--path', 'nas'])).code).toBe(0)
    expect((await run(['dest', 'add', 'broken', '--type', 'local', '--path', 'a-file/sub', '--no-verify'])).code).toBe(0)

    const both = await run(['backup', 'notes', '--dest', 'local', '--dest', 'nas', '--json'])
    expect(both.code, both.stderr).toBe(0)
    expect(json(both).destinations.map((d: { name: string; status: string }) => [d.name, d.status])).toEqual([['local', 'success'], ['nas', 'success']])

    const partial = await run(['backup', 'notes', '--dest', 'nas', '--dest', 'broken', '--json'])
    expect(partial.code, partial.stderr).toBe(0)
    const copies = json(partial).destinations
    expect(copies).toEqual([
      { name: 'broken', status: 'failed', location: null },
      { name: 'nas', status: 'success', location: join(work, 'nas', json(partial).fileName) },
    ])
    const row = json(await run(['history', '--json']))[0]
    expect(row.copies.find((c: { destination: string }) => c.destination === 'broken').error).toMatch(/a-file/)
    expect(readdirSync(join(work, 'nas')).filter((f) => f.includes(json(partial).id.slice(0, 8)))).toHaveLength(2) // file + manifest

    const none = await run(['backup', 'notes', '--dest', 'broken', '--json'])
    expect(none.code).toBe(1)
    expect(json(none)).toMatchObject({ status: 'failed', error: { code: 'DUMP_FAILED', message: expect.stringMatching(/a-file\/sub: not a directory/) } })
  })

  it('verify checks every copy; export and restore read from a copy that is still there', async () => {
    const { run, work, home } = await setup()
    expect((await run(['dest', 'add', 'nas', '--type', 'local', '--path', 'nas'])).code).toBe(0)
    const b = json(await run(['backup', 'notes', '--dest', 'local', '--dest', 'nas', '--json']))
    expect(json(await run(['verify', b.id, '--json']))).toMatchObject({ ok: true, destination: 'local, nas' })
    rmSync(join(home, 'backups', b.fileName)) // the local copy vanished behind our back
    const verify = await run(['verify', b.id, '--json'])
    expect(verify.code).toBe(1)
    expect(json(verify).error.message).toMatch(/^local: /)
    const out = join(work, 'exported.sqlite.zst')
    expect(await run(['export', b.id, out])).toMatchObject({ code: 0 })
    const target = join(work, 'restored.sqlite')
    const restore = await run(['restore', b.id, '--to', 'notes', '--database', target, '--confirm', target, '--no-safety-backup'])
    expect(restore.code, restore.stderr).toBe(0)
    const restored = new Database(target, { readonly: true })
    expect(restored.prepare('SELECT count(*) AS n FROM notes').get()).toEqual({ n: 2 })
    restored.close()
    // delete removes every copy that is still there
    expect((await run(['delete', b.id, '--confirm', b.id])).code).toBe(0)
    expect(readdirSync(join(work, 'nas'))).toEqual([])
  })

  it('scan: a fresh data dir pointed at the same folder finds the backups (and restores them); known, damaged and orphaned manifests are reported', async () => {
    const { run, work } = await setup()
    expect((await run(['dest', 'add', 'nas', '--type', 'local', '--path', 'nas'])).code).toBe(0)
    const first = json(await run(['backup', 'notes', '--dest', 'nas', '--label', 'first', '--json']))
    const second = json(await run(['backup', 'notes', '--dest', 'nas', '--json']))
    writeFileSync(join(work, 'nas', 'junk.sql.manifest.json'), '{"not":"a manifest"}')
    writeFileSync(join(work, 'nas', 'orphan.sql.zst.manifest.json'), readFileSync(join(work, 'nas', `${first.fileName}.manifest.json`), 'utf8').replace(first.fileName, 'orphan.sql.zst'))

    const fresh = tempDir()
    const other = (args: string[]) => run(args, { home: fresh })
    expect((await other(['dest', 'add', 'nas', '--type', 'local', '--path', join(work, 'nas')])).code).toBe(0)
    expect(json(await other(['history', '--json']))).toEqual([])
    const scan = await other(['dest', 'scan', 'nas', '--json'])
    expect(scan.code, scan.stderr).toBe(0)
    const r = json(scan)
    expect(r).toMatchObject({ destination: 'nas', manifests: 4, copiesAdded: [], alreadyKnown: 0 })
    expect(r.added.sort()).toEqual([first.fileName, second.fileName].sort())
    expect(r.skipped.map((s: { file: string; reason: string }) => [s.file, s.reason.slice(0, 24)]).sort()).toEqual([
      ['junk.sql.manifest.json', 'not a Lifeboat manifest:'],
      ['orphan.sql.zst', 'the backup file is missi'],
    ])
    const history = json(await other(['history', '--json']))
    expect(history.map((b: { id: string }) => b.id).sort()).toEqual([first.id, second.id].sort())
    expect(history.find((b: { id: string }) => b.id === first.id)).toMatchObject({ status: 'success', label: 'first', profileName: 'notes', profileId: null, sha256: first.sha256, copies: [{ destination: 'nas', status: 'success' }] })
    expect(json(await other(['dest', 'scan', 'nas', '--json']))).toMatchObject({ added: [], alreadyKnown: 2 })

    // the found backup verifies and restores on the new machine (into a profile made there)
    expect(json(await other(['verify', first.id, '--json']))).toMatchObject({ ok: true })
    const target = join(work, 'from-scan.sqlite')
    expect((await other(['profile', 'add', 'staging', '--engine', 'sqlite', '--file', target])).code).toBe(0)
    const restore = await other(['restore', first.id, '--to', 'staging', '--confirm', target, '--no-safety-backup'])
    expect(restore.code, restore.stderr).toBe(0)
    expect(json(await other(['activity', '--action', 'destination.scan', '--json']))).toHaveLength(2)
  })

  it('remove is refused while a job writes there or backups are stored there', async () => {
    const { run } = await setup()
    expect((await run(['dest', 'add', 'nas', '--type', 'local', '--path', 'nas'])).code).toBe(0)
    expect((await run(['job', 'add', 'j', '--profile', 'notes', '--daily', '02:00', '--dest', 'nas', '--dest', 'local', '--keep-last', '1'])).code).toBe(0)
    expect(await run(['dest', 'remove', 'nas'])).toMatchObject({ code: 2, stderr: 'error: destination "nas" is used by the job "j"; change it first\n' })
    // retention works per destination: keep-last 1 at both places
    expect((await run(['job', 'run', 'j'])).code).toBe(0)
    expect((await run(['job', 'run', 'j'])).code).toBe(0)
    const history = json(await run(['history', '--json']))
    expect(history).toHaveLength(1)
    expect(history[0].copies.map((c: { destination: string; status: string }) => [c.destination, c.status])).toEqual([['local', 'success'], ['nas', 'success']])
    expect((await run(['job', 'remove', 'j'])).code).toBe(0)
    expect(await run(['dest', 'remove', 'nas'])).toMatchObject({ code: 2, stderr: 'error: destination "nas" holds 1 backup; delete or prune it first, or keep the destination\n' })
    expect((await run(['delete', history[0].id, '--confirm', history[0].id])).code).toBe(0)
    expect(await run(['dest', 'remove', 'nas'])).toMatchObject({ code: 0 })
  })
})
