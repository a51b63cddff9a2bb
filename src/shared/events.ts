import { z } from 'zod'
import { backupProgressSchema, backupSchema, exportProgressSchema } from './backup-model'
import { restoreProgressSchema, restoreResultSchema } from './restore-model'

/** What main pushes to every window (and the bridge pushes over SSE). */
export const appEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('profiles.changed') }),
  /** A backup row was added, changed state, or was deleted. */
  z.object({ type: z.literal('backups.changed') }),
  z.object({ type: z.literal('backup.progress'), progress: backupProgressSchema }),
  z.object({ type: z.literal('backup.finished'), backup: backupSchema }),
  z.object({ type: z.literal('export.progress'), progress: exportProgressSchema }),
  z.object({ type: z.literal('restore.progress'), progress: restoreProgressSchema }),
  z.object({ type: z.literal('restore.finished'), result: restoreResultSchema }),
  z.object({ type: z.literal('settings.changed') }),
  /** A job was added, changed or removed, or its run state / next run changed. */
  z.object({ type: z.literal('jobs.changed') }),
  /** A destination was added, changed or removed. */
  z.object({ type: z.literal('destinations.changed') }),
  /** A line was added to the activity log. */
  z.object({ type: z.literal('activity.changed') }),
  /** Desktop only: the user clicked a notification; the window shows this backup in history. */
  z.object({ type: z.literal('ui.showBackup'), backupId: z.string() }),
])
export type AppEvent = z.infer<typeof appEventSchema>
