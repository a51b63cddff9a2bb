import { randomUUID } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import type { SchedulerState } from '../../../shared/scheduler-model'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import type { ActivityRepo } from '../store/activity-repo'
import type { JobsRepo, StoredJob } from '../store/jobs-repo'
import type { LockHolder, SchedulerLockRepo } from '../store/scheduler-lock-repo'
import type { Clock } from './clock'
import { RunQueue, type JobRunOutcome, type RunTrigger } from './run-queue'
import { evaluateJob, type SlotDeps } from './due-slots'

export type { JobRunOutcome, RunTrigger } from './run-queue'

/** The longest we sleep between looks at the store: edits by other processes are seen this soon. */
export const WAKE_MS = 30_000
export { GRACE_MS } from './due-slots'
/** A lock holder silent for three wakes is gone (crashed or hung). */
const STALE_WAKES = 3

export interface SchedulerDeps {
  jobs: JobsRepo
  lock: SchedulerLockRepo
  activity: ActivityRepo
  events: EventBus
  logger: Logger
  clock: Clock
  settings: { maxConcurrentRuns(): number; paused(): boolean }
  kind: 'desktop' | 'daemon'
  /** Default process.pid (tests give two schedulers different pids). */
  pid?: number
  /** The longest sleep between looks at the store; default WAKE_MS (tests simulating weeks raise it). */
  wakeMs?: number
  /** Runs one job to the end (backup, retention, notifications); must not reject. */
  runJob(job: StoredJob, trigger: RunTrigger): Promise<JobRunOutcome>
}

export type StartResult = { acquired: true } | { acquired: false; holder: LockHolder }

/**
 * Runs due jobs. The persisted next_due_at is the truth; timers only wake us. Each due slot is
 * claimed with a compare-and-set, so of two schedulers looking at the same slot only one acts, and
 * a slot is consumed once however long we were away (one catch-up, not one per missed slot).
 */
export class Scheduler {
  private readonly token = randomUUID()
  private readonly pid: number
  private readonly wakeMs: number
  private readonly staleMs: number
  private readonly queue: RunQueue
  private readonly slotDeps: SlotDeps
  private started = false
  private owner = false
  private cancelTimer: (() => void) | null = null
  private waking = false
  private wakeAgain = false

  constructor(private readonly deps: SchedulerDeps) {
    this.pid = deps.pid ?? process.pid
    this.wakeMs = deps.wakeMs ?? WAKE_MS
    this.staleMs = STALE_WAKES * this.wakeMs
    this.queue = new RunQueue({ ...deps, owner: { token: this.token, pid: this.pid }, maxConcurrentRuns: () => deps.settings.maxConcurrentRuns() })
    this.slotDeps = { ...deps, queue: this.queue, changed: () => this.changed() }
  }

  /** Not acquired: standby, retrying every wakeMs until the holder is gone. */
  start(): StartResult {
    this.started = true
    return this.wake()
  }

  /** Cancels timers, drops queued runs, releases the lock; resolves when in-flight runs have settled. */
  async stop(): Promise<void> {
    this.started = false
    this.clearTimer()
    this.queue.dropQueued()
    if (this.owner) {
      this.owner = false
      this.deps.lock.release(this.token)
      this.deps.logger.info('scheduler stopped', { pid: this.pid })
      this.changed()
    }
    await this.queue.settled()
  }

  /** OS resume: catch up what the sleep missed and re-arm. */
  resume(): void {
    this.safeWake()
  }

  /** Jobs changed in this process: look again now. */
  refresh(): void {
    this.safeWake()
  }

  /** A manual run through the same queue (works without start(), e.g. `lifeboat job run`). */
  runNow(jobId: string): 'running' | 'queued' {
    const job = this.deps.jobs.get(jobId)
    if (!job) throw new AppError('NOT_FOUND', `no job with id "${jobId}"`, 'id')
    const r = this.queue.submit(job, 'manual')
    if (!r.ok) throw new AppError('CONFLICT', `job "${job.definition.name}" is already running (pid ${r.holderPid ?? 'unknown'})`)
    return r.state
  }

  state(): SchedulerState {
    const h = this.deps.lock.holder()
    const owner = !h ? 'none' : h.token === this.token ? 'this' : this.deps.lock.isLive(h, this.deps.clock.now(), this.staleMs) ? 'other' : 'none'
    return {
      owner,
      ownerPid: owner === 'none' ? null : h!.pid,
      ownerKind: owner === 'none' ? null : h!.kind,
      paused: this.deps.settings.paused(),
      maxConcurrentRuns: this.deps.settings.maxConcurrentRuns(),
      running: this.queue.running,
      queued: this.queue.queued,
    }
  }

  whenIdle(): Promise<void> {
    return this.queue.whenIdle()
  }

  /** For timers and callers that must not fail: a store error is logged and retried at the next wake. */
  private safeWake(): void {
    if (!this.started) return
    try {
      this.wake()
    } catch (e) {
      this.deps.logger.error('scheduler wake failed; retrying', { error: e instanceof Error ? e.message : String(e) })
      this.arm(this.deps.clock.now().getTime() + this.wakeMs)
    }
  }

  private wake(): StartResult {
    // A wake triggered from inside a wake (a run's side effects) runs once the current one ends.
    if (this.waking) {
      this.wakeAgain = true
      return { acquired: true }
    }
    this.waking = true
    try {
      let result = this.wakeOnce()
      while (this.wakeAgain && this.started) {
        this.wakeAgain = false
        result = this.wakeOnce()
      }
      return result
    } finally {
      this.waking = false
      this.wakeAgain = false
    }
  }

  private wakeOnce(): StartResult {
    this.clearTimer()
    const { lock, logger, clock } = this.deps
    const now = clock.now()
    if (!this.started) return { acquired: true }
    if (this.owner && !lock.heartbeat(this.token, now)) {
      this.owner = false
      logger.warn('scheduler lock taken over by another process; standing by', { pid: this.pid, holder: lock.holder()?.pid })
      this.changed()
    }
    if (!this.owner) {
      const r = lock.acquire({ token: this.token, pid: this.pid, kind: this.deps.kind }, now, this.staleMs)
      if (!r.acquired) {
        this.arm(now.getTime() + this.wakeMs)
        return r
      }
      this.owner = true
      logger.info('scheduler lock acquired', { pid: this.pid, kind: this.deps.kind })
      this.changed()
    }
    let earliest = now.getTime() + this.wakeMs
    try {
      this.deps.jobs.resetDeadRunStates({ token: this.token, pid: this.pid })
      for (const job of this.deps.jobs.list()) {
        const next = evaluateJob(this.slotDeps, job, now)
        if (next !== null && next > now.getTime()) earliest = Math.min(earliest, next)
      }
    } catch (e) {
      logger.error('scheduler could not read the jobs', { error: e instanceof Error ? e.message : String(e) })
    }
    this.arm(earliest)
    return { acquired: true }
  }

  private arm(at: number): void {
    this.clearTimer()
    this.cancelTimer = this.deps.clock.setTimer(new Date(at), () => {
      this.cancelTimer = null
      this.safeWake()
    })
  }

  private clearTimer(): void {
    this.cancelTimer?.()
    this.cancelTimer = null
  }

  private changed(): void {
    this.deps.events.emit({ type: 'jobs.changed' })
  }
}
