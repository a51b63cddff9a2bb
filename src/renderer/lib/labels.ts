import type { BackupFormat, BackupStatus, Compression } from '../../shared/backup-model'
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
  RESTORE_FAILED: 'Restore failed',
  HOST_KEY_UNKNOWN: 'Unknown host key',
  HOST_KEY_CHANGED: 'Host key changed',
  INTERNAL: 'Internal error',
}

/** "Connected — PostgreSQL 15.19 · pg_dump 15.19 (/usr/lib/postgresql/15/bin/pg_dump) · 23 ms" */
export function connectedSummary(result: ConnectionTestResult): string {
  return `Connected — ${describeTestSuccess(result)}`
}

export function profileLocation(profile: Profile): string {
  return profile.engine === 'sqlite' ? profile.file : `${profile.host}:${profile.port}`
}

export { formatBytes, formatDuration } from '../../shared/format'

/** Local wall-clock time, ISO-ordered so it sorts and reads the same everywhere: "2026-11-22 04:30:05". */
export function formatTimestamp(iso: string): string {
  const d = new Date(iso)
  if (Number.isNaN(d.getTime())) return iso
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
}

export const BACKUP_STATUS_LABELS: Record<BackupStatus, string> = {
  running: 'running',
  success: 'success',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
}

export const FORMAT_LABELS: Record<BackupFormat, string> = {
  custom: 'custom (pg_restore)',
  plain: 'plain SQL',
  sqlite: 'SQLite file',
}

export const COMPRESSION_LABELS: Record<Compression, string> = { zstd: 'zstd', gzip: 'gzip', none: 'none' }
