import { isAbsolute, resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError } from '../../shared/errors'
import type { ProfileInput } from '../../shared/model'
import { SSH_MODES, sshFingerprintSchema, sshSettingsSchema, type SshHopInput, type SshSettings, type SshSettingsInput } from '../../shared/ssh-model'
import type { LifeboatCore } from '../core/app'
import { secretFromEnv } from './cli-values'
import { usageError, type CliIo } from './io'

export interface SshFlags {
  ssh?: string
  sshKey?: string
  sshAgent?: boolean
  sshPasswordEnv?: string
  sshKeyPassphraseEnv?: string
  sshMode?: string
  sshKnownHosts?: string
  sshJump?: string
  sshJumpKey?: string
  sshJumpAgent?: boolean
  sshJumpPasswordEnv?: string
  sshJumpKeyPassphraseEnv?: string
  acceptHostKey?: string
  acceptJumpHostKey?: string
  clearSsh?: boolean
}

export function withSshFlags(cmd: Command): Command {
  return cmd
    .option('--ssh <user@host[:port]>', 'reach the database through this SSH host')
    .option('--ssh-mode <mode>', `${SSH_MODES.join('|')}: forward a local port (default), or run the dump tool on the SSH host`)
    .option('--ssh-key <path>', 'SSH private key file (default authentication)')
    .option('--ssh-key-passphrase-env <var>', "read the SSH key's passphrase from this environment variable")
    .option('--ssh-agent', 'authenticate with the running ssh-agent ($SSH_AUTH_SOCK)')
    .option('--ssh-password-env <var>', 'authenticate with the SSH password read from this environment variable')
    .option('--ssh-known-hosts <path>', 'OpenSSH known_hosts file to trust (default ~/.ssh/known_hosts)')
    .option('--ssh-jump <user@host[:port]>', 'one jump host in front of the SSH host (like ProxyJump)')
    .option('--ssh-jump-key <path>', "the jump host's private key file")
    .option('--ssh-jump-key-passphrase-env <var>', "the jump host key's passphrase, from this environment variable")
    .option('--ssh-jump-agent', 'authenticate to the jump host with ssh-agent')
    .option('--ssh-jump-password-env <var>', "the jump host's SSH password, from this environment variable")
    .option('--accept-host-key <SHA256:…>', "the SSH host's key fingerprint you checked (trust on first use)")
    .option('--accept-jump-host-key <SHA256:…>', "the jump host's key fingerprint you checked")
    .option('--clear-ssh', 'edit: connect directly again (drops the SSH settings and secrets)')
}

const SSH_FLAG_KEYS = ['sshKey', 'sshAgent', 'sshPasswordEnv', 'sshKeyPassphraseEnv', 'sshMode', 'sshKnownHosts', 'sshJump', 'acceptHostKey'] as const

/** "user@host[:port]" or "user@[v6]:port". */
function parseTarget(flag: string, value: string): { user: string; host: string; port?: number } {
  const m = /^([^@\s]+)@(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(value)
  if (!m) throw usageError(flag, `expected USER@HOST[:PORT] (got ${JSON.stringify(value)})`)
  return { user: m[1] as string, host: (m[2] as string).replace(/^\[|\]$/g, ''), ...(m[3] ? { port: Number(m[3]) } : {}) }
}

function hopFrom(prefix: '--ssh' | '--ssh-jump', target: string, key: string | undefined, agent: boolean | undefined, passwordEnv: string | undefined, io: CliIo, base?: SshHopInput): SshHopInput {
  const given = [key !== undefined, !!agent, passwordEnv !== undefined].filter(Boolean).length
  if (given > 1) throw usageError(`${prefix}-key`, `choose one of ${prefix}-key, ${prefix}-agent and ${prefix}-password-env`)
  const auth = key !== undefined ? 'publickey' : agent ? 'agent' : passwordEnv !== undefined ? 'password' : (base?.auth ?? 'publickey')
  const path = key === undefined ? (auth === 'publickey' ? base?.privateKeyPath : undefined) : isAbsolute(key) ? key : resolve(io.cwd, key)
  const t = parseTarget(prefix, target)
  const sameHost = base && base.host === t.host && Number(base.port ?? 22) === (t.port ?? 22)
  return { ...t, auth, ...(path ? { privateKeyPath: path } : {}), ...(sameHost && base.hostKey ? { hostKey: base.hostKey } : {}) }
}

function fingerprintFlag(flag: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!sshFingerprintSchema.safeParse(value).success) throw usageError(flag, `expected SHA256:… as ssh-keygen -lf prints it (got ${JSON.stringify(value)})`)
  return value
}

/**
 * The SSH settings from the flags (merged with the profile's, on edit); undefined = unchanged,
 * null = no SSH. Fingerprints given with --accept-host-key are checked against the server later
 * (resolveHostKeys), not pinned blindly.
 */
export function sshFromFlags(flags: SshFlags, io: CliIo, base: SshSettings | null | undefined): SshSettings | null | undefined {
  if (flags.clearSsh) {
    if (flags.ssh !== undefined) throw usageError('--clear-ssh', 'cannot be combined with --ssh')
    return null
  }
  if (flags.ssh === undefined && !base) {
    for (const key of SSH_FLAG_KEYS) if (flags[key] !== undefined) throw usageError(`--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, 'needs --ssh USER@HOST[:PORT]')
    return undefined
  }
  const target = flags.ssh ?? `${base!.hop.user}@${base!.hop.host.includes(':') ? `[${base!.hop.host}]` : base!.hop.host}:${base!.hop.port}`
  const hop = hopFrom('--ssh', target, flags.sshKey, flags.sshAgent, flags.sshPasswordEnv, io, base?.hop)
  let jump: SshHopInput | null = base?.jump ?? null
  if (flags.sshJump !== undefined) jump = hopFrom('--ssh-jump', flags.sshJump, flags.sshJumpKey, flags.sshJumpAgent, flags.sshJumpPasswordEnv, io, base?.jump ?? undefined)
  const mode = flags.sshMode ?? base?.mode ?? 'tunnel'
  if (!(SSH_MODES as readonly string[]).includes(mode)) throw usageError('--ssh-mode', `expected ${SSH_MODES.join('|')} (got ${JSON.stringify(mode)})`)
  const knownHostsPath = flags.sshKnownHosts === undefined ? (base?.knownHostsPath ?? null) : resolve(io.cwd, flags.sshKnownHosts)
  const settings = { ...(base ? { keepaliveSeconds: base.keepaliveSeconds, connectTimeoutSeconds: base.connectTimeoutSeconds } : {}), mode: mode as SshSettings['mode'], hop, jump, knownHostsPath }
  const parsed = sshSettingsSchema.safeParse(settings)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const path = issue.path.join('.')
    const flag = path.startsWith('jump') ? (path.endsWith('privateKeyPath') ? '--ssh-jump-key' : '--ssh-jump') : path.endsWith('privateKeyPath') ? '--ssh-key' : path === 'knownHostsPath' ? '--ssh-known-hosts' : '--ssh'
    throw usageError(flag, issue.message)
  }
  return parsed.data
}

/** The SSH secrets from the flags: the password or the key passphrase of each hop. */
export function sshSecretsFromFlags(flags: SshFlags, io: CliIo): { sshSecret?: string; jumpSecret?: string } {
  if (flags.sshPasswordEnv !== undefined && flags.sshKeyPassphraseEnv !== undefined) throw usageError('--ssh-key-passphrase-env', 'use either --ssh-password-env or --ssh-key-passphrase-env')
  const from = (flag: string, name: string | undefined) => (name === undefined ? undefined : secretFromEnv(flag, name, io))
  const sshSecret = from('--ssh-password-env', flags.sshPasswordEnv) ?? from('--ssh-key-passphrase-env', flags.sshKeyPassphraseEnv)
  const jumpSecret = from('--ssh-jump-password-env', flags.sshJumpPasswordEnv) ?? from('--ssh-jump-key-passphrase-env', flags.sshJumpKeyPassphraseEnv)
  return { ...(sshSecret ? { sshSecret } : {}), ...(jumpSecret ? { jumpSecret } : {}) }
}

/**
 * Trust on first use, the OpenSSH way, before a profile with SSH is saved: a host key that is
 * neither pinned nor in known_hosts is shown and the command stops, unless --accept-host-key (or
 * --accept-jump-host-key) names exactly that key; then it is pinned. A changed key is refused.
 * Returns the profile with the accepted keys pinned.
 */
export async function resolveHostKeys(core: LifeboatCore, draft: ProfileInput, secrets: { password?: string; sshSecret?: string; jumpSecret?: string }, flags: SshFlags, id?: string): Promise<ProfileInput> {
  const accept = { ssh: fingerprintFlag('--accept-host-key', flags.acceptHostKey), jump: fingerprintFlag('--accept-jump-host-key', flags.acceptJumpHostKey) }
  let profile = draft
  for (let round = 0; round < 2; round++) {
    const result = await core.profiles.test({ ...(id ? { id } : {}), profile, ...secrets } as never)
    const unknown = result.ssh?.hostKeys.find((k) => k.status === 'unknown')
    if (result.error?.code === 'HOST_KEY_CHANGED') throw new AppError('HOST_KEY_CHANGED', result.error.message, result.error.field)
    if (!unknown) return profile
    const flag = unknown.hop === 'jump' ? '--accept-jump-host-key' : '--accept-host-key'
    const given = accept[unknown.hop]
    const where = `${unknown.host}:${unknown.port}`
    if (!given) {
      throw usageError(flag, `the ${unknown.hop === 'jump' ? 'jump host' : 'SSH host'} key of ${where} is ${unknown.fingerprint}; check it with the server's administrator (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server) and run again with ${flag} ${unknown.fingerprint}`)
    }
    if (given !== unknown.fingerprint) throw new AppError('HOST_KEY_CHANGED', `the host key of ${where} is ${unknown.fingerprint}, not ${given}: refusing to trust it`, flag)
    const ssh = (profile as { ssh: SshSettingsInput }).ssh
    profile = { ...profile, ssh: unknown.hop === 'jump' ? { ...ssh, jump: { ...ssh.jump!, hostKey: given } } : { ...ssh, hop: { ...ssh.hop, hostKey: given } } } as ProfileInput
  }
  return profile
}
