import type { Backup } from '../../../shared/backup-model'
import type { HealthState, HealthSummary, OverallState, ProfileHealth } from '../../../shared/health-model'
import type { JobDefinition } from '../../../shared/job-model'
import type { Profile } from '../../../shared/model'
import { previousRuns } from '../scheduler/schedule-math'

/** A run may finish this long after its slot before the slot counts as missed (runs take time, machines wake late). */
export function slackFor(gapMs: number): number {
  return Math.max(60 * 60 * 1000, gapMs / 4)
}

export const SERIES_LENGTH = 60

export interface HealthInput {
  profiles: Profile[]
  /** Every history row (any order). */
  backups: Backup[]
  jobs: { definition: JobDefinition; createdAt: string }[]
  now: Date
}

const FAILED = new Set(['failed', 'interrupted'])
const FINISHED = new Set(['success', 'failed', 'interrupted'])
const finishedAt = (b: Backup) => b.finishedAt ?? b.startedAt

/**
 * The instant the newest good backup must be newer than, per job: with a maximum age, now minus it;
 * otherwise the latest slot that is more than `slack` in the past (slack = a quarter of the gap before
 * that slot, at least 1 h). Following the schedule itself means a weekday-only job is not stale on
 * Sunday, and an hourly one is stale after a missed hour. null: the job has had no slot yet.
 */
function deadlineFor(d: JobDefinition, createdAt: number, now: Date): number | null {
  if (d.maxAgeMs !== null) return now.getTime() - d.maxAgeMs
  const [latest, before] = previousRuns(d.schedule, d.timeZone, now, 2)
  if (!latest) return null
  const gap = before ? latest.getTime() - before.getTime() : 0
  const [slot] = previousRuns(d.schedule, d.timeZone, new Date(now.getTime() - slackFor(gap)), 1)
  // A slot from before the job existed expected nothing.
  return slot && slot.getTime() >= createdAt ? slot.getTime() : null
}

/** The strictest deadline of the profile's enabled jobs; monitored = it has at least one enabled job. */
function deadlineOf(jobs: HealthInput['jobs'], now: Date): { monitored: boolean; deadline: number | null } {
  let deadline: number | null = null
  let monitored = false
  for (const { definition: d, createdAt } of jobs) {
    if (!d.enabled) continue
    monitored = true
    const own = deadlineFor(d, Date.parse(createdAt), now)
    if (own !== null && (deadline === null || own > deadline)) deadline = own
  }
  return { monitored, deadline }
}

/** "12 min", "5.5 h", "3.2 d": ages in status reasons. */
function hours(ms: number): string {
  if (ms < 3_600_000) return `${Math.max(0, Math.round(ms / 60_000))} min`
  if (ms < 48 * 3_600_000) return `${Math.round(ms / 360_000) / 10} h`
  return `${Math.round(ms / 8_640_000) / 10} d`
}

function stateOf(h: Omit<ProfileHealth, 'state' | 'reason'>, running: boolean, newestFinished: Backup | undefined, monitored: boolean, now: Date): { state: HealthState; reason: string } {
  if (running) return { state: 'running', reason: 'a backup is running' }
  if (newestFinished && FAILED.has(newestFinished.status)) return { state: 'failing', reason: `the last backup ${newestFinished.status}: ${h.lastError ?? 'no message'}` }
  if (!monitored) return { state: 'unmonitored', reason: 'no scheduled job and no maximum age' }
  const age = h.lastSuccessAt === null ? null : now.getTime() - Date.parse(h.lastSuccessAt)
  if (h.maxAgeMs === null) {
    // No slot has come due yet (a job created moments ago).
    return age === null ? { state: 'ok', reason: 'waiting for the first scheduled run' } : { state: 'ok', reason: `the newest good backup is ${hours(Math.max(0, age))} old` }
  }
  if (age === null) return { state: 'stale', reason: `no successful backup yet (one was due ${hours(h.maxAgeMs)} ago)` }
  return age > h.maxAgeMs
    ? { state: 'stale', reason: `the newest good backup is ${hours(age)} old (allowed ${hours(h.maxAgeMs)})` }
    : { state: 'ok', reason: `the newest good backup is ${hours(Math.max(0, age))} old` }
}

export function profileHealth(profile: Profile, history: Backup[], jobs: HealthInput['jobs'], now: Date): ProfileHealth {
  // Safety backups before a restore may be of another database: they don't speak for this profile.
  const own = history.filter((b) => b.reason !== 'pre-restore').sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  const finished = own.filter((b) => FINISHED.has(b.status))
  const lastSuccess = finished.find((b) => b.status === 'success')
  const lastFailure = finished.find((b) => FAILED.has(b.status))
  const successes = finished.filter((b) => b.status === 'success')
  const { monitored, deadline } = deadlineOf(jobs, now)
  const maxAgeMs = deadline === null ? null : now.getTime() - deadline
  const base: Omit<ProfileHealth, 'state' | 'reason'> = {
    profileId: profile.id,
    name: profile.name,
    engine: profile.engine,
    tag: profile.tag ?? null,
    lastSuccessAt: lastSuccess ? finishedAt(lastSuccess) : null,
    lastFailureAt: lastFailure ? finishedAt(lastFailure) : null,
    lastError: lastFailure ? (lastFailure.error ?? lastFailure.status) : null,
    recentGood: lastSuccess !== undefined && (maxAgeMs === null || now.getTime() - Date.parse(finishedAt(lastSuccess)) <= maxAgeMs),
    maxAgeMs,
    jobs: jobs.map((j) => j.definition.name),
    stats: {
      count: own.length,
      successCount: successes.length,
      failedCount: finished.length - successes.length,
      successRate: finished.length ? successes.length / finished.length : null,
      totalBytes: successes.filter((b) => b.copies.some((c) => c.status === 'success')).reduce((sum, b) => sum + (b.sizeBytes ?? 0), 0),
      averageDurationMs: successes.length ? Math.round(successes.reduce((sum, b) => sum + (b.durationMs ?? 0), 0) / successes.length) : null,
    },
    series: own
      .filter((b) => b.status !== 'running')
      .slice(0, SERIES_LENGTH)
      .reverse()
      .map((b) => ({ at: b.startedAt, status: b.status, sizeBytes: b.sizeBytes, durationMs: b.durationMs })),
  }
  const running = history.some((b) => b.status === 'running')
  return { ...base, ...stateOf(base, running, finished[0], monitored, now) }
}

const SEVERITY: Record<OverallState, number> = { ok: 0, stale: 1, failing: 2, running: 3 }

/** Health of every profile and overall; unhealthy when any profile is stale or failing. */
export function healthSummary(input: HealthInput): HealthSummary {
  const byProfile = new Map<string, Backup[]>()
  for (const b of input.backups) {
    if (b.profileId === null) continue
    const list = byProfile.get(b.profileId)
    if (list) list.push(b)
    else byProfile.set(b.profileId, [b])
  }
  const profiles = input.profiles.map((p) =>
    profileHealth(
      p,
      byProfile.get(p.id) ?? [],
      input.jobs.filter((j) => j.definition.profileId === p.id),
      input.now,
    ),
  )
  // A running backup of a deleted profile still keeps the machine busy.
  const orphanRunning = input.backups.some((b) => b.status === 'running' && b.profileId === null)
  const overall = profiles.reduce<OverallState>((worst, p) => {
    const s: OverallState = p.state === 'unmonitored' ? 'ok' : p.state
    return SEVERITY[s] > SEVERITY[worst] ? s : worst
  }, orphanRunning ? 'running' : 'ok')
  return { overall, unhealthy: profiles.some((p) => p.state === 'stale' || p.state === 'failing'), generatedAt: input.now.toISOString(), profiles }
}
