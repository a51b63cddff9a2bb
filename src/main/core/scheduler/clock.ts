import { scheduleJob, type Job } from 'node-schedule'

/** The scheduler's only source of time, so tests can drive it with a fake clock. */
export interface Clock {
  now(): Date
  /** Calls fn once at `at` (soon, when `at` has passed); returns a function that cancels it. */
  setTimer(at: Date, fn: () => void): () => void
}

/**
 * Real time. node-schedule handles waits longer than setTimeout's 24.8-day limit (a monthly job);
 * it refuses dates already past, which fire on the next turn instead.
 */
export function systemClock(): Clock {
  return {
    now: () => new Date(),
    setTimer(at, fn) {
      // scheduleJob is typed as always returning a Job but returns null for a date in the past.
      const job = at.getTime() > Date.now() ? (scheduleJob(at, fn) as Job | null) : null
      if (job) return () => void job.cancel()
      const t = setTimeout(fn, 0)
      return () => clearTimeout(t)
    },
  }
}
