import type { Origin } from '../../../shared/model'
import type { Db } from './open-store'

export interface ActivityEntry {
  origin: Origin
  action: string // e.g. "profile.create"
  subject: string // what it was done to, e.g. the profile name
  outcome: 'ok' | 'failed'
  detail?: Record<string, unknown>
}

export class ActivityRepo {
  constructor(private readonly db: Db) {}

  record(entry: ActivityEntry, now = new Date()): void {
    this.db
      .prepare('INSERT INTO activity (at, origin, action, subject, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(now.toISOString(), entry.origin, entry.action, entry.subject, entry.outcome, entry.detail ? JSON.stringify(entry.detail) : null)
  }

  recent(limit = 100): (ActivityEntry & { id: number; at: string })[] {
    const rows = this.db.prepare('SELECT * FROM activity ORDER BY id DESC LIMIT ?').all(limit) as {
      id: number
      at: string
      origin: Origin
      action: string
      subject: string
      outcome: 'ok' | 'failed'
      detail: string | null
    }[]
    return rows.map(({ detail, ...r }) => (detail ? { ...r, detail: JSON.parse(detail) as Record<string, unknown> } : r))
  }
}
