import { z } from 'zod'

/** The activity log: every backup, restore, delete, prune, settings, profile and job change. */

export const ORIGINS = ['ui', 'cli', 'scheduler'] as const
export const OUTCOMES = ['ok', 'failed'] as const

export const activityEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  origin: z.enum(ORIGINS),
  /** domain.verb: backup.run, backup.delete, backup.prune, restore.run, job.create, settings.update... */
  action: z.string(),
  /** What it was done to: a profile, job or backup name. */
  subject: z.string(),
  outcome: z.enum(OUTCOMES),
  detail: z.record(z.string(), z.unknown()).optional(),
})
export type ActivityEntryView = z.infer<typeof activityEntrySchema>

export const activityFilterSchema = z
  .object({
    origin: z.enum(ORIGINS).optional(),
    outcome: z.enum(OUTCOMES).optional(),
    /** The domain (backup, restore, job...) or a full action (backup.prune). */
    action: z.string().max(64).optional(),
    /** Substring of the subject or the detail, case-insensitive. */
    search: z.string().max(200).optional(),
    /** ISO timestamps. */
    since: z.string().datetime({ offset: true }).optional(),
    until: z.string().datetime({ offset: true }).optional(),
    limit: z.number().int().min(1).max(10_000).default(1000),
  })
  .strict()
export type ActivityFilter = z.input<typeof activityFilterSchema>
