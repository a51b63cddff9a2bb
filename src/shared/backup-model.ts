import { z } from 'zod'
import { ENGINES } from './model'

/** Backups: options, history rows and progress. Zod schemas are the source of truth. */

export const BACKUP_STATUSES = ['running', 'success', 'failed', 'cancelled', 'interrupted'] as const
export type BackupStatus = (typeof BACKUP_STATUSES)[number]

export const COMPRESSIONS = ['zstd', 'gzip', 'none'] as const
export type Compression = (typeof COMPRESSIONS)[number]

/** custom = pg_dump -Fc; plain = SQL text; sqlite = a .sqlite database file. */
export const FORMATS = ['custom', 'plain', 'sqlite'] as const
export type BackupFormat = (typeof FORMATS)[number]

export const BACKUP_REASONS = ['manual', 'scheduled', 'pre-restore'] as const
export type BackupReason = (typeof BACKUP_REASONS)[number]

/** An age X25519 recipient, as printed by `age-keygen -y`. */
export const ageRecipientSchema = z.string().regex(/^age1[023456789acdefghjklmnpqrstuvwxyz]{58}$/, 'expected an age X25519 recipient (age1…)')

export const encryptionSchema = z.discriminatedUnion('kind', [
  /** The passphrase itself travels separately (never stored, never in history). */
  z.object({ kind: z.literal('passphrase') }),
  z.object({ kind: z.literal('recipient'), recipient: ageRecipientSchema }),
])
export type EncryptionChoice = z.infer<typeof encryptionSchema>

export const tableNameSchema = z.string().min(1).max(512)

export const backupOptionsSchema = z
  .object({
    compression: z.enum(COMPRESSIONS).default('zstd'),
    /** Default by engine: postgres custom, mysql plain, sqlite sqlite. */
    format: z.enum(FORMATS).optional(),
    schemaOnly: z.boolean().default(false),
    dataOnly: z.boolean().default(false),
    /** Table names as listed by backups.tables (schema-qualified for PostgreSQL: "public.film"). */
    tables: z.array(tableNameSchema).max(10_000).optional(),
    /** Free text shown in history and, slugified, in the file name. */
    label: z.string().trim().max(100, 'at most 100 characters').optional(),
    encryption: encryptionSchema.nullable().default(null),
    /** Fail the backup when it runs longer than this. */
    timeoutMs: z.number().int().positive().optional(),
    /** Fail the backup when the stored file would exceed this many bytes. */
    maxBytes: z.number().int().positive().optional(),
  })
  .refine((o) => !(o.schemaOnly && o.dataOnly), { message: 'choose schema only or data only, not both', path: ['dataOnly'] })
export type BackupOptionsInput = z.input<typeof backupOptionsSchema>
export type BackupOptions = z.output<typeof backupOptionsSchema>

export const copySchema = z.object({
  destination: z.string(),
  status: z.enum(['running', 'success', 'failed', 'deleted']),
  /** Where the file is, as the destination describes it (a path, s3://bucket/key...). */
  location: z.string().nullable(),
  error: z.string().nullable(),
})
export type BackupCopy = z.infer<typeof copySchema>

export const backupSchema = z.object({
  id: z.string(),
  profileId: z.string().nullable(),
  profileName: z.string(),
  engine: z.enum(ENGINES),
  status: z.enum(BACKUP_STATUSES),
  reason: z.enum(BACKUP_REASONS),
  /** The scheduled job that made it (retention works per job); null for manual and safety backups. */
  jobId: z.string().nullable(),
  label: z.string().nullable(),
  fileName: z.string(),
  format: z.enum(FORMATS),
  compression: z.enum(COMPRESSIONS),
  encryption: z.enum(['passphrase', 'recipient']).nullable(),
  options: z.object({ schemaOnly: z.boolean(), dataOnly: z.boolean(), tables: z.array(z.string()).nullable() }),
  /** Bytes as stored (compressed, encrypted). */
  sizeBytes: z.number().nullable(),
  /** Bytes the dump tool produced. */
  rawBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  tablesCount: z.number().nullable(),
  serverVersion: z.string().nullable(),
  toolName: z.string().nullable(),
  toolVersion: z.string().nullable(),
  error: z.string().nullable(),
  copies: z.array(copySchema),
})
export type Backup = z.infer<typeof backupSchema>

export const tableInfoSchema = z.object({
  /** As used in options.tables: "public.film" (PostgreSQL), "film" (MySQL, SQLite). */
  name: z.string(),
  /** Estimated rows (pg_class.reltuples / information_schema / count for SQLite); null when unknown. */
  rows: z.number().nullable(),
})
export type TableInfo = z.infer<typeof tableInfoSchema>

export const BACKUP_PHASES = ['starting', 'dumping', 'finishing'] as const
export const backupProgressSchema = z.object({
  backupId: z.string(),
  profileId: z.string().nullable(),
  phase: z.enum(BACKUP_PHASES),
  /** Bytes read from the dump tool. */
  rawBytes: z.number(),
  /** Bytes written to the destination(s). */
  storedBytes: z.number(),
  /** Raw bytes per second over the run so far. */
  rate: z.number(),
  elapsedMs: z.number(),
  /** 0..1 when the database size is known, else null (the UI shows an indeterminate bar). */
  fraction: z.number().nullable(),
})
export type BackupProgress = z.infer<typeof backupProgressSchema>

export const verifyResultSchema = z.object({
  ok: z.boolean(),
  sha256Expected: z.string(),
  sha256Actual: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  destination: z.string(),
  error: z.string().nullable(),
})
export type VerifyResult = z.infer<typeof verifyResultSchema>

export const exportProgressSchema = z.object({ backupId: z.string(), bytes: z.number(), totalBytes: z.number().nullable() })
export type ExportProgress = z.infer<typeof exportProgressSchema>
