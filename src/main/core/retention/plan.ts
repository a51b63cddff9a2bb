import type { PruneDecision, Retention } from '../../../shared/job-model'
import { GRANULARITIES, bucketKey, localDateReader, parseInstant, type Granularity, type LocalDate } from './buckets'

/**
 * The retention planner: which backups of a job to keep and which to delete, and why. Pure (no I/O,
 * no clock), modelled on restic `forget`: a backup is kept if any rule keeps it. Safety rules on top:
 * only successful backups are ever deleted, the newest successful one is always kept, and a policy
 * that would delete every backup (a machine off for a month, a clock that jumped ahead) is refused.
 */

export interface RetentionCandidate {
  id: string
  fileName: string
  /** ISO 8601 instant (UTC). */
  startedAt: string
  status: 'running' | 'success' | 'failed' | 'cancelled' | 'interrupted'
}

export interface RetentionPlan {
  /** One per successful backup, newest first (unreadable start times last); other runs are not listed. */
  decisions: PruneDecision[]
  /** Set when the plan was refused: every decision is then `keep`. */
  refused: string | null
}

const DAY_MS = 86_400_000

interface Rules {
  keepLast: number
  keepDays: number
  gfs: Record<Granularity, number>
}

/** 0 or absent disables a rule (as in restic); the planner additionally rejects malformed counts. */
function rulesOf(policy: Retention, strict: boolean): Rules {
  const n = (name: string, v: number | undefined): number => {
    if (v === undefined) return 0
    if (!Number.isSafeInteger(v) || v < 0) {
      if (strict) throw new Error(`invalid retention policy: ${name} must be a whole number ≥ 0, got ${String(v)}`)
      return 0
    }
    return v
  }
  const g = policy.gfs
  return {
    keepLast: n('keepLast', policy.keepLast),
    keepDays: n('keepDays', policy.keepDays),
    gfs: { daily: n('gfs.daily', g?.daily), weekly: n('gfs.weekly', g?.weekly), monthly: n('gfs.monthly', g?.monthly), yearly: n('gfs.yearly', g?.yearly) },
  }
}

const days = (n: number): string => (n === 1 ? '1 day' : `${n} days`)
const newest = (n: number): string => (n === 1 ? 'the newest' : `the ${n} newest`)

export function retentionIsEmpty(policy: Retention): boolean {
  const r = rulesOf(policy, false)
  return r.keepLast === 0 && r.keepDays === 0 && GRANULARITIES.every((g) => r.gfs[g] === 0)
}

/** "keep the 5 newest; keep 30 days; GFS 7 daily, 4 weekly, 12 monthly, 1 yearly", or "keep everything". */
export function describeRetention(policy: Retention): string {
  const r = rulesOf(policy, false)
  const parts: string[] = []
  if (r.keepLast > 0) parts.push(`keep ${newest(r.keepLast)}`)
  if (r.keepDays > 0) parts.push(`keep ${days(r.keepDays)}`)
  const gfs = GRANULARITIES.filter((g) => r.gfs[g] > 0).map((g) => `${r.gfs[g]} ${g}`)
  if (gfs.length > 0) parts.push(`GFS ${gfs.join(', ')}`)
  return parts.length > 0 ? parts.join('; ') : 'keep everything'
}

interface Dated {
  backup: RetentionCandidate
  ms: number
  reasons: string[]
}

const decision = (b: RetentionCandidate, action: PruneDecision['action'], reasons: string[]): PruneDecision => ({
  backupId: b.id,
  fileName: b.fileName,
  startedAt: b.startedAt,
  action,
  reasons,
})

export function planRetention(backups: RetentionCandidate[], policy: Retention, now: Date, timeZone: string): RetentionPlan {
  const localDate = localDateReader(timeZone)
  const nowMs = now.getTime()
  if (!Number.isFinite(nowMs)) throw new Error('planRetention: `now` is an invalid Date')
  const rules = rulesOf(policy, true)

  // Only successful backups are candidates; anything else is neither deleted nor counted as a copy.
  const dated: Dated[] = []
  const unreadable: RetentionCandidate[] = []
  for (const b of backups.filter((x) => x.status === 'success')) {
    const ms = parseInstant(b.startedAt)
    if (ms === null) unreadable.push(b)
    else dated.push({ backup: b, ms, reasons: [] })
  }
  // Newest first; equal times fall back to the id so the result never depends on input order.
  dated.sort((a, b) => b.ms - a.ms || (a.backup.id < b.backup.id ? -1 : a.backup.id > b.backup.id ? 1 : 0))
  unreadable.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

  // Backups without a usable time cannot be ordered or bucketed, so no rule can judge them: keep.
  const unreadableKept = (lead: string[]): PruneDecision[] => unreadable.map((b) => decision(b, 'keep', [...lead, 'unreadable start time; kept']))
  const keepAll = (reason: string): PruneDecision[] => [...dated.map((d) => decision(d.backup, 'keep', [reason])), ...unreadableKept([reason])]
  if (retentionIsEmpty(policy)) return { decisions: keepAll('no retention policy'), refused: null }

  applyRules(dated, rules, nowMs, localDate)

  const first = dated[0]
  if (first && dated.every((d) => d.reasons.length === 0)) {
    const cause = rules.keepDays > 0 ? `older than ${days(rules.keepDays)}` : 'not selected by any rule'
    const when = new Date(first.ms).toISOString()
    const what = dated.length === 1 ? `the only backup (from ${when}, ${cause})` : `all ${dated.length} backups (the newest is from ${when}, ${cause})`
    return { decisions: keepAll('plan refused'), refused: `refused: the policy would delete ${what}; nothing is deleted — check the clock and the policy` }
  }
  first?.reasons.push('newest successful backup')

  const dropped = rules.keepDays > 0 ? `older than ${days(rules.keepDays)} and not selected by any rule` : 'not selected by any rule'
  return {
    decisions: [
      ...dated.map((d) => (d.reasons.length > 0 ? decision(d.backup, 'keep', d.reasons) : decision(d.backup, 'delete', [dropped]))),
      ...unreadableKept([]),
    ],
    refused: null,
  }
}

/** Adds each policy rule's reason to the backups it keeps; `dated` is sorted newest first. */
function applyRules(dated: Dated[], rules: Rules, nowMs: number, localDate: (ms: number) => LocalDate): void {
  const cutoff = nowMs - rules.keepDays * DAY_MS
  dated.forEach((d, i) => {
    if (i < rules.keepLast) d.reasons.push(`one of ${newest(rules.keepLast)}`)
    if (rules.keepDays > 0 && d.ms >= cutoff) d.reasons.push(`within ${days(rules.keepDays)}`)
    // A clock that went back (or another machine's clock) must not make fresh backups look deletable.
    if (d.ms > nowMs) d.reasons.push('dated after now (clock skew)')
  })
  const dates = dated.map((d) => localDate(d.ms))
  for (const g of GRANULARITIES) {
    // restic semantics: the newest backup of each of the last N buckets that have a backup. A Set,
    // not "differs from the previous one", because a zone that falls back at midnight repeats a date.
    const seen = new Set<string>()
    dated.forEach((d, i) => {
      const key = bucketKey(g, dates[i]!)
      if (seen.size >= rules.gfs[g] || seen.has(key)) return
      seen.add(key)
      d.reasons.push(`${g} ${key}`)
    })
  }
}
