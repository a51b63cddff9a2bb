import { AppError, isAppError, type ErrorCode } from '../../../../shared/errors'
import { redact } from '../../logging/redact'
import { abortReason } from '../../pipeline/abort'

/** What the SDK puts on a failure: S3 error code as `name`, the HTTP status in `$metadata`, errno `code` for socket errors. */
interface SdkError extends Error {
  code?: string
  errors?: unknown[]
  $metadata?: { httpStatusCode?: number }
}

/** Where a failed call went, for messages: 'S3 destination "x": cannot list s3://bucket/prefix: <reason>'. */
export interface S3Where {
  /** 'S3 destination "x": ' */
  prefix: string
  /** s3://bucket/prefix */
  url: string
  bucket: string
  /** The endpoint URL (https://s3.<region>.amazonaws.com for AWS itself). */
  endpoint: string
  region: string
}

const AUTH_CODES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'InvalidToken', 'ExpiredToken', 'TokenRefreshRequired', 'InvalidClientTokenId', 'InvalidSecurity'])
const DENIED_CODES = new Set(['AccessDenied', 'AllAccessDisabled', 'AccountProblem'])
const REGION_CODES = new Set(['PermanentRedirect', 'AuthorizationHeaderMalformed', 'IllegalLocationConstraintException'])
const NOT_IMPLEMENTED_CODES = new Set(['NotImplemented', 'MethodNotAllowed'])
/** HEAD answers have no body: the SDK names those errors after the status only. */
const BARE_NAMES = new Set(['Unknown', 'UnknownError', 'Forbidden', 'NotFound', 'BadRequest'])

const SOCKET_REASONS: Record<string, { code: ErrorCode; reason: string }> = {
  ECONNREFUSED: { code: 'UNREACHABLE', reason: 'connection refused — is the endpoint right, and is the server running?' },
  ENOTFOUND: { code: 'UNREACHABLE', reason: 'host name not found — check the endpoint' },
  EAI_AGAIN: { code: 'UNREACHABLE', reason: 'the host name could not be looked up (DNS)' },
  EHOSTUNREACH: { code: 'UNREACHABLE', reason: 'no route to host' },
  ENETUNREACH: { code: 'UNREACHABLE', reason: 'network unreachable' },
  ECONNRESET: { code: 'UNREACHABLE', reason: 'the connection was reset' },
  EPIPE: { code: 'UNREACHABLE', reason: 'the connection was closed' },
  ETIMEDOUT: { code: 'TIMEOUT', reason: 'the connection timed out — check the endpoint and any firewall' },
}

export function errorName(e: unknown): string | undefined {
  return e instanceof Error ? e.name : undefined
}

export function httpStatus(e: unknown): number | undefined {
  return (e as SdkError | null)?.$metadata?.httpStatusCode
}

/** The object (not the bucket) is missing: NoSuchKey, or a bare 404 from HEAD. */
export function isNoSuchKey(e: unknown): boolean {
  const name = errorName(e)
  return name === 'NoSuchKey' || name === 'NotFound' || (httpStatus(e) === 404 && name !== 'NoSuchBucket' && name !== 'NoSuchUpload')
}

export function isNoSuchUpload(e: unknown): boolean {
  return errorName(e) === 'NoSuchUpload' || (httpStatus(e) === 404 && errorName(e) !== 'NoSuchBucket')
}

/** The server lacks the operation (s3rver has no ListMultipartUploads / AbortMultipartUpload; some compatibles neither). */
export function isNotImplemented(e: unknown): boolean {
  const status = httpStatus(e)
  return NOT_IMPLEMENTED_CODES.has(errorName(e) ?? '') || status === 501 || status === 405
}

function socketCode(e: SdkError): string | undefined {
  if (e.code) return e.code
  // Node 20's happy eyeballs reports a failed connect to every address as one AggregateError
  const first = e.errors?.[0] as SdkError | undefined
  return first?.code
}

/** Why the call failed, as [code, reason] — without the "S3 destination ..." frame. */
function classify(e: SdkError, at: S3Where): { code: ErrorCode; reason: string } {
  const name = e.name
  const status = httpStatus(e)
  const socket = socketCode(e)
  const known = socket ? SOCKET_REASONS[socket] : undefined
  // the SDK renames ECONNRESET/EPIPE/ETIMEDOUT to TimeoutError: the errno says more
  if (known) return { code: known.code, reason: `cannot reach ${at.endpoint}: ${known.reason}` }
  if (name === 'TimeoutError') return { code: 'TIMEOUT', reason: `no answer from ${at.endpoint} in time — is the endpoint right, and is the network up?` }
  if (name === 'CredentialsProviderError')
    return { code: 'AUTH_FAILED', reason: 'no access key is saved for this destination and none was found in the environment, the AWS profile or an instance role — add one' }
  if (AUTH_CODES.has(name)) return { code: 'AUTH_FAILED', reason: `the access key was refused (${name}) — check the key id and secret` }
  if (DENIED_CODES.has(name))
    return { code: 'PERMISSION_DENIED', reason: `access denied (${name}) — the key needs to list, read, write and delete objects and abort multipart uploads in this bucket` }
  if (name === 'NoSuchBucket') return { code: 'DESTINATION_FAILED', reason: `the bucket "${at.bucket}" does not exist — check its name, the endpoint and the region` }
  if (REGION_CODES.has(name) || status === 301) return { code: 'DESTINATION_FAILED', reason: `the bucket "${at.bucket}" is not in region ${at.region} (${name}) — check the region` }
  if (name === 'RequestTimeTooSkewed') return { code: 'DESTINATION_FAILED', reason: "this computer's clock is off by more than 15 minutes (RequestTimeTooSkewed) — fix the system time" }
  if (name === 'NoSuchKey') return { code: 'NOT_FOUND', reason: 'no such object' }
  if (status === 403 && BARE_NAMES.has(name))
    return { code: 'AUTH_FAILED', reason: "the request was refused (403 Forbidden) — check the key id, the secret and the key's permissions on the bucket" }
  if (name === 'AbortError') return { code: 'CANCELLED', reason: 'the request was aborted' }
  if (status !== undefined && status >= 500)
    return { code: 'DESTINATION_FAILED', reason: `the server kept failing (${BARE_NAMES.has(name) ? status : `${status} ${name}`}) even after retries — try again later` }
  const detail = status !== undefined && !BARE_NAMES.has(name) ? `${name}: ${e.message}` : e.message
  return { code: 'DESTINATION_FAILED', reason: status !== undefined ? `${detail} (HTTP ${status})` : detail }
}

/**
 * One AppError a DBA can act on, naming the destination, what was attempted and where:
 * 'S3 destination "x": cannot write to s3://bucket/backups/: the access key was refused (InvalidAccessKeyId) — check the key id and secret'.
 * AppErrors pass through (a failing source reports its own); after an abort, its reason. The secret
 * key is registered with redact(), which every message goes through.
 */
export function s3Error(e: unknown, at: S3Where, verb: string, signal?: AbortSignal): AppError {
  if (isAppError(e)) return e
  if (signal?.aborted) return abortReason(signal)
  const err = e instanceof Error ? (e as SdkError) : Object.assign(new Error(String(e)), { name: 'Error' })
  const { code, reason } = classify(err, at)
  return new AppError(code, redact(`${at.prefix}cannot ${verb} ${at.url}: ${reason}`))
}
