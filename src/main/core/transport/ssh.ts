import type { Duplex } from 'node:stream'
import { Client, type ConnectConfig } from 'ssh2'
import { AppError, isAppError } from '../../../shared/errors'
import type { HostKeyCheck, SshHop, SshSettings } from '../../../shared/ssh-model'
import { connectError, hostPort } from '../destinations/sftp/sftp-errors'
import { registerSecret } from '../logging/redact'
import { abortReason } from '../pipeline/abort'
import { checkKnownHostsFile, defaultKnownHostsPath, fingerprintOfKey } from './known-hosts'
import { loadPrivateKey } from './private-key'

export type HopKind = 'jump' | 'ssh'

/** The SSH password (auth password) or key passphrase (auth publickey) of each hop. */
export interface SshSecrets {
  sshSecret?: string | undefined
  jumpSecret?: string | undefined
}

/** A failure on one hop: names the hop, and carries the host keys seen so far (for the accept dialog). */
export class SshHopError extends AppError {
  constructor(
    readonly hop: HopKind,
    readonly hostKeys: HostKeyCheck[],
    cause: AppError,
  ) {
    super(cause.code, cause.message, cause.field)
  }
}

export interface SshSession {
  /** The client logged in to the SSH host (through the jump host when there is one). */
  readonly client: Client
  /** The host keys seen, jump host first; all trusted. */
  readonly hostKeys: HostKeyCheck[]
  /** True once the connection to the SSH host is gone. */
  readonly closed: boolean
  /** Ends the SSH connection(s) and waits until their sockets are closed. Idempotent. */
  close(): Promise<void>
}

export const hopLabel = (kind: HopKind, hop: Pick<SshHop, 'user' | 'host' | 'port'>): string =>
  `${kind === 'jump' ? 'SSH jump host' : 'SSH host'} ${hop.user}@${hostPort(hop.host, hop.port)}`

/**
 * Logs in to the profile's SSH host, through its jump host when it has one. Every host key is
 * verified before any credential is sent: the pinned fingerprint, else the known_hosts file. An
 * unknown key is refused as HOST_KEY_UNKNOWN (the UI / CLI shows its fingerprint for the user to
 * accept), a changed one as HOST_KEY_CHANGED with both fingerprints.
 */
export async function openSsh(settings: SshSettings, secrets: SshSecrets, signal?: AbortSignal): Promise<SshSession> {
  const hostKeys: HostKeyCheck[] = []
  let jump: Client | undefined
  let sock: Duplex | undefined
  if (settings.jump) {
    jump = await connectHop('jump', settings.jump, settings, secrets.jumpSecret, hostKeys, undefined, signal)
    try {
      sock = await forwardTo(jump, settings.hop.host, settings.hop.port)
    } catch (e) {
      await endClient(jump)
      const reason = e instanceof Error ? e.message : String(e)
      throw new SshHopError('jump', hostKeys, new AppError('UNREACHABLE', `${hopLabel('jump', settings.jump)} could not reach ${hostPort(settings.hop.host, settings.hop.port)}: ${reason}`))
    }
  }
  let client: Client
  try {
    client = await connectHop('ssh', settings.hop, settings, secrets.sshSecret, hostKeys, sock, signal)
  } catch (e) {
    if (jump) await endClient(jump)
    throw e
  }
  const ended = (c: Client) => new Promise<void>((resolve) => c.once('close', () => resolve()))
  const clientEnded = ended(client)
  const jumpEnded = jump && ended(jump)
  let closed = false
  void clientEnded.then(() => {
    closed = true
    jump?.end()
  })
  let closing: Promise<void> | undefined
  return {
    client,
    hostKeys,
    get closed() {
      return closed
    },
    close: () =>
      (closing ??= (async () => {
        client.end()
        jump?.end()
        // A peer that never answers our close must not hold the caller: cut the sockets after a moment.
        const cut = setTimeout(() => {
          client.destroy()
          jump?.destroy()
        }, 2_000)
        await Promise.all([clientEnded, jumpEnded])
        clearTimeout(cut)
      })()),
  }
}

async function connectHop(
  kind: HopKind,
  hop: SshHop,
  settings: SshSettings,
  secret: string | undefined,
  hostKeys: HostKeyCheck[],
  sock: Duplex | undefined,
  signal: AbortSignal | undefined,
): Promise<Client> {
  const label = hopLabel(kind, hop)
  const fail = (e: AppError) => new SshHopError(kind, hostKeys, e)
  if (signal?.aborted) throw abortReason(signal)
  registerSecret(secret)
  let auth: Pick<ConnectConfig, 'privateKey' | 'passphrase' | 'password' | 'agent'>
  try {
    auth = await authFor(hop, secret, label)
  } catch (e) {
    throw fail(isAppError(e) ? e : new AppError('AUTH_FAILED', `${label}: ${String(e)}`))
  }
  const knownHosts = settings.knownHostsPath ?? defaultKnownHostsPath()
  const timeoutMs = settings.connectTimeoutSeconds * 1000
  const client = new Client()
  let verifyError: AppError | undefined
  return new Promise<Client>((resolve, reject) => {
    let settled = false
    const finish = (error: AppError | null) => {
      if (settled) return
      settled = true
      signal?.removeEventListener('abort', onAbort)
      if (error) {
        client.end()
        reject(fail(error))
      } else resolve(client)
    }
    const onAbort = () => finish(abortReason(signal as AbortSignal))
    signal?.addEventListener('abort', onAbort, { once: true })
    client.on('error', (e) => finish(verifyError ?? connectError(e, { prefix: `${label}: `, host: hop.host, port: hop.port, user: hop.user, timeoutMs })))
    client.on('close', () => finish(verifyError ?? new AppError('UNREACHABLE', `${label} closed the connection while connecting`)))
    client.on('ready', () => finish(null))
    client.connect({
      host: hop.host,
      port: hop.port,
      sock,
      username: hop.user,
      readyTimeout: timeoutMs,
      keepaliveInterval: settings.keepaliveSeconds * 1000,
      keepaliveCountMax: 3,
      ...auth,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        verifyHostKey(kind, hop, key, knownHosts).then(
          (result) => {
            hostKeys.push(result.check)
            verifyError = result.error
            verify(!result.error)
          },
          (e: unknown) => {
            verifyError = new AppError('PERMISSION_DENIED', `${label}: cannot read the known_hosts file ${knownHosts}: ${e instanceof Error ? e.message : String(e)}`)
            verify(false)
          },
        )
      },
    } as ConnectConfig)
    // Database protocols are chatty (a query, a reply): with Nagle + delayed ACK each exchange would wait ~40 ms.
    client.setNoDelay(true)
  })
}

/** The pinned fingerprint decides when there is one; otherwise the known_hosts file. */
async function verifyHostKey(kind: HopKind, hop: SshHop, key: Buffer, knownHosts: string): Promise<{ check: HostKeyCheck; error?: AppError }> {
  const fingerprint = fingerprintOfKey(key)
  const base = { hop: kind, host: hop.host, port: hop.port, fingerprint }
  const label = hopLabel(kind, hop)
  const changed = (expected: string, where: string) => ({
    check: { ...base, status: 'changed' as const, expected },
    error: new AppError(
      'HOST_KEY_CHANGED',
      `${label}: the host key changed — expected ${expected} (${where}), the server showed ${fingerprint}. Refused: if the server was re-installed, check the new fingerprint with its administrator, then forget the old key and accept the new one`,
      `ssh.${kind === 'jump' ? 'jump' : 'hop'}.hostKey`,
    ),
  })
  if (hop.hostKey) return hop.hostKey === fingerprint ? { check: { ...base, status: 'pinned' } } : changed(hop.hostKey, 'pinned in the profile')
  const verdict = await checkKnownHostsFile(knownHosts, hop.host, hop.port, key)
  if (verdict.status === 'known') return { check: { ...base, status: 'known_hosts' } }
  if (verdict.status === 'changed') return changed(verdict.expectedFingerprint, `${knownHosts} line ${verdict.line}`)
  if (verdict.status === 'revoked') return changed('(this key is marked @revoked)', `${knownHosts} line ${verdict.line}`)
  return {
    check: { ...base, status: 'unknown' },
    error: new AppError(
      'HOST_KEY_UNKNOWN',
      `${label}: unknown host key ${fingerprint} — compare it with the server's own (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub there) before trusting it`,
      `ssh.${kind === 'jump' ? 'jump' : 'hop'}.hostKey`,
    ),
  }
}

async function authFor(hop: SshHop, secret: string | undefined, label: string): Promise<Pick<ConnectConfig, 'privateKey' | 'passphrase' | 'password' | 'agent'>> {
  switch (hop.auth) {
    case 'agent': {
      const agent = process.env.SSH_AUTH_SOCK
      if (!agent) throw new AppError('AUTH_FAILED', `${label}: ssh-agent authentication chosen, but SSH_AUTH_SOCK is not set — start an agent or choose a key file`)
      return { agent }
    }
    case 'password':
      if (!secret) throw new AppError('AUTH_FAILED', `${label}: password authentication chosen, but no SSH password is saved`, 'sshSecret')
      return { password: secret }
    case 'publickey': {
      const path = hop.privateKeyPath as string
      return { privateKey: await privateKey(path, secret, label), passphrase: secret }
    }
  }
}

/** The key file's bytes for ssh2, once loadPrivateKey found it usable. */
async function privateKey(path: string, passphrase: string | undefined, label: string): Promise<Buffer> {
  const { text } = await loadPrivateKey(path, passphrase, (problem) => {
    switch (problem.kind) {
      case 'unreadable':
        return new AppError('AUTH_FAILED', `${label}: cannot read the private key ${path}: ${problem.reason}`, 'ssh.hop.privateKeyPath')
      case 'passphrase':
        return new AppError('AUTH_FAILED', `${label}: the private key ${path} is encrypted and ${problem.saved ? 'the saved passphrase is wrong' : 'no passphrase is saved'}`, 'sshSecret')
      case 'unusable':
        return new AppError('AUTH_FAILED', `${label}: the private key ${path} cannot be used: ${problem.reason}`, 'ssh.hop.privateKeyPath')
      case 'public':
        return new AppError('AUTH_FAILED', `${label}: ${path} is a public key — choose the private key file`, 'ssh.hop.privateKeyPath')
    }
  })
  return text
}

/** A TCP connection from the SSH host to host:port (what the tunnel and the jump host use). */
export function forwardTo(client: Client, host: string, port: number): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream)))
  })
}

/** Ends the connection and waits (bounded) until its socket is closed. */
export async function endClient(client: Client): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 2_000)
    client.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    client.on('error', () => {})
    client.end()
  })
}
