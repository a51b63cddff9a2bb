import { execFile, spawn } from 'node:child_process'
import { existsSync, openSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Client } from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import type { Backup, BackupOptionsInput } from '../../src/shared/backup-model'
import type { ProfileInput } from '../../src/shared/model'
import type { SshSettingsInput } from '../../src/shared/ssh-model'
import { isAvailable, type MariadbServer, type PostgresServer } from '../support/context'
import { mariadbFingerprint, pgFingerprint } from '../support/fingerprint'
import { createMariadbEdgeDatabase, createPgEdgeDatabase, myIdent, pgIdent } from '../support/generated-data'
import { leftovers, openTcpSockets } from '../support/open-sockets'
import { stopChild, waitUntil } from '../support/processes'
import { expectBackendsGone } from '../support/pg-activity'
import { mariadbSql, psql } from '../support/sql'
import { describeWithSshd, type SshdServer } from '../support/sshd-server'
import { tempDir } from '../support/temp-home'

const run = promisify(execFile)

/**
 * The SSH issue's acceptance against a throwaway sshd on loopback (the SSH host is this machine, so
 * the "remote" dump tools are the local ones, run by sshd's session): tunnel and exec backups,
 * lossless restores through the tunnel, host keys, auth errors, secrets kept out of `ps` and the log,
 * and nothing left open afterwards.
 */

const servers = inject('servers')
const pg = isAvailable(servers.postgres) ? servers.postgres : null
const m = isAvailable(servers.mariadb) ? servers.mariadb : null
if (process.env.CI === 'true' && (!pg || !m)) throw new Error('the throwaway PostgreSQL and MariaDB are required under CI=true')

await describeWithSshd('SSH: tunnels and remote exec (throwaway sshd)', (sshd) => {
  let core: LifeboatCore
  let home: string
  let knownHosts: string
  let n = 0

  beforeAll(async () => {
    home = tempDir()
    knownHosts = join(home, 'known_hosts_empty')
    writeFileSync(knownHosts, '') // never the user's ~/.ssh/known_hosts
    core = createApp({ home, origin: 'cli' })
    if (pg) await psql(pg, `ALTER ROLE ${pgIdent(pg.user)} CREATEDB`)
    if (m) await mariadbSql(m, `GRANT ALL ON \`lbrssh%\`.* TO '${m.user}'@'127.0.0.1'`)
  })

  const ssh = (s: SshdServer, over: Partial<SshSettingsInput> = {}, hop: Partial<SshSettingsInput['hop']> = {}): SshSettingsInput => ({
    mode: 'tunnel',
    hop: { host: s.host, port: s.port, user: s.user, auth: 'publickey', privateKeyPath: s.clientKeyPath, hostKey: s.hostKeyFingerprint, ...hop },
    knownHostsPath: knownHosts,
    connectTimeoutSeconds: 5,
    ...over,
  })
  const pgProfile = (server: PostgresServer, database: string, settings: SshSettingsInput): ProfileInput =>
    ({ engine: 'postgres', name: `ssh${++n}`, host: '127.0.0.1', port: server.port, user: server.user, database, ssh: settings }) as ProfileInput
  const myProfile = (server: MariadbServer, database: string, settings: SshSettingsInput): ProfileInput =>
    ({ engine: 'mysql', name: `ssh${++n}`, host: '127.0.0.1', port: server.port, user: server.user, database, ssh: settings }) as ProfileInput
  const create = async (profile: ProfileInput, password: string | undefined, sshSecret?: string) =>
    (await core.profiles.create({ profile, password, ...(sshSecret ? { sshSecret } : {}) } as never)).id

  async function backUp(profileId: string, options: BackupOptionsInput = {}): Promise<Backup> {
    const started = await core.backups.start({ profileId, options })
    return started.finished
  }
  async function restoreInto(backupId: string, profileId: string, database: string) {
    const started = await core.restores.start({ backupId, targetProfileId: profileId, options: { database, createDatabase: true }, confirm: database })
    return started.finished
  }
  function expectNothingLeft(before: ReturnType<typeof openTcpSockets>) {
    const left = leftovers(before, sshd().port)
    expect(left.connectedTo, 'SSH connections left open').toEqual([])
    expect(left.newListeners, 'tunnel listeners left open').toEqual([])
  }

  describe('test connection', () => {
    it('an unknown host key is HOST_KEY_UNKNOWN with its fingerprint; pinned, the SSH hop and the database behind it pass', async () => {
      if (!pg) return
      const unpinned = pgProfile(pg, pg.database, ssh(sshd(), {}, { hostKey: undefined }))
      const r = await core.profiles.test({ profile: unpinned, password: pg.password } as never)
      expect(r).toMatchObject({ ok: false, error: { code: 'HOST_KEY_UNKNOWN', field: 'ssh.hop.hostKey' }, ssh: { failedHop: 'ssh' } })
      expect(r.ssh?.hostKeys).toEqual([{ hop: 'ssh', host: '127.0.0.1', port: sshd().port, fingerprint: sshd().hostKeyFingerprint, status: 'unknown' }])
      expect(r.error?.message).toContain(sshd().hostKeyFingerprint)

      const ok = await core.profiles.test({ profile: pgProfile(pg, pg.database, ssh(sshd())), password: pg.password } as never)
      expect(ok, JSON.stringify(ok.error)).toMatchObject({ ok: true, server: { product: 'PostgreSQL', version: pg.version }, ssh: { failedHop: null } })
      expect(ok.ssh?.hostKeys[0]?.status).toBe('pinned')
    })

    it('a key in the known_hosts file is trusted; a different one there is HOST_KEY_CHANGED naming both fingerprints', async () => {
      if (!pg) return
      const pub = readFileSync(`${sshd().hostKeyPath}.pub`, 'utf8').trim().split(/\s+/)
      const file = join(home, 'known_hosts_real')
      writeFileSync(file, `[127.0.0.1]:${sshd().port} ${pub[0]} ${pub[1]}\n`)
      const trusted = await core.profiles.test({ profile: pgProfile(pg, pg.database, ssh(sshd(), { knownHostsPath: file }, { hostKey: undefined })), password: pg.password } as never)
      expect(trusted, JSON.stringify(trusted.error)).toMatchObject({ ok: true })
      expect(trusted.ssh?.hostKeys[0]?.status).toBe('known_hosts')

      const other = 'SHA256:' + 'A'.repeat(43)
      const changed = await core.profiles.test({ profile: pgProfile(pg, pg.database, ssh(sshd(), {}, { hostKey: other })), password: pg.password } as never)
      expect(changed).toMatchObject({ ok: false, error: { code: 'HOST_KEY_CHANGED' }, ssh: { failedHop: 'ssh' } })
      expect(changed.error?.message).toContain(other)
      expect(changed.error?.message).toContain(sshd().hostKeyFingerprint)
    })

    it('wrong key, wrong passphrase and wrong password are AUTH_FAILED naming the SSH host; a closed database port names the database hop', async () => {
      if (!pg) return
      const stranger = join(home, 'stranger_ed25519')
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', stranger])
      const label = `SSH host ${sshd().user}@127.0.0.1:${sshd().port}`
      const cases: [string, SshSettingsInput, string | undefined][] = [
        ['unknown key', ssh(sshd(), {}, { privateKeyPath: stranger }), undefined],
        ['encrypted key without passphrase', ssh(sshd(), {}, { privateKeyPath: sshd().encryptedClientKeyPath }), undefined],
        ['wrong passphrase', ssh(sshd(), {}, { privateKeyPath: sshd().encryptedClientKeyPath }), 'not-the-passphrase'],
        ['wrong password', ssh(sshd(), {}, { auth: 'password', privateKeyPath: undefined }), 'not-the-password'],
      ]
      for (const [what, settings, secret] of cases) {
        const r = await core.profiles.test({ profile: pgProfile(pg, pg.database, settings), password: pg.password, ...(secret ? { sshSecret: secret } : {}) } as never)
        expect(r.error?.code, what).toBe('AUTH_FAILED')
        expect(r.error?.message, what).toContain(label)
        expect(r.ssh?.failedHop, what).toBe('ssh')
        if (secret) expect(r.error?.message).not.toContain(secret)
      }
      const withPassphrase = await core.profiles.test({ profile: pgProfile(pg, pg.database, ssh(sshd(), {}, { privateKeyPath: sshd().encryptedClientKeyPath })), password: pg.password, sshSecret: sshd().encryptedClientKeyPassphrase } as never)
      expect(withPassphrase.ok, JSON.stringify(withPassphrase.error)).toBe(true)

      const closed = { ...pgProfile(pg, pg.database, ssh(sshd())), port: 1 } as ProfileInput
      const r = await core.profiles.test({ profile: closed, password: pg.password } as never)
      expect(r).toMatchObject({ ok: false, error: { code: 'UNREACHABLE' }, ssh: { failedHop: 'database' } })
      expect(r.error?.message).toMatch(/127\.0\.0\.1:1\b/)
    })

    it('ssh-agent authentication: the key comes from $SSH_AUTH_SOCK; without an agent the error says so', async () => {
      if (!pg) return
      const profile = pgProfile(pg, pg.database, ssh(sshd(), {}, { auth: 'agent', privateKeyPath: undefined }))
      const saved = process.env.SSH_AUTH_SOCK
      const sock = join(home, 'agent.sock')
      const log = join(home, 'agent.log')
      const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')] })
      try {
        await waitUntil('ssh-agent', async () => existsSync(sock), { child: agent, logFile: log })
        await run('ssh-add', [sshd().clientKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock } })
        process.env.SSH_AUTH_SOCK = sock
        const ok = await core.profiles.test({ profile, password: pg.password } as never)
        expect(ok, JSON.stringify(ok.error)).toMatchObject({ ok: true, ssh: { failedHop: null } })
        delete process.env.SSH_AUTH_SOCK
        const none = await core.profiles.test({ profile, password: pg.password } as never)
        expect(none).toMatchObject({ ok: false, error: { code: 'AUTH_FAILED', message: expect.stringContaining('SSH_AUTH_SOCK is not set') }, ssh: { failedHop: 'ssh' } })
      } finally {
        if (saved === undefined) delete process.env.SSH_AUTH_SOCK
        else process.env.SSH_AUTH_SOCK = saved
        await stopChild(agent, 'SIGTERM')
      }
    })

    it('through a jump host (the same sshd, hopping to itself)', async () => {
      if (!pg) return
      const jumpHop = { host: sshd().host, port: sshd().port, user: sshd().user, auth: 'publickey' as const, privateKeyPath: sshd().clientKeyPath, hostKey: sshd().hostKeyFingerprint }
      const r = await core.profiles.test({ profile: pgProfile(pg, pg.database, ssh(sshd(), { jump: jumpHop })), password: pg.password } as never)
      expect(r, JSON.stringify(r.error)).toMatchObject({ ok: true, ssh: { failedHop: null } })
      expect(r.ssh?.hostKeys.map((k) => k.hop)).toEqual(['jump', 'ssh'])
    })
  })

  describe('backups and restores', () => {
    it('PostgreSQL through a tunnel: backup, restore into a new database, fingerprints equal; nothing left open', async () => {
      if (!pg) return
      const src = 'lbrssh_pg_src'
      await createPgEdgeDatabase(pg, src)
      const source = await pgFingerprint(pg, src)
      const profileId = await create(pgProfile(pg, src, ssh(sshd())), pg.password)
      const before = openTcpSockets()
      const backup = await backUp(profileId)
      expect(backup.status, backup.error ?? '').toBe('success')
      const result = await restoreInto(backup.id, profileId, 'lbrssh_pg_tunnel')
      expect(result.status, result.error ?? '').toBe('success')
      console.log(`[ssh] pg tunnel: backup ${backup.durationMs} ms (${backup.sizeBytes} B), restore ${result.durationMs} ms`)
      expect(await pgFingerprint(pg, 'lbrssh_pg_tunnel')).toEqual(source)
      expectNothingLeft(before)
    })

    it('PostgreSQL in exec mode: pg_dump runs on the SSH host; restores losslessly', async () => {
      if (!pg) return
      const src = 'lbrssh_pg_src'
      const source = await pgFingerprint(pg, src)
      const profileId = await create(pgProfile(pg, src, ssh(sshd(), { mode: 'exec' })), pg.password)
      const test = await core.profiles.test({ id: profileId })
      expect(test, JSON.stringify(test.error)).toMatchObject({ ok: true, tool: { name: 'pg_dump' } })
      const remoteDirs = async () => (await run('sh', ['-c', 'ls -d "${TMPDIR:-/tmp}"/lifeboat-???????? 2>/dev/null || true'])).stdout.trim().split('\n')
      const dirsBefore = await remoteDirs()
      const before = openTcpSockets()
      const backup = await backUp(profileId)
      expect(backup.status, backup.error ?? '').toBe('success')
      expect(backup.toolVersion).toBeTruthy()
      const result = await restoreInto(backup.id, profileId, 'lbrssh_pg_exec')
      expect(result.status, result.error ?? '').toBe('success')
      console.log(`[ssh] pg exec: backup ${backup.durationMs} ms (${backup.sizeBytes} B), restore ${result.durationMs} ms`)
      expect(await pgFingerprint(pg, 'lbrssh_pg_exec')).toEqual(source)
      expectNothingLeft(before)
      // the private temp dir on the SSH host (credential file inside) is gone
      expect(await remoteDirs()).toEqual(dirsBefore)
    })

    it('MariaDB through a tunnel and in exec mode: both restore losslessly', async () => {
      if (!m) return
      const src = 'lbrssh-my-src'
      await createMariadbEdgeDatabase(m, src)
      const source = await mariadbFingerprint(m, src)
      for (const mode of ['tunnel', 'exec'] as const) {
        const profileId = await create(myProfile(m, src, ssh(sshd(), { mode })), m.password)
        const before = openTcpSockets()
        const backup = await backUp(profileId)
        expect(backup.status, `${mode}: ${backup.error ?? ''}`).toBe('success')
        const target = `lbrssh-my-${mode}`
        const result = await restoreInto(backup.id, profileId, target)
        expect(result.status, `${mode}: ${result.error ?? ''}`).toBe('success')
        console.log(`[ssh] mariadb ${mode}: backup ${backup.durationMs} ms (${backup.sizeBytes} B), restore ${result.durationMs} ms`)
        expect(await mariadbFingerprint(m, target), mode).toEqual(source)
        expectNothingLeft(before)
      }
    })
  })

  describe('secrets and clean-up while a dump waits on a lock (deterministic, no sleeps)', () => {
    const db = 'lbrssh_locked'
    let locker: Client
    beforeAll(async () => {
      if (!pg) return
      await psql(pg, [`DROP DATABASE IF EXISTS ${db}`, `CREATE DATABASE ${db} OWNER ${pgIdent(pg.user)}`])
      await psql(pg, [`CREATE TABLE t (id int)`, `ALTER TABLE t OWNER TO ${pgIdent(pg.user)}`, 'INSERT INTO t VALUES (1)'], db)
    })
    const lock = async (server: PostgresServer) => {
      locker = new Client({ host: server.host, port: server.port, user: 'postgres', database: db })
      locker.on('error', () => {}) // the clean-up may end it forcibly
      await locker.connect()
      await locker.query('BEGIN')
      await locker.query('LOCK TABLE t IN ACCESS EXCLUSIVE MODE')
    }
    const unlock = async () => {
      await locker.query('ROLLBACK')
      await locker.end()
    }
    /** Polls `ps` (each call a real process listing) until a pg_dump of this database shows up; returns every line seen. */
    async function psUntilDump(finished: Promise<Backup>): Promise<string[]> {
      const seen: string[] = []
      let ended: Backup | undefined
      void finished.then((b) => (ended = b))
      for (;;) {
        if (ended) throw new Error(`the backup ended (${ended.status}: ${ended.error}) before pg_dump showed up in ps`)
        const { stdout } = await run('ps', ['-ww', '-eo', 'pid,args', '--no-headers']) // -ww: full command lines (piped, ps cuts them at 80 columns)
        seen.push(...stdout.split('\n'))
        if (stdout.split('\n').some((l) => /pg_dump .*lbrssh_locked/.test(l))) return seen
      }
    }

    for (const mode of ['tunnel', 'exec'] as const) {
      it(`${mode}: the passwords are in no process's argv on either side, nor in the log; cancel leaves nothing open`, async () => {
        if (!pg) return
        const sshSecret = sshd().encryptedClientKeyPassphrase
        const profileId = await create(pgProfile(pg, db, ssh(sshd(), { mode }, { privateKeyPath: sshd().encryptedClientKeyPath })), pg.password, sshSecret)
        await lock(pg)
        const before = openTcpSockets()
        try {
          const started = await core.backups.start({ profileId, options: {} })
          const lines = await psUntilDump(started.finished)
          for (const line of lines) {
            expect(line).not.toContain(pg.password)
            expect(line).not.toContain(sshSecret)
          }
          started.cancel()
          const finished = await started.finished
          expect(finished.status).toBe('cancelled')
          // pg_dump's cancel request went through the tunnel before it closed: nothing stays queued on the lock
          await expectBackendsGone(pg, db)
        } finally {
          await unlock()
        }
        expectNothingLeft(before)
        const log = readFileSync(join(home, 'logs', 'lifeboat.log'), 'utf8')
        expect(log).not.toContain(pg.password)
        expect(log).not.toContain(sshSecret)
      })
    }

    it('a failed backup (the database refuses the login) closes the tunnel and the SSH connection too', async () => {
      if (!pg) return
      const profileId = await create(pgProfile(pg, db, ssh(sshd())), 'wrong-password')
      const before = openTcpSockets()
      const backup = await backUp(profileId)
      expect(backup.status).toBe('failed')
      expect(backup.error).toMatch(/password/i)
      expectNothingLeft(before)
    })
  })

  afterAll(async () => {
    if (pg) await psql(pg, ['lbrssh_pg_src', 'lbrssh_pg_tunnel', 'lbrssh_pg_exec', 'lbrssh_locked'].map((d) => `DROP DATABASE IF EXISTS ${pgIdent(d)} WITH (FORCE)`))
    if (m) await mariadbSql(m, ['lbrssh-my-src', 'lbrssh-my-tunnel', 'lbrssh-my-exec'].map((d) => `DROP DATABASE IF EXISTS ${myIdent(d)}`).join(';'))
    core?.close()
  })
})
