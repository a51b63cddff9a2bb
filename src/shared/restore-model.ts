import { z } from 'zod'
import { tableNameSchema } from './backup-model'
import { ERROR_CODES } from './errors'
import { TAGS } from './model'

/** Restores: request, plan (dry run), result. */

export const restoreOptionsSchema = z
  .object({
    /** Target database; default: the target profile's own database (SQLite: a file path). */
    database: z.string().min(1).max(4096).optional(),
    createDatabase: z.boolean().default(false),
    dropExisting: z.boolean().default(false),
    schemaOnly: z.boolean().default(false),
    dataOnly: z.boolean().default(false),
    /** Names as listed in the backup's manifest. */
    tables: z.array(tableNameSchema).max(10_000).optional(),
    /** A safety backup of the target first (reason pre-restore); on by default. */
    safetyBackup: z.boolean().default(true),
  })
  .refine((o) => !(o.schemaOnly && o.dataOnly), { message: 'choose schema only or data only, not both', path: ['dataOnly'] })
export type RestoreOptionsInput = z.input<typeof restoreOptionsSchema>
export type RestoreOptions = z.output<typeof restoreOptionsSchema>

export const restoreRequestSchema = z
  .object({
    backupId: z.string().min(1, 'choose a backup'),
    targetProfileId: z.string().min(1, 'choose a target profile'),
    options: restoreOptionsSchema.optional(),
    /** Must equal the target database name exactly (never pre-filled by the UI). */
    confirm: z.string(),
    /** Required in addition when the target profile is tagged production. */
    confirmProduction: z.boolean().default(false),
    /** For encrypted backups: the passphrase, or an age identity (AGE-SECRET-KEY-1…). Never stored. */
    decrypt: z.union([z.object({ passphrase: z.string().min(1) }), z.object({ identity: z.string().min(1) })]).optional(),
  })
  .strict()
export type RestoreRequestInput = z.input<typeof restoreRequestSchema>

export const restorePlanSchema = z.object({
  backup: z.object({ id: z.string(), fileName: z.string(), profileName: z.string(), startedAt: z.string(), sizeBytes: z.number().nullable(), engine: z.string() }),
  target: z.object({ profileId: z.string(), profileName: z.string(), tag: z.enum(TAGS).nullable(), database: z.string(), exists: z.boolean() }),
  /** Human steps in order: verify, create, safety backup, drop, restore. */
  steps: z.array(z.string()),
  /** The exact commands that will run, secrets masked. */
  commands: z.array(z.string()),
  /** Bytes the restore will read (the dump before compression when known). */
  estimatedBytes: z.number().nullable(),
  warnings: z.array(z.string()),
})
export type RestorePlan = z.infer<typeof restorePlanSchema>

export const restoreResultSchema = z.object({
  id: z.string(),
  status: z.enum(['success', 'failed', 'cancelled']),
  durationMs: z.number(),
  safetyBackupId: z.string().nullable(),
  /** For engines without transactional DDL (MySQL): the target was put back from the safety backup. */
  rolledBack: z.boolean(),
  error: z.string().nullable(),
  /** What kind of failure (INTEGRITY, RESTORE_FAILED, AUTH_FAILED...), null on success. */
  errorCode: z.enum(ERROR_CODES).nullable(),
})
export type RestoreResult = z.infer<typeof restoreResultSchema>

export const RESTORE_PHASES = ['verifying', 'safety-backup', 'restoring', 'rolling-back', 'finishing'] as const
export const restoreProgressSchema = z.object({
  restoreId: z.string(),
  phase: z.enum(RESTORE_PHASES),
  bytes: z.number(),
  totalBytes: z.number().nullable(),
  elapsedMs: z.number(),
})
export type RestoreProgress = z.infer<typeof restoreProgressSchema>
