import { createHash, randomBytes } from 'node:crypto'
import { readdirSync, statSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { createServer, type Server, type Socket } from 'node:net'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { sftpConfigSchema } from '../../src/shared/destination-model'
import {
  fetchHostKeyFingerprint,
  fingerprintOf,
  SftpDestination,
  type SftpConfig,
  type SftpOptions,
  type SftpSecrets,
} from '../../src/main/core/destinations/sftp/sftp-destination'
import { destinationConformance, slowSource } from '../support/destination-conformance'
import { freePort } from '../support/free-port'
import { run } from '../support/processes'
import { describeWithSshd, type SshdServer } from '../support/sshd-server'
import { tempDir } from '../support/temp-home'
import { collect, rejection } from '../support/assertions'

const never = () => new AbortController().signal
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex')
const OTHER_FINGERPRINT = `SHA256:${'A'.repeat(43)}`

const opened: SftpDestination[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((d) => d.close()))
})

function destination(sshd: SshdServer, overrides: Partial<SftpConfig> = {}, secrets: SftpSecrets = {}, options: SftpOptions = {}): SftpDestination {
  const config = sftpConfigSchema.parse({
    type: 'sftp',
    host: sshd.host,
    port: sshd.port,
    user: sshd.user,
    path: join(sshd.dir, 'remote', randomBytes(4).toString('hex'), 'backups'),
    privateKeyPath: sshd.clientKeyPath,
    hostKey: sshd.hostKeyFingerprint,
    ...overrides,
  })
  const dest = new SftpDestination('offsite', config, async () => secrets, options)
  opened.push(dest)
  return dest
}

/** Lines where sshd logged a login (accepted or failed): none may come from a host-key probe or a refused key. */
async function loginAttempts(sshd: SshdServer): Promise<number> {
  return ((await readFile(sshd.logFile, 'utf8')).match(/^(Accepted|Failed) /gm) ?? []).length
}

const hidden = (dir: string) => {
  try {
    return readdirSync(dir).filter((f) => f.startsWith('.'))
  } catch {
    return []
  }
}

await describeWithSshd('SFTP destination against a throwaway sshd', (sshd) => {
  describe('conformance', () => {
    destinationConformance({
      fresh: async () => destination(sshd()),
      // the "remote" folder is on this machine: hidden .partial files are all a put may leave
      leftovers: async (dest) => hidden((dest as SftpDestination).dir),
    })
  })

  it('streams 64 MiB up and down (sha256 matches); creates 0700 folders and 0600 files', async () => {
    const dest = destination(sshd())
    const total = 64 * 1024 * 1024
    const hash = createHash('sha256')
    async function* chunks() {
      for (let sent = 0; sent < total; sent += 64 * 1024) {
        const chunk = randomBytes(64 * 1024)
        hash.update(chunk)
        yield chunk
      }
    }
    let started = performance.now()
    const put = await dest.put('big.dump', Readable.from(chunks()), never())
    const upSeconds = (performance.now() - started) / 1000
    expect(put.size).toBe(total)
    const expected = hash.digest('hex')
    expect(sha(await readFile(join(dest.dir, 'big.dump')))).toBe(expected)

    started = performance.now()
    const down = await collect(await dest.get('big.dump', never()))
    const downSeconds = (performance.now() - started) / 1000
    expect(sha(down)).toBe(expected)
    console.log(`SFTP 64 MiB: upload ${(64 / upSeconds).toFixed(1)} MB/s (${upSeconds.toFixed(2)} s), download ${(64 / downSeconds).toFixed(1)} MB/s (${downSeconds.toFixed(2)} s)`)

    expect(statSync(dest.dir).mode & 0o777).toBe(0o700)
    expect(statSync(join(dest.dir, '..')).mode & 0o777).toBe(0o700)
    expect(statSync(join(dest.dir, 'big.dump')).mode & 0o777).toBe(0o600)
  })

  it('location() is an sftp:// URL; concurrent calls share one connection', async () => {
    const s = sshd()
    const dest = destination(s)
    expect(dest.location('a.sql')).toBe(`sftp://${s.user}@127.0.0.1:${s.port}${dest.dir}/a.sql`)
    const names = ['a.sql', 'b.sql', 'c.sql']
    await Promise.all(names.map((n) => dest.put(n, Readable.from([randomBytes(300_000)]), never())))
    expect(await dest.list()).toEqual(names)
    expect(await dest.stat('a.sql')).toEqual({ size: 300_000 })
  })

  describe('host key', () => {
    it('fetchHostKeyFingerprint equals what ssh-keygen -lf prints, without logging in', async () => {
      const s = sshd()
      const printed = await run('ssh-keygen', ['-lf', `${s.hostKeyPath}.pub`])
      expect(printed).toContain(s.hostKeyFingerprint)
      const logins = await loginAttempts(s)
      expect(await fetchHostKeyFingerprint(s.host, s.port)).toBe(s.hostKeyFingerprint)
      // the fingerprint of the public key blob (second field of the .pub file), computed by us
      const blob = Buffer.from((await readFile(`${s.hostKeyPath}.pub`, 'utf8')).split(' ')[1] ?? '', 'base64')
      expect(fingerprintOf(blob)).toBe(s.hostKeyFingerprint)
      expect(await loginAttempts(s)).toBe(logins)
    })

    it('fetchHostKeyFingerprint of a closed port is UNREACHABLE', async () => {
      expect((await rejection(fetchHostKeyFingerprint('127.0.0.1', await freePort()))).code).toBe('UNREACHABLE')
    })

    it('a destination pinned to another fingerprint is refused, naming both', async () => {
      const s = sshd()
      const dest = destination(s, { hostKey: OTHER_FINGERPRINT })
      const logins = await loginAttempts(s)
      const e = await rejection(dest.put('x.sql', Readable.from(['x']), never()))
      expect(e.code).toBe('DESTINATION_FAILED')
      expect(e.message).toContain(`SFTP destination "offsite": the host key of 127.0.0.1:${s.port} changed`)
      expect(e.message).toContain(`expected ${OTHER_FINGERPRINT}, got ${s.hostKeyFingerprint}`)
      expect(hidden(dest.dir)).toEqual([])
      const result = await dest.test()
      expect(result).toMatchObject({ ok: false, hostKey: s.hostKeyFingerprint })
      expect(result.message).toContain(OTHER_FINGERPRINT)
      expect(await loginAttempts(s)).toBe(logins) // refused before any credential was sent
    })

    it('test() reports the server fingerprint as seen', async () => {
      const s = sshd()
      expect(await destination(s).test()).toMatchObject({ ok: true, hostKey: s.hostKeyFingerprint })
    })
  })

  describe('authentication and reachability', () => {
    it('a key the server does not know is AUTH_FAILED naming user@host', async () => {
      const s = sshd()
      const key = join(tempDir(), 'stranger_ed25519')
      await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key])
      const e = await rejection(destination(s, { privateKeyPath: key }).list())
      expect(e.code).toBe('AUTH_FAILED')
      expect(e.message).toContain(`${s.user}@127.0.0.1:${s.port}`)
    })

    it('a wrong password is AUTH_FAILED (and never shows up in the message)', async () => {
      const s = sshd()
      const password = 'hunter2-not-the-password'
      const dest = destination(s, { privateKeyPath: undefined }, { password })
      const e = await rejection(dest.list())
      expect(e.code).toBe('AUTH_FAILED')
      expect(e.message).not.toContain(password)
      const result = await dest.test()
      expect(result.ok).toBe(false)
      expect(result.message).not.toContain(password)
    })

    it('an encrypted key works with its passphrase; without it or with a wrong one it is AUTH_FAILED about the passphrase', async () => {
      const s = sshd()
      const withPassphrase = destination(s, { privateKeyPath: s.encryptedClientKeyPath }, { keyPassphrase: s.encryptedClientKeyPassphrase })
      await withPassphrase.put('enc.sql', Readable.from(['ok']), never())
      expect(await withPassphrase.list()).toEqual(['enc.sql'])

      const missing = await rejection(destination(s, { privateKeyPath: s.encryptedClientKeyPath }).list())
      expect(missing.code).toBe('AUTH_FAILED')
      expect(missing.message).toMatch(new RegExp(`the private key ${s.encryptedClientKeyPath} needs its passphrase`))
      const wrong = await rejection(destination(s, { privateKeyPath: s.encryptedClientKeyPath }, { keyPassphrase: 'not-it' }).list())
      expect(wrong.code).toBe('AUTH_FAILED')
      expect(wrong.message).toMatch(/needs its passphrase: the saved one is wrong/)
      expect(wrong.message).not.toContain('not-it')
    })

    it('an unreadable key file is DESTINATION_FAILED naming the path', async () => {
      const path = join(tempDir(), 'no-such-key')
      const e = await rejection(destination(sshd(), { privateKeyPath: path }).list())
      expect(e.code).toBe('DESTINATION_FAILED')
      expect(e.message).toContain(path)
    })

    it('a closed port is UNREACHABLE within a few seconds (retries included)', async () => {
      const started = Date.now()
      const e = await rejection(destination(sshd(), { port: await freePort() }).list())
      expect(e.code).toBe('UNREACHABLE')
      expect(e.message).toMatch(/connection refused/)
      expect(Date.now() - started).toBeLessThan(5_000)
    })

    it('a server that never speaks SSH is TIMEOUT', async () => {
      const sockets: Socket[] = []
      const server: Server = createServer((sock) => sockets.push(sock))
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const port = (server.address() as { port: number }).port
      try {
        const e = await rejection(destination(sshd(), { port }, {}, { connectTimeoutMs: 500, connectAttempts: 1 }).list())
        expect(e.code).toBe('TIMEOUT')
        expect(e.message).toMatch(/no SSH handshake/)
      } finally {
        sockets.forEach((s) => s.destroy())
        await new Promise((resolve) => server.close(resolve))
      }
    })
  })
})

await describeWithSshd('SFTP destination when the server goes away or changes', (sshd) => {
  it('a connection dropped between two operations is re-established', async () => {
    const s = sshd()
    const dest = destination(s)
    await dest.put('one.sql', Readable.from(['1']), never())
    await s.dropConnections()
    await dest.put('two.sql', Readable.from(['2']), never())
    await s.dropConnections()
    expect(await dest.list()).toEqual(['one.sql', 'two.sql'])
    await dest.close()
    expect((await collect(await dest.get('two.sql', never()))).toString()).toBe('2')
  })

  it('a connection lost mid-upload fails that put (DESTINATION_FAILED); the next calls reconnect and removePartial cleans up', async () => {
    const s = sshd()
    const dest = destination(s)
    await dest.put('kept.sql', Readable.from(['k']), never())
    const source = slowSource(64 * 1024 * 1024)
    let chunks = 0
    let dropped: Promise<void> | undefined
    source.on('data', () => {
      if (++chunks === 20) dropped = s.dropConnections()
    })
    const e = await rejection(dest.put('lost.sql', source, never()))
    await dropped
    expect(e.code).toBe('DESTINATION_FAILED')
    expect(e.message).toMatch(/connection to the server was lost/)
    expect(await dest.list()).toEqual(['kept.sql'])
    await dest.removePartial('lost.sql')
    expect(hidden(dest.dir)).toEqual([])
  })

  it('a restarted server (same host key) is reconnected to', async () => {
    const s = sshd()
    const dest = destination(s)
    await dest.put('before.sql', Readable.from(['b']), never())
    await s.restart()
    await dest.put('after.sql', Readable.from(['a']), never())
    expect(await dest.list()).toEqual(['after.sql', 'before.sql'])
  })

  it('after a restart with a new host key the destination is refused, naming both keys', async () => {
    const s = sshd()
    const dest = destination(s)
    await dest.put('before.sql', Readable.from(['b']), never())
    const oldKey = s.hostKeyFingerprint
    await s.restart({ newHostKey: true })
    expect(s.hostKeyFingerprint).not.toBe(oldKey)
    const e = await rejection(dest.list())
    expect(e.code).toBe('DESTINATION_FAILED')
    expect(e.message).toContain(`expected ${oldKey}, got ${s.hostKeyFingerprint}`)
    expect(e.message).toMatch(/check the new fingerprint with its administrator/)
    expect(await dest.test()).toMatchObject({ ok: false, hostKey: s.hostKeyFingerprint })
    expect(await fetchHostKeyFingerprint(s.host, s.port)).toBe(s.hostKeyFingerprint)
    // pinning the new key (what "edit the destination" does) works again
    const edited = destination(s, { path: dest.dir, hostKey: s.hostKeyFingerprint })
    expect(await edited.list()).toEqual(['before.sql'])
  })
})
