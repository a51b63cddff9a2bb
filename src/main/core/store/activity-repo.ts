import type { ActivityEntryView, ActivityFilter } from '../../../shared/activity-model'
import type { Origin } from '../../../shared/model'
import type { Db } from './open-store'

export interface ActivityEntry {
  origin: Origin
  action: string // e.g. "profile.create"
  subject: string // what it was done to, e.g. the profile name
  outcome: 'ok' | 'failed'
  detail?: Record<string, unknown>
}

interface ActivityRow {
  id: number
  at: string
  origin: Origin
  action: string
  subject: string
  outcome: 'ok' | 'failed'
  detail: string | null
}

const toView = ({ detail, ...r }: ActivityRow): ActivityEntryView => (detail ? { ...r, detail: JSON.parse(detail) as Record<string, unknown> } : r)

/** For LIKE ... ESCAPE '\\': the user's text taken literally (% and _ are not wildcards). */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`)

export class ActivityRepo {
  constructor(
    private readonly db: Db,
    /** Told after every new entry (the Activity page refreshes on it). */
    private readonly onRecord?: () => void,
  ) {}

  record(entry: ActivityEntry, now = new Date()): void {
    this.db
      .prepare('INSERT INTO activity (at, origin, action, subject, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)')
      .run(now.toISOString(), entry.origin, entry.action, entry.subject, entry.outcome, entry.detail ? JSON.stringify(entry.detail) : null)
    this.onRecord?.()
  }

  recent(limit = 100): ActivityEntryView[] {
    return this.list({ limit })
  }

  /** Newest first. `action` matches a domain ("backup") or a full action ("backup.prune"). */
  list(filter: ActivityFilter = {}): ActivityEntryView[] {
    const clauses: [string, unknown[]][] = []
    if (filter.origin) clauses.push(['origin = ?', [filter.origin]])
    if (filter.outcome) clauses.push(['outcome = ?', [filter.outcome]])
    if (filter.action) clauses.push(["(action = ? OR action LIKE ? ESCAPE '\\')", [filter.action, `${escapeLike(filter.action)}.%`]])
    if (filter.search) clauses.push(["(subject LIKE ? ESCAPE '\\' OR detail LIKE ? ESCAPE '\\')", [`%${escapeLike(filter.search)}%`, `%${escapeLike(filter.search)}%`]])
    if (filter.since) clauses.push(['at >= ?', [new Date(filter.since).toISOString()]])
    if (filter.until) clauses.push(['at <= ?', [new Date(filter.until).toISOString()]])
    const where = clauses.map(([c]) => c)
    const params = clauses.flatMap(([, p]) => p)
    const sql = `SELECT * FROM activity ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`
    return (this.db.prepare(sql).all(...params, filter.limit ?? 1000) as ActivityRow[]).map(toView)
  }
}
