import { execFile } from 'node:child_process'
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { REPO, runBuiltCli } from '../support/run-cli'
import { tool } from '../support/stock-tools'
import { tempDir } from '../support/temp-home'

const skip = !existsSync(join(REPO, 'out', 'main', 'cli.js')) && process.env.CI !== 'true'

/** backup / history / verify / export / delete through the built CLI, on a SQLite profile (no server needed). */
describe.skipIf(skip)('lifeboat backup commands (built CLI, SQLite)', () => {
  it('passphrase-encrypted backup: history, verify, export as stored and decrypted, tamper detection, delete', async () => {
    const home = tempDir()
    const work = tempDir()
    const dbFile = join(work, 'notes.sqlite')
    const db = new Database(dbFile)
    db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY AUTOINCREMENT, body TEXT); INSERT INTO notes (body) VALUES ('hello'), ('wörld 🌍')")
    db.close()
    const env = { LIFEBOAT_HOME: home, BACKUP_PASS: 'correct horse battery staple' }
    expect((await runBuiltCli(['profile', 'add', 'notes', '--engine', 'sqlite', '--file', dbFile], { env })).code).toBe(0)

    const run = await runBuiltCli(['backup', 'notes', '--label', 'Before upgrade!', '--encrypt-passphrase-env', 'BACKUP_PASS', '--json'], { env })
    expect(run.code, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout)
    expect(result).toMatchObject({ status: 'success', fileName: expect.stringMatching(/^backup_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_[0-9a-f]{8}_before-upgrade\.sqlite\.zst\.age$/) })
    expect(result.destinations).toEqual([{ name: 'local', status: 'success', location: join(home, 'backups', result.fileName) }])
    expect(readdirSync(join(home, 'backups')).sort()).toEqual([result.fileName, `${result.fileName}.manifest.json`])
    expect(readFileSync(join(home, 'backups', `${result.fileName}.manifest.json`), 'utf8')).not.toContain(env.BACKUP_PASS)

    const history = await runBuiltCli(['history'], { env })
    expect(history.stdout).toContain(`${result.id.slice(0, 8)}  `)
    expect(history.stdout).toContain('success')

    const short = result.id.slice(0, 8)
    expect(await runBuiltCli(['verify', short], { env })).toMatchObject({ code: 0, stdout: expect.stringMatching(/^ok: .* sha256 [0-9a-f]{64}\n$/) })

    const out = tempDir()
    expect((await runBuiltCli(['export', short, out], { env })).code).toBe(0)
    expect(readFileSync(join(out, result.fileName)).equals(readFileSync(join(home, 'backups', result.fileName)))).toBe(true)

    expect((await runBuiltCli(['export', short, out, '--decrypt'], { env })).code).toBe(2) // needs a key
    const wrong = await runBuiltCli(['export', short, join(out, 'wrong.zst'), '--decrypt', '--decrypt-passphrase-env', 'NOPE'], { env: { ...env, NOPE: 'wrong passphrase' } })
    expect(wrong.code).toBe(1)
    expect(existsSync(join(out, 'wrong.zst'))).toBe(false)
    const plain = await runBuiltCli(['export', short, out, '--decrypt', '--decrypt-passphrase-env', 'BACKUP_PASS'], { env })
    expect(plain.code, plain.stderr).toBe(0)
    const zst = join(out, result.fileName.replace(/\.age$/, ''))
    await promisify(execFile)(await tool('zstd', 'zstd'), ['-q', '-d', zst, '-o', join(out, 'restored.sqlite')])
    const restored = new Database(join(out, 'restored.sqlite'), { readonly: true })
    expect(restored.prepare('SELECT body FROM notes ORDER BY id').pluck().all()).toEqual(['hello', 'wörld 🌍'])
    expect(restored.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'notes'").pluck().get()).toBe(2)
    restored.close()

    // A file changed after the backup is caught by verify and refused by export.
    appendFileSync(join(home, 'backups', result.fileName), 'x')
    const bad = await runBuiltCli(['verify', short, '--json'], { env })
    expect(bad.code).toBe(1)
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, sha256Expected: result.sha256 })
    const refused = await runBuiltCli(['export', short, join(out, 'tampered')], { env })
    expect(refused).toMatchObject({ code: 1, stderr: expect.stringContaining('damaged since the backup') })
    expect(existsSync(join(out, 'tampered'))).toBe(false)

    expect(await runBuiltCli(['delete', short, '--confirm', 'something-else'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('--confirm') })
    expect((await runBuiltCli(['delete', short, '--confirm', short], { env })).code).toBe(0)
    expect(readdirSync(join(home, 'backups'))).toEqual([])
    expect(JSON.parse((await runBuiltCli(['history', '--json'], { env })).stdout)).toEqual([])
  })

  it('usage errors name the flag', async () => {
    const env = { LIFEBOAT_HOME: tempDir() }
    expect(await runBuiltCli(['backup', 'x', '--compress', 'lz4'], { env })).toMatchObject({ code: 2, stderr: 'error: --compress: expected zstd|gzip|none (got "lz4")\n' })
    expect(await runBuiltCli(['backup', 'x', '--max-size', 'lots'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('--max-size: expected a size like 500M') })
    expect(await runBuiltCli(['backup', 'x', '--encrypt-recipient', 'age1nope'], { env })).toMatchObject({ code: 2, stderr: expect.stringContaining('--encrypt-recipient: expected an age public key') })
    expect(await runBuiltCli(['backup', 'x', '--schema-only', '--data-only'], { env })).toMatchObject({ code: 2, stderr: 'error: --data-only: cannot be combined with --schema-only\n' })
    expect(await runBuiltCli(['backup', 'nope'], { env })).toMatchObject({ code: 1, stderr: 'error: no profile named "nope"\n' })
    expect(await runBuiltCli(['history', '--status', 'weird'], { env })).toMatchObject({ code: 2 })
    expect(await runBuiltCli(['verify', 'deadbeef-0000'], { env })).toMatchObject({ code: 1, stderr: 'error: no backup with id "deadbeef-0000"\n' })
  })
})
