import type { Backup, BackupStatus } from '../../../shared/backup-model'
import { formatBytes, formatDuration } from '../../../shared/format'
import { ENGINE_LABELS } from '../../../shared/model'
import { redact } from '../logging/redact'

/** One finished run, as the chat/webhook notifications describe it. */
export interface RunNotice {
  /** The scheduled job's name; null for manual and safety backups. */
  jobName: string | null
  backup: Backup
  /** Database name (or SQLite file) when the caller knows it: Backup rows only carry the profile name. */
  database?: string | null
  /** An extra line, e.g. a failed prune or test-restore. */
  note?: string
}

const OUTCOME: Record<BackupStatus, string> = {
  running: 'is running',
  success: 'succeeded',
  failed: 'failed',
  cancelled: 'was cancelled',
  interrupted: 'was interrupted',
}

export interface NoticeField {
  label: string
  value: string
}

/** "main-db (shop)" when the database is known, else the profile name. */
export function noticeTarget(n: RunNotice): string {
  return n.database ? `${n.backup.profileName} (${n.database})` : n.backup.profileName
}

export function noticeTitle(n: RunNotice): string {
  return redact(`Backup of ${noticeTarget(n)} ${OUTCOME[n.backup.status]}`)
}

/** Labelled facts, in display order; Slack renders them with bold labels, noticeText as "Label: value". */
export function noticeFields(n: RunNotice): NoticeField[] {
  const b = n.backup
  const fields: NoticeField[] = []
  const add = (label: string, value: string | null | undefined) => {
    // Redacted here so every channel (text, Slack, logs) gets the same last-line defence.
    if (value) fields.push({ label, value: redact(value) })
  }
  add('Job', n.jobName)
  add('Profile', b.profileName)
  add('Database', n.database)
  add('Engine', ENGINE_LABELS[b.engine])
  add('Status', b.status)
  add('File', b.fileName)
  if (b.sizeBytes !== null) add('Size', formatBytes(b.sizeBytes))
  if (b.durationMs !== null) add('Duration', formatDuration(b.durationMs))
  add('Destinations', b.copies.map((c) => (c.status === 'success' ? c.destination : `${c.destination} (${c.status}${c.error ? `: ${c.error}` : ''})`)).join(', '))
  add('Error', b.error)
  add('Note', n.note)
  return fields
}

export function noticeText(n: RunNotice): { title: string; lines: string[] } {
  return { title: noticeTitle(n), lines: noticeFields(n).map((f) => `${f.label}: ${f.value}`) }
}
