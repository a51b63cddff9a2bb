import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { expect, it } from 'vitest'
import { cli } from '../support/cli-in-process'
import { describeWithSshd } from '../support/sshd-server'
import { tempDir } from '../support/temp-home'

/** `dest add --type sftp`: trust on first use with the fingerprint shown, then a backup and a scan through it. */
await describeWithSshd('lifeboat dest add --type sftp (in-process CLI, throwaway sshd)', (sshd) => {
  it('shows the host key and stops; accepts only that key; backs up there; a fresh data dir scans it back', async () => {
    const s = sshd()
    const home = tempDir()
    const work = tempDir()
    const dbFile = join(work, 'notes.sqlite')
    new Database(dbFile).exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')")
    const run = (args: string[], h = home) => cli(args, { home: h, cwd: work })
    expect((await run(['profile', 'add', 'notes', '--engine', 'sqlite', '--file', dbFile])).code).toBe(0)
    const remote = join(s.dir, 'remote-backups')
    const base = ['dest', 'add', 'offsite', '--type', 'sftp', '--ssh', `${s.user}@${s.host}:${s.port}`, '--ssh-key', s.clientKeyPath, '--path', remote]

    const first = await run(base)
    expect(first.code).toBe(2)
    expect(first.stderr).toContain(`the host key of ${s.host}:${s.port} is ${s.hostKeyFingerprint}`)
    expect(first.stderr).toContain(`--accept-host-key ${s.hostKeyFingerprint}`)
    const wrong = await run([...base, '--accept-host-key', `SHA256:${'B'.repeat(43)}`])
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringContaining('refusing to trust it') })
    const added = await run([...base, '--accept-host-key', s.hostKeyFingerprint, '--json'])
    expect(added.code, added.stderr).toBe(0)
    expect(JSON.parse(added.stdout)).toMatchObject({ config: { type: 'sftp', hostKey: s.hostKeyFingerprint, path: remote }, location: `sftp://${s.user}@${s.host}:${s.port}${remote}` })

    const backup = await run(['backup', 'notes', '--dest', 'offsite', '--json'])
    expect(backup.code, backup.stderr).toBe(0)
    const b = JSON.parse(backup.stdout)
    expect(readdirSync(remote).sort()).toEqual([b.fileName, `${b.fileName}.manifest.json`].sort())

    const fresh = tempDir()
    expect((await run([...base, '--accept-host-key', s.hostKeyFingerprint], fresh)).code).toBe(0)
    expect(JSON.parse((await run(['dest', 'scan', 'offsite', '--json'], fresh)).stdout)).toMatchObject({ added: [b.fileName] })
    expect(JSON.parse((await run(['verify', b.id, '--json'], fresh)).stdout)).toMatchObject({ ok: true, destination: 'offsite' })

    // the server is re-installed with a new host key: the pinned destination refuses it
    await s.restart({ newHostKey: true })
    const refused = await run(['dest', 'test', 'offsite'])
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/host key .* changed: expected SHA256:\S+, got SHA256:\S+/)
  })
})
