import { describe, expect, it } from 'vitest'
import type { CliIo } from '../../src/main/cli/io'
import { sshFromFlags, sshSecretsFromFlags } from '../../src/main/cli/ssh-flags'
import { sshSettingsSchema } from '../../src/shared/ssh-model'

const io = { cwd: '/home/dba', env: { PP: 'pass phrase', PW: 'pw' } } as unknown as CliIo
const fail = (f: () => unknown) => {
  try {
    f()
  } catch (e) {
    return (e as Error).message
  }
  return 'did not throw'
}

describe('CLI --ssh flags', () => {
  it.each([
    ['deploy@db1', { user: 'deploy', host: 'db1', port: 22 }],
    ['deploy@db1.example.com:2222', { user: 'deploy', host: 'db1.example.com', port: 2222 }],
    ['root@10.0.0.5:22', { user: 'root', host: '10.0.0.5', port: 22 }],
    ['ops@[2001:db8::1]:2200', { user: 'ops', host: '2001:db8::1', port: 2200 }],
  ])('%s', (target, hop) => {
    const s = sshFromFlags({ ssh: target, sshKey: '.ssh/id_ed25519' }, io, undefined)!
    expect(s.hop).toMatchObject({ ...hop, auth: 'publickey', privateKeyPath: '/home/dba/.ssh/id_ed25519' })
    expect(s).toMatchObject({ mode: 'tunnel', jump: null, knownHostsPath: null, keepaliveSeconds: 15, connectTimeoutSeconds: 15 })
  })

  it('agent, password, exec mode and a jump host', () => {
    const s = sshFromFlags({ ssh: 'a@h', sshAgent: true, sshMode: 'exec', sshJump: 'me@bastion:2022', sshJumpPasswordEnv: 'PW' }, io, undefined)!
    expect(s).toMatchObject({ mode: 'exec', hop: { auth: 'agent' }, jump: { user: 'me', host: 'bastion', port: 2022, auth: 'password' } })
    expect(sshSecretsFromFlags({ sshKeyPassphraseEnv: 'PP', sshJumpPasswordEnv: 'PW' }, io)).toEqual({ sshSecret: 'pass phrase', jumpSecret: 'pw' })
  })

  it('edit keeps what is not given, and the pinned key only for the same host and port', () => {
    const base = sshSettingsSchema.parse({ hop: { host: 'h', user: 'a', privateKeyPath: '/k', hostKey: `SHA256:${'A'.repeat(43)}` } })
    expect(sshFromFlags({ sshMode: 'exec' }, io, base)).toMatchObject({ mode: 'exec', hop: { host: 'h', privateKeyPath: '/k', hostKey: base.hop.hostKey } })
    expect(sshFromFlags({ ssh: 'a@other' }, io, base)?.hop.hostKey).toBeUndefined()
    expect(sshFromFlags({ clearSsh: true }, io, base)).toBeNull()
    expect(sshFromFlags({}, io, undefined)).toBeUndefined()
  })

  it('mistakes name the flag', () => {
    expect(fail(() => sshFromFlags({ ssh: 'no-user-host' }, io, undefined))).toMatch(/^--ssh: expected USER@HOST\[:PORT\]/)
    expect(fail(() => sshFromFlags({ ssh: 'a@h:70000', sshAgent: true }, io, undefined))).toMatch(/^--ssh: expected a port between 1 and 65535/)
    expect(fail(() => sshFromFlags({ ssh: 'a@h' }, io, undefined))).toMatch(/^--ssh-key: choose a private key file/)
    expect(fail(() => sshFromFlags({ ssh: 'a@h', sshKey: '/k', sshAgent: true }, io, undefined))).toMatch(/^--ssh-key: choose one of/)
    expect(fail(() => sshFromFlags({ ssh: 'a@h', sshAgent: true, sshMode: 'x' }, io, undefined))).toMatch(/^--ssh-mode: expected tunnel\|exec/)
    expect(fail(() => sshFromFlags({ sshKey: '/k' }, io, undefined))).toMatch(/^--ssh-key: needs --ssh/)
    expect(fail(() => sshFromFlags({ ssh: 'a@h', clearSsh: true }, io, undefined))).toMatch(/^--clear-ssh: cannot be combined/)
    expect(fail(() => sshSecretsFromFlags({ sshPasswordEnv: 'NOPE' }, io))).toMatch(/^--ssh-password-env: environment variable NOPE is not set/)
  })
})
