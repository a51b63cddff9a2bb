import { Client, type AnyAuthMethod, type ParsedKey } from 'ssh2'
import { AppError } from '../../../../shared/errors'
import { registerSecret } from '../../logging/redact'
import { abortReason } from '../../pipeline/abort'
import { DEFAULT_CONNECT_TIMEOUT_MS, fingerprintOf } from './host-key'
import { loadPrivateKey } from '../../transport/private-key'
import { endClient } from '../../transport/ssh'
import { RemoteFs } from './remote-fs'
import { connectError, hostKeyChangedError, hostPort, isConnectionLost, TransientConnectError, type Endpoint } from './sftp-errors'

export interface SftpSecrets {
  password?: string
  keyPassphrase?: string
}

export interface SftpOptions {
  /** TCP connect + SSH handshake + login, per attempt (default 15000). */
  connectTimeoutMs?: number
  /** SSH keepalive (default 15000); three unanswered ones end the connection. */
  keepaliveIntervalMs?: number
  /** Attempts when the failure may pass (refused, reset, timed out), with backoff (default 3). */
  connectAttempts?: number
}

export interface SftpServer {
  host: string
  port: number
  user: string
  privateKeyPath?: string
  /** The pinned 'SHA256:…' fingerprint. */
  hostKey: string
}

interface Session {
  client: Client
  fs: RemoteFs
  /** The socket is closed. */
  ended: boolean
}

const BACKOFF_MS = 250

/**
 * One lazily opened SSH connection + SFTP session, shared by every call and reopened when it
 * dropped. Every connection verifies the server's host key against the pinned one.
 */
export class SftpConnection {
  /** The server's host key as last seen, also when it did not match. */
  seenHostKey: string | null = null
  private session: Session | undefined
  private connecting: Promise<Session> | undefined
  /** Aborted by close(): ends a connect in progress (attempts and backoff included). */
  private closing = new AbortController()
  private readonly endpoint: Endpoint

  constructor(
    private readonly server: SftpServer,
    private readonly secrets: () => Promise<SftpSecrets>,
    private readonly options: SftpOptions,
    private readonly prefix: string,
  ) {
    this.endpoint = { prefix, host: server.host, port: server.port, user: server.user, timeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS }
  }

  /**
   * Runs `fn` on a live session. When the session turns out to have died under it (server restart,
   * network change) and `retry` is set (idempotent work), runs it once more on a fresh connection.
   */
  async use<T>(signal: AbortSignal | undefined, fn: (fs: RemoteFs) => Promise<T>, retry = true): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const session = await this.open(signal)
      try {
        return await fn(session.fs)
      } catch (e) {
        const lost = session.fs.closed || isConnectionLost(e)
        if (lost) this.forget(session)
        if (!retry || attempt > 1 || !lost || signal?.aborted) throw e
      }
    }
  }

  async close(): Promise<void> {
    this.closing.abort()
    const session = this.session
    this.session = undefined
    await this.connecting?.catch(() => {})
    if (session && !session.ended) await endClient(session.client)
    this.closing = new AbortController() // usable again afterwards
  }

  private async open(signal: AbortSignal | undefined): Promise<Session> {
    if (signal?.aborted) throw abortReason(signal)
    if (this.session && !this.session.fs.closed) return this.session
    this.connecting ??= this.connectWithRetry().finally(() => (this.connecting = undefined))
    // Callers share one connect; one caller giving up does not stop it for the others.
    return raceAbort(this.connecting, signal)
  }

  private async connectWithRetry(): Promise<Session> {
    const attempts = Math.max(1, this.options.connectAttempts ?? 3)
    const closing = this.closing.signal
    for (let attempt = 1; ; attempt++) {
      try {
        const session = await this.connectOnce(closing)
        this.session = session
        return session
      } catch (e) {
        if (!(e instanceof TransientConnectError) || attempt >= attempts || closing.aborted) throw e
        await sleep(BACKOFF_MS * 3 ** (attempt - 1), closing) // 250 ms, 750 ms, ...
      }
    }
  }

  private async connectOnce(closing: AbortSignal): Promise<Session> {
    const secrets = await this.secrets()
    registerSecret(secrets.password)
    registerSecret(secrets.keyPassphrase)
    const authHandler = await this.authMethods(secrets)
    const { host, port, user, hostKey } = this.server
    const client = new Client()
    let seen: string | undefined
    return new Promise<Session>((resolve, reject) => {
      let settled = false
      const fail = (error: AppError): void => {
        if (settled) return
        settled = true
        closing.removeEventListener('abort', onClose)
        client.end()
        reject(error)
      }
      const onClose = (): void => fail(new AppError('CANCELLED', `${this.prefix}the connection was closed while connecting`))
      if (closing.aborted) return onClose() // close() came while the secrets or the key were read
      closing.addEventListener('abort', onClose, { once: true })
      client.on('error', (e) => {
        fail(seen !== undefined && seen !== hostKey ? hostKeyChangedError(this.prefix, host, port, hostKey, seen) : connectError(e, this.endpoint))
      })
      client.on('close', () => fail(new TransientConnectError('UNREACHABLE', `${this.prefix}${hostPort(host, port)} closed the connection while connecting`)))
      client.on('ready', () => {
        client.sftp((err, sftp) => {
          if (err) return fail(new AppError('DESTINATION_FAILED', `${this.prefix}${hostPort(host, port)} has no SFTP service (${err.message}) — is "Subsystem sftp" enabled in its sshd_config?`))
          if (settled) return void client.end()
          settled = true
          closing.removeEventListener('abort', onClose)
          const session: Session = { client, fs: new RemoteFs(sftp), ended: false }
          client.on('close', () => {
            session.ended = true
            this.forget(session)
          })
          resolve(session)
        })
      })
      try {
        client.connect({
          host,
          port,
          username: user,
          readyTimeout: this.endpoint.timeoutMs,
          keepaliveInterval: this.options.keepaliveIntervalMs ?? 15_000,
          keepaliveCountMax: 3,
          // Every connection, not only the first: a changed key is refused before any credential is sent.
          hostVerifier: (key: Buffer) => {
            seen = fingerprintOf(key)
            this.seenHostKey = seen
            return seen === hostKey
          },
          authHandler,
        })
        // SFTP is request/response: with Nagle + delayed ACK every small request waited ~40 ms.
        client.setNoDelay(true)
      } catch (e) {
        fail(connectError(e, this.endpoint))
      }
    })
  }

  /** The private key first (read on every connect, so a replaced file is picked up), then the password. */
  private async authMethods(secrets: SftpSecrets): Promise<AnyAuthMethod[]> {
    const { user, privateKeyPath } = this.server
    const methods: AnyAuthMethod[] = []
    if (privateKeyPath) methods.push({ type: 'publickey', username: user, key: await this.privateKey(privateKeyPath, secrets.keyPassphrase) })
    if (secrets.password) methods.push({ type: 'password', username: user, password: secrets.password })
    if (methods.length === 0) {
      throw new AppError('AUTH_FAILED', `${this.prefix}neither a private key nor a password is set for ${user}@${hostPort(this.server.host, this.server.port)}`)
    }
    return methods
  }

  private async privateKey(path: string, passphrase: string | undefined): Promise<ParsedKey> {
    const { key } = await loadPrivateKey(path, passphrase, (problem) => {
      switch (problem.kind) {
        case 'unreadable':
          return new AppError('DESTINATION_FAILED', `${this.prefix}cannot read the private key ${path}: ${problem.reason}`)
        case 'passphrase':
          return new AppError('AUTH_FAILED', `${this.prefix}the private key ${path} needs its passphrase: ${problem.saved ? 'the saved one is wrong' : 'none is saved'} — edit the destination`)
        case 'unusable':
          return new AppError('DESTINATION_FAILED', `${this.prefix}the private key ${path} cannot be used: ${problem.reason}`)
        case 'public':
          return new AppError('DESTINATION_FAILED', `${this.prefix}${path} is a public key: choose the private key file`)
      }
    })
    return key
  }

  private forget(session: Session): void {
    if (this.session === session) this.session = undefined
    session.client.end()
  }
}

async function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  let onAbort: (() => void) | undefined
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        onAbort = () => reject(abortReason(signal))
        if (signal.aborted) onAbort()
        else signal.addEventListener('abort', onAbort, { once: true })
      }),
    ])
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort)
  }
}

async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    signal.addEventListener('abort', done, { once: true })
  })
}
