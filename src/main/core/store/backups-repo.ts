import type { Backup, BackupCopy, BackupStatus } from '../../../shared/backup-model'
import type { Db } from './open-store'

interface BackupRow {
  id: string
  profile_id: string | null
  profile_name: string
  engine: Backup['engine']
  status: BackupStatus
  reason: Backup['reason']
  job_id: string | null
  label: string | null
  file_name: string
  format: Backup['format']
  compression: Backup['compression']
  encryption: Backup['encryption']
  options: string
  size_bytes: number | null
  raw_bytes: number | null
  sha256: string | null
  started_at: string
  finished_at: string | null
  duration_ms: number | null
  tables_count: number | null
  server_version: string | null
  tool_name: string | null
  tool_version: string | null
  error: string | null
  runner_pid: number | null
  heartbeat_at: string | null
}

interface CopyRow {
  backup_id: string
  destination: string
  status: BackupCopy['status']
  location: string | null
  error: string | null
}

export type NewBackup = Pick<
  Backup,
  'id' | 'profileId' | 'profileName' | 'engine' | 'reason' | 'jobId' | 'label' | 'fileName' | 'format' | 'compression' | 'encryption' | 'options' | 'startedAt'
>

/** What a finished run records; everything optional because a failure may know little. */
export type BackupOutcome = Partial<
  Pick<Backup, 'sizeBytes' | 'rawBytes' | 'sha256' | 'tablesCount' | 'serverVersion' | 'toolName' | 'toolVersion' | 'error'>
> & { status: Exclude<BackupStatus, 'running'>; finishedAt: string; durationMs: number }

export interface RunningRow {
  id: string
  fileName: string
  runnerPid: number | null
  heartbeatAt: string | null
  destinations: string[]
}

function toBackup(row: BackupRow, copies: CopyRow[]): Backup {
  return {
    id: row.id,
    profileId: row.profile_id,
    profileName: row.profile_name,
    engine: row.engine,
    status: row.status,
    reason: row.reason,
    jobId: row.job_id,
    label: row.label,
    fileName: row.file_name,
    format: row.format,
    compression: row.compression,
    encryption: row.encryption,
    options: JSON.parse(row.options) as Backup['options'],
    sizeBytes: row.size_bytes,
    rawBytes: row.raw_bytes,
    sha256: row.sha256,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
    tablesCount: row.tables_count,
    serverVersion: row.server_version,
    toolName: row.tool_name,
    toolVersion: row.tool_version,
    error: row.error,
    copies: copies.map((c) => ({ destination: c.destination, status: c.status, location: c.location, error: c.error })),
  }
}

export class BackupsRepo {
  constructor(private readonly db: Db) {}

  insertRunning(b: NewBackup, destinations: string[], runnerPid: number): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO backups (id, profile_id, profile_name, engine, status, reason, job_id, label, file_name, format, compression,
             encryption, options, started_at, runner_pid, heartbeat_at)
           VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(b.id, b.profileId, b.profileName, b.engine, b.reason, b.jobId, b.label, b.fileName, b.format, b.compression, b.encryption, JSON.stringify(b.options), b.startedAt, runnerPid, b.startedAt)
      const copy = this.db.prepare("INSERT INTO backup_copies (backup_id, destination, status) VALUES (?, ?, 'running')")
      for (const d of destinations) copy.run(b.id, d)
    })()
  }

  /** A finished backup found at a destination (re-indexed from its manifest). */
  insertIndexed(b: NewBackup & Omit<BackupOutcome, 'status'>, copy: { destination: string; location: string }): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO backups (id, profile_id, profile_name, engine, status, reason, job_id, label, file_name, format, compression,
             encryption, options, started_at, finished_at, duration_ms, size_bytes, raw_bytes, sha256, tables_count,
             server_version, tool_name, tool_version)
           VALUES (?, ?, ?, ?, 'success', ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(b.id, b.profileId, b.profileName, b.engine, b.reason, b.label, b.fileName, b.format, b.compression, b.encryption, JSON.stringify(b.options), b.startedAt, b.finishedAt, b.durationMs, b.sizeBytes ?? null, b.rawBytes ?? null, b.sha256 ?? null, b.tablesCount ?? null, b.serverVersion ?? null, b.toolName ?? null, b.toolVersion ?? null)
      this.addCopy(b.id, copy.destination, copy.location)
    })()
  }

  /** Records (or revives) a stored copy at a destination. */
  addCopy(backupId: string, destination: string, location: string): void {
    this.db
      .prepare("INSERT INTO backup_copies (backup_id, destination, status, location) VALUES (?, ?, 'success', ?) ON CONFLICT(backup_id, destination) DO UPDATE SET status = 'success', location = excluded.location, error = NULL")
      .run(backupId, destination, location)
  }

  heartbeat(id: string, at: string): void {
    this.db.prepare("UPDATE backups SET heartbeat_at = ? WHERE id = ? AND status = 'running'").run(at, id)
  }

  updateCopy(backupId: string, destination: string, status: BackupCopy['status'], location: string | null, error: string | null = null): void {
    this.db.prepare('UPDATE backup_copies SET status = ?, location = ?, error = ? WHERE backup_id = ? AND destination = ?').run(status, location, error, backupId, destination)
  }

  /** Ends a running row; a row that is no longer running (e.g. marked interrupted) is left alone. */
  finish(id: string, o: BackupOutcome): void {
    this.db
      .prepare(
        `UPDATE backups SET status = ?, finished_at = ?, duration_ms = ?, size_bytes = ?, raw_bytes = ?, sha256 = ?,
           tables_count = ?, server_version = ?, tool_name = ?, tool_version = ?, error = ?, runner_pid = NULL
         WHERE id = ? AND status = 'running'`,
      )
      .run(o.status, o.finishedAt, o.durationMs, o.sizeBytes ?? null, o.rawBytes ?? null, o.sha256 ?? null, o.tablesCount ?? null, o.serverVersion ?? null, o.toolName ?? null, o.toolVersion ?? null, o.error ?? null, id)
    // Copies still marked running did not complete.
    this.db.prepare("UPDATE backup_copies SET status = 'failed', error = COALESCE(error, ?) WHERE backup_id = ? AND status = 'running'").run(o.error ?? o.status, id)
  }

  get(id: string): Backup | undefined {
    const row = this.db.prepare('SELECT * FROM backups WHERE id = ?').get(id) as BackupRow | undefined
    if (!row) return undefined
    return toBackup(row, this.db.prepare('SELECT * FROM backup_copies WHERE backup_id = ? ORDER BY destination').all(id) as CopyRow[])
  }

  list(filter: { profileId?: string; jobId?: string; status?: BackupStatus; limit: number }): Backup[] {
    const where: string[] = []
    const params: unknown[] = []
    if (filter.jobId) {
      where.push('job_id = ?')
      params.push(filter.jobId)
    }
    if (filter.profileId) {
      where.push('profile_id = ?')
      params.push(filter.profileId)
    }
    if (filter.status) {
      where.push('status = ?')
      params.push(filter.status)
    }
    const selected = `SELECT * FROM backups ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, id LIMIT ?`
    const rows = this.db.prepare(selected).all(...params, filter.limit) as BackupRow[]
    if (rows.length === 0) return []
    // One query for the copies of every listed row, not one per row: the UI lists 10,000 rows.
    const copies = new Map<string, CopyRow[]>()
    const copyRows = this.db
      .prepare(`SELECT c.* FROM backup_copies c JOIN (${selected}) b ON b.id = c.backup_id ORDER BY c.destination`)
      .all(...params, filter.limit) as CopyRow[]
    for (const c of copyRows) {
      const list = copies.get(c.backup_id) ?? []
      list.push(c)
      copies.set(c.backup_id, list)
    }
    return rows.map((r) => toBackup(r, copies.get(r.id) ?? []))
  }

  running(): RunningRow[] {
    const rows = this.db.prepare("SELECT id, file_name, runner_pid, heartbeat_at FROM backups WHERE status = 'running'").all() as Pick<
      BackupRow,
      'id' | 'file_name' | 'runner_pid' | 'heartbeat_at'
    >[]
    return rows.map((r) => ({
      id: r.id,
      fileName: r.file_name,
      runnerPid: r.runner_pid,
      heartbeatAt: r.heartbeat_at,
      destinations: (this.db.prepare('SELECT destination FROM backup_copies WHERE backup_id = ?').pluck().all(r.id) as string[]),
    }))
  }

  /** Ids starting with `prefix` (at most 2, enough to tell unique from ambiguous). */
  idsStartingWith(prefix: string): string[] {
    return this.db.prepare("SELECT id FROM backups WHERE substr(id, 1, ?) = ? LIMIT 2").pluck().all(prefix.length, prefix) as string[]
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM backups WHERE id = ?').run(id)
  }
}
