import { z } from 'zod'

/** The settings a user changes on the Settings page (window geometry is kept internally). */
export const userSettingsSchema = z.object({
  /** Closing the window keeps Lifeboat running in the tray (backups and, later, schedules go on). */
  closeToTray: z.boolean(),
  startAtLogin: z.boolean(),
  /** Failures always notify; successes only when this is on. */
  notifyOnSuccess: z.boolean(),
  /** Scheduled runs beyond this many at once wait in a queue (so 50 jobs at midnight don't swamp the machine). */
  maxConcurrentRuns: z.number().int('expected a whole number').min(1, 'at least 1').max(16, 'at most 16'),
  /** Paused schedules skip their slots (logged) until resumed; manual runs still work. */
  schedulesPaused: z.boolean(),
})
export type UserSettings = z.infer<typeof userSettingsSchema>
export const userSettingsPatchSchema = userSettingsSchema.partial().strict()
