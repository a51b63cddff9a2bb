import { AppError, isAppError, type ErrorCode } from '../../../../shared/errors'
import { redact } from '../../logging/redact'
import { abortReason } from '../../pipeline/abort'

/**
 * What the SDK throws: a RestError with the HTTP status and the service's error code (in `code` when the
 * answer had a body, in `details.errorCode` — the x-ms-error-code header — always, HEAD included), or
 * the errno `code` of a socket error; an AbortError when a request's signal fired.
 */
interface SdkError extends Error {
  code?: string
  statusCode?: number
  details?: { errorCode?: string }
}

/** Where a failed call went, for messages: 'Azure destination "x": cannot list azure://acct/container/prefix: <reason>'. */
export interface AzureWhere {
  /** 'Azure destination "x": ' */
  prefix: string
  /** azure://account/container/prefix */
  url: string
  container: string
  /** host[:port] of the blob endpoint (never the key or a SAS token) */
  host: string
  /** What the connection string authenticates with, for the AUTH_FAILED hint. */
  credential: 'account key' | 'SAS token'
  maxTries: number
}

const DENIED_CODES = new Set([
  'AuthorizationPermissionMismatch', // a SAS (or role) without the write/delete/list permission
  'AuthorizationResourceTypeMismatch',
  'AuthorizationServiceMismatch',
  'AuthorizationProtocolMismatch',
  'AuthorizationSourceIPMismatch',
  'InsufficientAccountPermissions',
])
const CONTAINER_GONE = new Set(['ContainerNotFound', 'ContainerBeingDeleted', 'ContainerDisabled'])
const TIMEOUT_CODES = new Set(['OperationTimedOut', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'TIMEOUT'])

const SOCKET_REASONS: Record<string, { code: ErrorCode; reason: string }> = {
  ECONNREFUSED: { code: 'UNREACHABLE', reason: 'connection refused — check the BlobEndpoint / account name in the connection string' },
  ENOTFOUND: { code: 'UNREACHABLE', reason: 'host name not found — check the account name / endpoint in the connection string' },
  EAI_AGAIN: { code: 'UNREACHABLE', reason: 'the host name could not be looked up (DNS)' },
  EHOSTUNREACH: { code: 'UNREACHABLE', reason: 'no route to host' },
  ENETUNREACH: { code: 'UNREACHABLE', reason: 'network unreachable' },
  ECONNRESET: { code: 'UNREACHABLE', reason: 'the connection was reset' },
  EPIPE: { code: 'UNREACHABLE', reason: 'the connection was closed' },
}

/** The service's error code (BlobNotFound, AuthenticationFailed...) or the errno of a socket error. */
export function errorCode(e: unknown): string | undefined {
  const err = e as SdkError | null
  return err?.details?.errorCode ?? err?.code
}

export function isBlobNotFound(e: unknown): boolean {
  return errorCode(e) === 'BlobNotFound'
}

/** A conditional request lost (412/409): the blob changed under us — something else owns it now. */
export function isConditionFailed(e: unknown): boolean {
  const status = (e as SdkError | null)?.statusCode
  return status === 412 || errorCode(e) === 'BlobAlreadyExists'
}

/** Why the call failed — without the "Azure destination ..." frame. */
function classify(e: SdkError, at: AzureWhere): { code: ErrorCode; reason: string } {
  const status = e.statusCode
  const code = errorCode(e)
  // The service's own text minus its "RequestId:/Time:" lines; HEAD answers have none.
  const text = e.message.split('\n')[0]?.trim() ?? ''
  const socket = code ? SOCKET_REASONS[code] : undefined
  if (socket) return { code: socket.code, reason: `cannot reach ${at.host}: ${socket.reason}` }
  // Not the caller's signal (the caller checks that first): the per-call deadline (tryTimeoutMs).
  if (e.name === 'AbortError') return { code: 'TIMEOUT', reason: `no answer from ${at.host} in time — is the network up, and the endpoint right?` }
  if (code && TIMEOUT_CODES.has(code)) return { code: 'TIMEOUT', reason: `${at.host} did not answer in time (${code}) — try again later` }
  if (code === 'AuthenticationFailed' || code === 'InvalidAuthenticationInfo' || (code === 'AuthorizationFailure' && /authenticat|signature/i.test(text)))
    // Azurite answers a bad key with AuthorizationFailure + "Server failed to authenticate"; Azure with AuthenticationFailed.
    return { code: 'AUTH_FAILED', reason: `the ${at.credential} was refused (${code}) — check the connection string` }
  if (code && DENIED_CODES.has(code))
    return { code: 'PERMISSION_DENIED', reason: `not allowed (${code}) — the ${at.credential} needs read, write, delete and list permission on the container` }
  if (code === 'AuthorizationFailure')
    return { code: 'PERMISSION_DENIED', reason: `not authorized (${code}) — check the storage account's firewall / network rules and the ${at.credential}'s permissions` }
  if (code === 'AccountIsDisabled') return { code: 'PERMISSION_DENIED', reason: 'the storage account is disabled' }
  if (code && CONTAINER_GONE.has(code))
    return { code: 'DESTINATION_FAILED', reason: `the container "${at.container}" does not exist (${code}) — create it in the storage account, or fix the name` }
  if (code === 'BlobNotFound') return { code: 'NOT_FOUND', reason: 'no such blob' }
  if (status === 403) return { code: 'AUTH_FAILED', reason: `the request was refused (403) — check the ${at.credential} in the connection string` }
  if (status !== undefined && status >= 500)
    return { code: 'DESTINATION_FAILED', reason: `the service kept failing (${status}${code ? ` ${code}` : ''}) after ${at.maxTries} tries — try again later` }
  const detail = [code, text].filter(Boolean).join(': ') || e.name
  return { code: 'DESTINATION_FAILED', reason: status !== undefined ? `${detail} (HTTP ${status})` : detail }
}

/**
 * One AppError a DBA can act on, naming the destination, what was attempted and where:
 * 'Azure destination "x": cannot write to azure://acct/c/p/: the account key was refused (AuthenticationFailed) — check the connection string'.
 * AppErrors pass through (a failing source reports its own); after the caller's abort, its reason.
 * The connection string and its key / SAS are registered with redact(), which every message goes through.
 */
export function azureError(e: unknown, at: AzureWhere, verb: string, signal?: AbortSignal): AppError {
  if (isAppError(e)) return e
  if (signal?.aborted) return abortReason(signal)
  const err = e instanceof Error ? (e as SdkError) : Object.assign(new Error(String(e)), { name: 'Error' })
  const { code, reason } = classify(err, at)
  return new AppError(code, redact(`${at.prefix}cannot ${verb} ${at.url}: ${reason}`))
}
