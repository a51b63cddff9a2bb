import type { Logger } from '../logging/logger'
import type { ActivityRepo } from '../store/activity-repo'
import type { JobsRepo, StoredJob } from '../store/jobs-repo'
import type { Clock } from './clock'
import type { RunQueue } from './run-queue'
import { nextRunAfter, runsBetween } from './schedule-math'

/** A slot acted on later than this was missed (sleep, app closed): catch-up rules apply. */
export const GRACE_MS = 2 * 60_000

export interface SlotDeps {
  jobs: JobsRepo
  activity: ActivityRepo
  logger: Logger
  clock: Clock
  settings: { paused(): boolean }
  queue: RunQueue
  /** Tells the windows that run states / next runs changed. */
  changed(): void
}

const errorText = (e: unknown) => (e instanceof Error ? e.message : String(e))

/**
 * Brings one job's next due up to date and acts on a due slot it wins; returns the job's next due
 * (ms) for the wake timer. Never throws: one broken job must not stop the others.
 */
export function evaluateJob(deps: SlotDeps, job: StoredJob, now: Date): number | null {
  const { jobs } = deps
  const d = job.definition
  try {
    if (!d.enabled) {
      if (job.nextDueAt !== null && jobs.claimSlot(job.id, job.nextDueAt, null)) deps.changed()
      return null
    }
    const due = job.nextDueAt === null ? null : Date.parse(job.nextDueAt)
    if (due !== null && due > now.getTime()) return due
    const next = nextRunAfter(d.schedule, d.timeZone, now)
    if (due === null && next === null) return null // never runs: nothing to set
    // Compare-and-set: whoever moves next_due_at first owns the slot; the loser only re-reads.
    if (!jobs.claimSlot(job.id, job.nextDueAt, next?.toISOString() ?? null)) {
      const current = jobs.get(job.id)?.nextDueAt
      return current ? Date.parse(current) : null
    }
    deps.changed()
    if (due !== null) actOnSlot(deps, job, new Date(due), now)
    return next?.getTime() ?? null
  } catch (e) {
    deps.logger.error('could not schedule a job', { job: d.name, error: errorText(e) })
    return null
  }
}

/** A claimed slot: run it, catch it up once, or note why not. */
function actOnSlot(deps: SlotDeps, job: StoredJob, due: Date, now: Date): void {
  const d = job.definition
  const slot = due.toISOString()
  if (deps.settings.paused()) return note(deps, job, 'job.skip', { reason: 'schedules paused', slot })
  const late = now.getTime() - due.getTime() > GRACE_MS
  const missedSlots = late ? 1 + runsBetween(d.schedule, d.timeZone, due, now) : 0
  if (late && !d.catchUp) return note(deps, job, 'job.skip', { reason: 'missed while Lifeboat was not running; catch-up is off', slot, missedSlots })
  const r = deps.queue.submit(job, late ? 'catch-up' : 'schedule', () => {
    if (late) note(deps, job, 'job.catch-up', { reason: 'missed while Lifeboat was not running', missedSince: slot, missedSlots })
  })
  // Overrun: the slot is dropped, not stacked behind the run still going.
  if (!r.ok) note(deps, job, 'job.skip', { reason: 'the previous run is still running', slot, holderPid: r.holderPid })
}

function note(deps: SlotDeps, job: StoredJob, action: 'job.skip' | 'job.catch-up', detail: Record<string, unknown>): void {
  const { logger, activity, clock } = deps
  logger.info(action === 'job.skip' ? 'scheduled run skipped' : 'catching up a missed run', { job: job.definition.name, ...detail })
  try {
    activity.record({ origin: 'scheduler', action, subject: job.definition.name, outcome: 'ok', detail }, clock.now())
  } catch (e) {
    logger.error('could not record scheduler activity', { action, error: errorText(e) })
  }
}
