import type { ErrorCode } from '../../shared/errors'
import { describeTestSuccess } from '../../shared/format'
import type { ConnectionTestResult, Profile } from '../../shared/model'

/** Short labels for error codes; the full message is shown beside them. */
export const ERROR_LABELS: Record<ErrorCode, string> = {
  VALIDATION: 'Invalid input',
  NOT_FOUND: 'Not found',
  CONFLICT: 'Conflict',
  FORBIDDEN: 'Forbidden',
  AUTH_FAILED: 'Authentication failed',
  UNREACHABLE: 'Unreachable',
  TIMEOUT: 'Timed out',
  UNKNOWN_DATABASE: 'Unknown database',
  TOOL_MISSING: 'Client tool missing',
  VERSION_MISMATCH: 'Version mismatch',
  NOT_A_DATABASE: 'Not a database',
  PERMISSION_DENIED: 'Permission denied',
  DUMP_FAILED: 'Dump failed',
  DESTINATION_FAILED: 'Destination failed',
  LIMIT_EXCEEDED: 'Too large',
  INTEGRITY: 'Checksum mismatch',
  CANCELLED: 'Cancelled',
  INTERNAL: 'Internal error',
}

/** "Connected — PostgreSQL 15.19 · pg_dump 15.19 (/usr/lib/postgresql/15/bin/pg_dump) · 23 ms" */
export function connectedSummary(result: ConnectionTestResult): string {
  return `Connected — ${describeTestSuccess(result)}`
}

export function profileLocation(profile: Profile): string {
  return profile.engine === 'sqlite' ? profile.file : `${profile.host}:${profile.port}`
}
