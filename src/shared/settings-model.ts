import { z } from 'zod'

/** The settings a user changes on the Settings page (window geometry is kept internally). */
export const userSettingsSchema = z.object({
  /** Closing the window keeps Lifeboat running in the tray (backups and, later, schedules go on). */
  closeToTray: z.boolean(),
  startAtLogin: z.boolean(),
  /** Failures always notify; successes only when this is on. */
  notifyOnSuccess: z.boolean(),
})
export type UserSettings = z.infer<typeof userSettingsSchema>
export const userSettingsPatchSchema = userSettingsSchema.partial().strict()
