import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, inject, it } from 'vitest'
import { isAvailable } from '../support/context'
import { cli } from '../support/cli-in-process'
import { describeWithSshd } from '../support/sshd-server'
import { tempDir } from '../support/temp-home'

const pg = isAvailable(inject('servers').postgres) ? inject('servers').postgres : null

/** `profile add --ssh`: trust on first use with the fingerprint shown, then test, backup and edit through the tunnel. */
await describeWithSshd('lifeboat profile add --ssh (in-process CLI, throwaway sshd)', (sshd) => {
  it('shows the host key and stops; accepts only that key; tests and backs up through SSH; --clear-ssh goes direct again', async (ctx) => {
    if (!pg || !isAvailable(pg)) return ctx.skip('the throwaway PostgreSQL is not available')
    const s = sshd()
    const home = tempDir()
    const knownHosts = join(home, 'known_hosts')
    writeFileSync(knownHosts, '')
    const env = { PGPW: pg.password, PASSPHRASE: s.encryptedClientKeyPassphrase }
    const run = (args: string[]) => cli(args, { home, env })
    const base = ['profile', 'add', 'bastioned', '--engine', 'postgres', '--host', '127.0.0.1', '--port', String(pg.port), '--user', pg.user, '--database', pg.database, '--password-env', 'PGPW',
      '--ssh', `${s.user}@${s.host}:${s.port}`, '--ssh-key', s.encryptedClientKeyPath, '--ssh-key-passphrase-env', 'PASSPHRASE', '--ssh-known-hosts', knownHosts]

    const first = await run(base)
    expect(first.code, first.stderr).toBe(2)
    expect(first.stderr).toContain(`--accept-host-key: the SSH host key of ${s.host}:${s.port} is ${s.hostKeyFingerprint}`)
    expect((await run(['profile', 'list', '--json'])).stdout.trim()).toBe('[]') // nothing saved
    const wrong = await run([...base, '--accept-host-key', `SHA256:${'B'.repeat(43)}`])
    expect(wrong).toMatchObject({ code: 1, stderr: expect.stringContaining('refusing to trust it') })
    expect((await run([...base, '--ssh-mode', 'sideways'])).stderr).toContain('--ssh-mode: expected tunnel|exec')
    expect((await run([...base.filter((a) => a !== '--ssh' && !a.includes('@')), '--accept-host-key', s.hostKeyFingerprint])).stderr).toContain('needs --ssh USER@HOST[:PORT]')

    const added = await run([...base, '--accept-host-key', s.hostKeyFingerprint, '--json'])
    expect(added.code, added.stderr).toBe(0)
    const profile = JSON.parse(added.stdout)
    expect(profile).toMatchObject({ hasPassword: true, hasSshSecret: true, ssh: { mode: 'tunnel', hop: { host: s.host, port: s.port, user: s.user, auth: 'publickey', hostKey: s.hostKeyFingerprint } } })
    expect(added.stdout).not.toContain(s.encryptedClientKeyPassphrase)

    const tested = await run(['profile', 'test', 'bastioned'])
    expect(tested.code, tested.stderr).toBe(0)
    expect(tested.stdout).toContain(`PostgreSQL ${pg.version}`)
    const backup = await run(['backup', 'bastioned', '--json'])
    expect(backup.code, backup.stderr).toBe(0)
    expect(JSON.parse(backup.stdout)).toMatchObject({ status: 'success' })
    expect((await run(['profile', 'list'])).stdout).toContain(`via SSH ${s.user}@${s.host}:${s.port}`)

    // exec mode through edit; then direct again
    const exec = await run(['profile', 'edit', 'bastioned', '--ssh-mode', 'exec', '--json'])
    expect(exec.code, exec.stderr).toBe(0)
    expect(JSON.parse(exec.stdout)).toMatchObject({ ssh: { mode: 'exec', hop: { hostKey: s.hostKeyFingerprint } }, hasSshSecret: true })
    const execBackup = await run(['backup', 'bastioned', '--json'])
    expect(execBackup.code, execBackup.stderr).toBe(0)
    const direct = await run(['profile', 'edit', 'bastioned', '--clear-ssh', '--json'])
    expect(direct.code, direct.stderr).toBe(0)
    expect(JSON.parse(direct.stdout)).toMatchObject({ ssh: null, hasSshSecret: false })
  }, 90_000)
})
