import { z } from 'zod'
import { COMPRESSIONS, FORMATS, encryptionSchema } from './backup-model'
import { profileNameSchema } from './model'

/** Scheduled jobs: what to back up, when, where, how long to keep it, and whom to tell. */

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const
export type Weekday = (typeof WEEKDAYS)[number]

const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a time as HH:MM (00:00–23:59)')

/** An IANA time zone name that this runtime knows (Europe/Berlin, America/New_York, UTC). */
export const timeZoneSchema = z
  .string()
  .min(1, 'a time zone is required')
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz })
      return true
    } catch {
      return false
    }
  }, 'expected an IANA time zone such as Europe/Berlin or UTC')

/**
 * cron: 5 fields (minute hour day month weekday) or 6 with seconds first; the expression is checked
 * for real by the scheduler (jobs.preview), which knows the parser.
 */
export const scheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('cron'), expression: z.string().trim().min(1, 'a cron expression is required').max(200) }),
  z.object({ kind: z.literal('daily'), time: timeOfDaySchema }),
  z.object({ kind: z.literal('weekly'), day: z.enum(WEEKDAYS), time: timeOfDaySchema }),
  /** day 1–28, or "last" for the last day of every month (29–31 would skip short months). */
  z.object({
    kind: z.literal('monthly'),
    day: z.union([z.number().int().min(1, 'expected a day 1–28 or "last"').max(28, 'expected a day 1–28 or "last"'), z.literal('last')]),
    time: timeOfDaySchema,
  }),
])
export type Schedule = z.infer<typeof scheduleSchema>

const count = (max: number) => z.number().int('expected a whole number').min(0, 'expected 0 or more').max(max, `at most ${max}`)

/**
 * Retention: every rule given keeps what it selects; a backup is kept if any rule keeps it (restic's
 * `forget` semantics). No rule at all keeps everything.
 */
export const retentionSchema = z
  .object({
    keepLast: count(10_000).optional(),
    keepDays: count(36_500).optional(),
    gfs: z
      .object({ daily: count(3650), weekly: count(520), monthly: count(1200), yearly: count(100) })
      .strict()
      .optional(),
  })
  .strict()
export type Retention = z.infer<typeof retentionSchema>

export const jobBackupOptionsSchema = z
  .object({
    compression: z.enum(COMPRESSIONS).default('zstd'),
    format: z.enum(FORMATS).optional(),
    /** Passphrase encryption keeps the passphrase in the SecretStore (write-only, like passwords). */
    encryption: encryptionSchema.nullable().default(null),
    timeoutMs: z.number().int().positive().optional(),
    maxBytes: z.number().int().positive().optional(),
  })
  .strict()
export type JobBackupOptions = z.output<typeof jobBackupOptionsSchema>

/** Desktop notifications go through the shell; Slack/webhook URLs are secrets (write-only). */
export const notificationRulesSchema = z
  .object({
    desktop: z.boolean().default(true),
    /** Failures always notify on every configured channel; successes only when this is on. */
    onSuccess: z.boolean().default(false),
  })
  .strict()
export type NotificationRules = z.output<typeof notificationRulesSchema>

export const webhookUrlSchema = z
  .string()
  .trim()
  .max(2048)
  .url('expected an http(s) URL')
  .refine((u) => /^https?:\/\//i.test(u), 'expected an http(s) URL')

export const jobNameSchema = profileNameSchema

export const jobInputSchema = z
  .object({
    name: jobNameSchema,
    profileId: z.string().min(1, 'choose a profile'),
    /** Destination names; the built-in one is "local". */
    destinations: z.array(z.string().min(1)).min(1, 'choose at least one destination').max(16).default(['local']),
    schedule: scheduleSchema,
    timeZone: timeZoneSchema,
    enabled: z.boolean().default(true),
    /** After downtime (sleep, app closed) run once at start-up / resume instead of waiting for the next slot. */
    catchUp: z.boolean().default(true),
    retention: retentionSchema.default({}),
    options: jobBackupOptionsSchema.default({ compression: 'zstd', encryption: null }),
    notify: notificationRulesSchema.default({ desktop: true, onSuccess: false }),
    /** Health: the newest good backup must be younger than this; default = the schedule's interval plus slack. */
    maxAgeMs: z.number().int().positive().nullable().default(null),
    /** After each successful run restore it into a scratch database on this profile and compare row counts. */
    testRestoreProfileId: z.string().min(1).nullable().default(null),
  })
  .strict()
export type JobInput = z.input<typeof jobInputSchema>
export type JobDefinition = z.output<typeof jobInputSchema>

/** Secrets of a job, passed beside the definition: undefined keeps, null removes, a string replaces. */
export const jobSecretsSchema = z
  .object({
    slackWebhookUrl: webhookUrlSchema.nullable().optional(),
    webhookUrl: webhookUrlSchema.nullable().optional(),
    passphrase: z.string().min(1).max(1024).nullable().optional(),
  })
  .strict()
export type JobSecrets = z.infer<typeof jobSecretsSchema>

/** idle, queued (waiting for a free slot under the concurrency limit) or running. */
export const JOB_RUN_STATES = ['idle', 'queued', 'running'] as const
export type JobRunState = (typeof JOB_RUN_STATES)[number]

export const jobSchema = z.object({
  id: z.string(),
  name: z.string(),
  profileId: z.string(),
  profileName: z.string(),
  destinations: z.array(z.string()),
  schedule: scheduleSchema,
  timeZone: z.string(),
  enabled: z.boolean(),
  catchUp: z.boolean(),
  retention: retentionSchema,
  options: jobBackupOptionsSchema,
  notify: notificationRulesSchema,
  maxAgeMs: z.number().nullable(),
  testRestoreProfileId: z.string().nullable(),
  hasSlackWebhook: z.boolean(),
  hasWebhook: z.boolean(),
  hasPassphrase: z.boolean(),
  /** "At 00:00, every day (Europe/Berlin)". */
  description: z.string(),
  nextDueAt: z.string().nullable(),
  runState: z.enum(JOB_RUN_STATES),
  lastRunAt: z.string().nullable(),
  lastBackupId: z.string().nullable(),
  lastStatus: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
})
export type Job = z.infer<typeof jobSchema>

/** What the form shows while typing: the schedule in words and the next runs, or why it is invalid. */
export const schedulePreviewSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), description: z.string(), nextRuns: z.array(z.string()), intervalMs: z.number().nullable() }),
  z.object({ ok: z.literal(false), error: z.string() }),
])
export type SchedulePreview = z.infer<typeof schedulePreviewSchema>

/** One backup in a retention plan: kept or deleted, and why. */
export const pruneDecisionSchema = z.object({
  backupId: z.string(),
  fileName: z.string(),
  startedAt: z.string(),
  action: z.enum(['keep', 'delete']),
  reasons: z.array(z.string()),
})
export type PruneDecision = z.infer<typeof pruneDecisionSchema>

export const prunePlanSchema = z.object({
  jobId: z.string(),
  jobName: z.string(),
  destination: z.string(),
  decisions: z.array(pruneDecisionSchema),
  /** Set when the plan was refused (it would delete every backup): nothing is deleted. */
  refused: z.string().nullable(),
})
export type PrunePlan = z.infer<typeof prunePlanSchema>
