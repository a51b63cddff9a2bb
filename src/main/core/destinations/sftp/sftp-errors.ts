import { AppError, isAppError, type ErrorCode } from '../../../../shared/errors'
import { abortReason } from '../../pipeline/abort'

/** ssh2 tags connection errors with a `level`; socket errors carry an errno `code`, SFTP status errors a numeric one. */
interface Ssh2Error extends Error {
  level?: string
  code?: string | number
}

/** SFTP status codes (draft-ietf-secsh-filexfer-02 §7). */
export const SFTP_NO_SUCH_FILE = 2
const SFTP_PERMISSION_DENIED = 3
const SFTP_FAILURE = 4

/** A connection failure worth another attempt (refused, reset, timed out): the server may be restarting. Never auth or host key. */
export class TransientConnectError extends AppError {}

/** Raised instead of sending a request on a session that is already gone (ssh2 would drop it silently and never answer). */
export class ConnectionLostError extends Error {
  constructor() {
    super('the connection was lost')
  }
}

export function isNoSuchFile(e: unknown): boolean {
  return (e as Ssh2Error | null)?.code === SFTP_NO_SUCH_FILE
}

/** The session died under a request: ssh2 fails what was pending with "No response from server". */
export function isConnectionLost(e: unknown): boolean {
  return e instanceof ConnectionLostError || (e instanceof Error && e.message === 'No response from server')
}

const SOCKET_REASONS: Record<string, { code: ErrorCode; reason: string; transient: boolean }> = {
  ECONNREFUSED: { code: 'UNREACHABLE', reason: 'connection refused — is the SSH server running, and is the port right?', transient: true },
  ECONNRESET: { code: 'UNREACHABLE', reason: 'the connection was reset', transient: true },
  EPIPE: { code: 'UNREACHABLE', reason: 'the connection was closed', transient: true },
  ETIMEDOUT: { code: 'TIMEOUT', reason: 'the connection timed out — check the host, the port and any firewall', transient: true },
  EHOSTUNREACH: { code: 'UNREACHABLE', reason: 'no route to host', transient: false },
  ENETUNREACH: { code: 'UNREACHABLE', reason: 'network unreachable', transient: false },
  ENOTFOUND: { code: 'UNREACHABLE', reason: 'host name not found — check the spelling', transient: false },
  EAI_AGAIN: { code: 'UNREACHABLE', reason: 'the host name could not be looked up (DNS)', transient: true },
}

export interface Endpoint {
  /** 'SFTP destination "x": ' or '' */
  prefix: string
  host: string
  port: number
  user?: string
  timeoutMs: number
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** One AppError for a failed connect (host key mismatches are told apart by the caller, who saw the key). */
export function connectError(e: unknown, at: Endpoint): AppError {
  if (isAppError(e)) return e
  const err = e as Ssh2Error
  const where = hostPort(at.host, at.port)
  const message = err instanceof Error ? err.message : String(e)
  switch (err.level) {
    case 'client-timeout':
      return message.startsWith('Keepalive')
        ? new TransientConnectError('TIMEOUT', `${at.prefix}${where} stopped answering`)
        : new TransientConnectError('TIMEOUT', `${at.prefix}no SSH handshake from ${where} within ${Math.round(at.timeoutMs / 1000)} s — check the host, the port and any firewall`)
    case 'client-authentication':
      return new AppError('AUTH_FAILED', `${at.prefix}${at.user ?? ''}@${where} refused the login — check the user name, the private key and the password`)
    case 'client-socket':
    case 'client-dns': {
      const known = typeof err.code === 'string' ? SOCKET_REASONS[err.code] : undefined
      if (!known) return new AppError('UNREACHABLE', `${at.prefix}cannot reach ${where}: ${message}`)
      const Kind = known.transient ? TransientConnectError : AppError
      return new Kind(known.code, `${at.prefix}cannot reach ${where}: ${known.reason}`)
    }
    case 'protocol':
      // e.g. "Connection lost before handshake": a server that is starting, restarting or overloaded (MaxStartups)
      return new TransientConnectError('UNREACHABLE', `${at.prefix}the connection to ${where} closed before the SSH handshake finished (${message}) — is this the SSH port?`)
    case 'handshake':
      return new AppError('DESTINATION_FAILED', `${at.prefix}the SSH handshake with ${where} failed: ${message}`)
    default:
      return new AppError('DESTINATION_FAILED', `${at.prefix}cannot connect to ${where}: ${message}`)
  }
}

export function hostKeyChangedError(prefix: string, host: string, port: number, expected: string, got: string): AppError {
  return new AppError(
    'DESTINATION_FAILED',
    `${prefix}the host key of ${hostPort(host, port)} changed: expected ${expected}, got ${got} — if the server was re-installed, check the new fingerprint with its administrator and edit the destination`,
  )
}

/**
 * One AppError for a failed file operation, naming the destination, what was attempted and where:
 * 'SFTP destination "x": cannot write to sftp://u@h:22/backups: permission denied on the server'.
 * AppErrors pass through (a failing source reports its own); after an abort, its reason.
 */
export function operationError(e: unknown, prefix: string, verb: string, where: string, signal?: AbortSignal): AppError {
  if (isAppError(e)) return e
  if (signal?.aborted) return abortReason(signal)
  const message = e instanceof Error ? e.message : String(e)
  const fail = (code: ErrorCode, reason: string) => new AppError(code, `${prefix}cannot ${verb} ${where}: ${reason}`)
  if (isConnectionLost(e)) return fail('DESTINATION_FAILED', 'the connection to the server was lost — try again')
  switch ((e as Ssh2Error | null)?.code) {
    case SFTP_PERMISSION_DENIED:
      return fail('PERMISSION_DENIED', 'permission denied on the server')
    case SFTP_NO_SUCH_FILE:
      return fail('DESTINATION_FAILED', 'no such file or directory on the server')
    case SFTP_FAILURE:
      // OpenSSH answers a full disk, a quota and "not a directory" alike with a bare "Failure"
      return fail('DESTINATION_FAILED', `the server reported a failure (${message}) — is its disk full, or is a file in the way?`)
    default:
      return fail('DESTINATION_FAILED', message)
  }
}
