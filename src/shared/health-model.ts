import { z } from 'zod'
import { BACKUP_STATUSES } from './backup-model'
import { ENGINES, TAGS } from './model'

/**
 * Health per profile, derived from history and the profile's jobs. The tray, the Dashboard and
 * `lifeboat status` all read this one summary.
 *
 * ok: the newest finished backup succeeded and is recent enough. stale: no good backup within the
 * allowed age. failing: the newest finished backup failed. running: a backup is in flight.
 * unmonitored: no job and no maximum age, so there is no expectation to miss (e.g. a staging target).
 */
export const HEALTH_STATES = ['ok', 'stale', 'failing', 'running', 'unmonitored'] as const
export type HealthState = (typeof HEALTH_STATES)[number]

export const healthPointSchema = z.object({
  at: z.string(),
  status: z.enum(BACKUP_STATUSES),
  sizeBytes: z.number().nullable(),
  durationMs: z.number().nullable(),
})
export type HealthPoint = z.infer<typeof healthPointSchema>

export const profileHealthSchema = z.object({
  profileId: z.string(),
  name: z.string(),
  engine: z.enum(ENGINES),
  tag: z.enum(TAGS).nullable(),
  state: z.enum(HEALTH_STATES),
  /** Why the state is what it is, in one sentence. */
  reason: z.string(),
  lastSuccessAt: z.string().nullable(),
  lastFailureAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** The newest good backup is younger than maxAgeMs. */
  recentGood: z.boolean(),
  /**
   * Allowed age of the newest good backup right now: the job's maximum age, or the time since the
   * latest slot that should have produced one (so it follows the schedule). null when unmonitored or
   * when no slot has come due yet.
   */
  maxAgeMs: z.number().nullable(),
  jobs: z.array(z.string()),
  stats: z.object({
    count: z.number(),
    successCount: z.number(),
    failedCount: z.number(),
    /** 0..1 over finished manual and scheduled runs; null when there are none. */
    successRate: z.number().nullable(),
    /** Bytes currently stored by successful backups. */
    totalBytes: z.number(),
    averageDurationMs: z.number().nullable(),
  }),
  /** Oldest first, the newest 60 finished runs: size and duration over time for the chart. */
  series: z.array(healthPointSchema),
})
export type ProfileHealth = z.infer<typeof profileHealthSchema>

/** Overall: running wins while anything runs, then the worst of failing > stale > ok. */
export const OVERALL_STATES = ['ok', 'stale', 'failing', 'running'] as const
export type OverallState = (typeof OVERALL_STATES)[number]

export const healthSummarySchema = z.object({
  overall: z.enum(OVERALL_STATES),
  /** True when `lifeboat status` exits 3: any profile stale or failing. */
  unhealthy: z.boolean(),
  generatedAt: z.string(),
  profiles: z.array(profileHealthSchema),
})
export type HealthSummary = z.infer<typeof healthSummarySchema>
