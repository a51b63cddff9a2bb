import { z } from 'zod'
import { BACKUP_REASONS, COMPRESSIONS, FORMATS, tableInfoSchema } from './backup-model'
import { ENGINES } from './model'

/**
 * <file>.manifest.json beside every backup file (DESIGN.md §6): enough to re-index a destination on a
 * machine that has never seen it, and to restore by hand without Lifeboat.
 */
export const manifestSchema = z.object({
  manifestVersion: z.literal(1),
  lifeboatVersion: z.string(),
  id: z.string(),
  fileName: z.string(),
  sizeBytes: z.number(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  rawBytes: z.number(),
  source: z.object({
    engine: z.enum(ENGINES),
    profileName: z.string(),
    /** Database name, or the file name for SQLite. */
    database: z.string(),
    host: z.string().nullable(),
    serverVersion: z.string(),
  }),
  tool: z.object({ name: z.string(), version: z.string() }),
  format: z.enum(FORMATS),
  compression: z.enum(COMPRESSIONS),
  encryption: z.discriminatedUnion('kind', [z.object({ kind: z.literal('passphrase') }), z.object({ kind: z.literal('recipient'), recipient: z.string() })]).nullable(),
  options: z.object({ schemaOnly: z.boolean(), dataOnly: z.boolean(), tables: z.array(z.string()).nullable() }),
  label: z.string().nullable(),
  reason: z.enum(BACKUP_REASONS),
  tables: z.array(tableInfoSchema),
  startedAt: z.string(),
  finishedAt: z.string(),
})
export type Manifest = z.infer<typeof manifestSchema>
