import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import type { JobsRepo, RunOwner, StoredJob } from '../store/jobs-repo'
import type { Clock } from './clock'

export type RunTrigger = 'schedule' | 'catch-up' | 'manual'
/** status: success | failed | cancelled | ... (the backup's status). */
export interface JobRunOutcome {
  backupId: string | null
  status: string
}
export type RunJob = (job: StoredJob, trigger: RunTrigger) => Promise<JobRunOutcome>

export interface RunQueueDeps {
  jobs: JobsRepo
  events: EventBus
  logger: Logger
  clock: Clock
  owner: RunOwner
  maxConcurrentRuns(): number
  runJob: RunJob
}

export type SubmitResult = { ok: true; state: 'running' | 'queued' } | { ok: false; holderPid: number | null }

interface Waiting {
  jobId: string
  trigger: RunTrigger
}

/**
 * Runs jobs under the concurrency limit, one run per job at a time. The repo's run_state mirrors
 * this queue (queued / running, owned by our token and pid) so other processes see it and refuse to start
 * the same job; a job already held here or by another live process is refused, never stacked.
 */
export class RunQueue {
  private readonly active = new Map<string, Promise<void>>()
  private waiting: Waiting[] = []
  private idleWaiters: (() => void)[] = []

  constructor(private readonly deps: RunQueueDeps) {}

  get running(): number {
    return this.active.size
  }

  get queued(): number {
    return this.waiting.length
  }

  /** `accepted` is called once the job is reserved, before its run starts (for activity order). */
  submit(job: StoredJob, trigger: RunTrigger, accepted?: () => void): SubmitResult {
    if (this.active.has(job.id) || this.waiting.some((w) => w.jobId === job.id)) return { ok: false, holderPid: this.deps.owner.pid }
    const free = this.running < this.limit()
    const begun = this.deps.jobs.tryBeginRun(job.id, free ? 'running' : 'queued', this.deps.owner)
    if (!begun.ok) return begun
    accepted?.()
    if (free) this.start(job, trigger)
    else this.waiting.push({ jobId: job.id, trigger })
    this.changed()
    return { ok: true, state: free ? 'running' : 'queued' }
  }

  /** Queued runs go back to idle without running (shutdown). */
  dropQueued(): void {
    const dropped = this.waiting
    this.waiting = []
    for (const w of dropped) this.deps.jobs.releaseRun(w.jobId, this.deps.owner)
    if (dropped.length) this.changed()
    this.notifyIfIdle()
  }

  /** Resolves when every run started so far has ended. */
  async settled(): Promise<void> {
    while (this.active.size) await Promise.all(this.active.values())
  }

  whenIdle(): Promise<void> {
    if (!this.active.size && !this.waiting.length) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  private limit(): number {
    return Math.max(1, Math.floor(this.deps.maxConcurrentRuns()))
  }

  private start(job: StoredJob, trigger: RunTrigger): void {
    const { jobs, logger, clock, owner } = this.deps
    const run = (async () => {
      let outcome: JobRunOutcome
      try {
        outcome = await this.deps.runJob(job, trigger)
      } catch (e) {
        // runJob must not reject; if it does, the run still ends (as failed) and frees its slot.
        logger.error('job run threw', { job: job.definition.name, trigger, error: e instanceof Error ? e.message : String(e) })
        outcome = { backupId: null, status: 'failed' }
      }
      try {
        jobs.endRun(job.id, owner, { at: clock.now().toISOString(), backupId: outcome.backupId, status: outcome.status })
      } catch (e) {
        logger.error('could not record the end of a job run', { job: job.definition.name, error: String(e) })
      }
    })().finally(() => {
      this.active.delete(job.id)
      this.changed()
      try {
        this.pump()
      } catch (e) {
        logger.error('could not start the next queued job run', { error: String(e) })
      }
    })
    this.active.set(job.id, run)
  }

  /** Starts queued runs while there is room, oldest first, with the job as it is now. */
  private pump(): void {
    while (this.waiting.length && this.running < this.limit()) {
      const next = this.waiting.shift()!
      try {
        const job = this.deps.jobs.get(next.jobId)
        if (!job) continue // deleted while it waited
        this.deps.jobs.markRunning(job.id, this.deps.owner)
        this.start(job, next.trigger)
      } catch (e) {
        this.deps.logger.error('could not start a queued job run', { jobId: next.jobId, error: String(e) })
        this.deps.jobs.releaseRun(next.jobId, this.deps.owner)
      }
      this.changed()
    }
    this.notifyIfIdle()
  }

  private notifyIfIdle(): void {
    if (!this.active.size && !this.waiting.length) {
      const waiters = this.idleWaiters
      this.idleWaiters = []
      for (const resolve of waiters) resolve()
    }
  }

  private changed(): void {
    this.deps.events.emit({ type: 'jobs.changed' })
  }
}
