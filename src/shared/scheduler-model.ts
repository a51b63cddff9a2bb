import { z } from 'zod'

/** Who holds the data dir's scheduler lock, so the UI can say where schedules run. */
export const schedulerStateSchema = z.object({
  /** this: this process runs the schedules; other: another process (pid) does; none: nobody. */
  owner: z.enum(['this', 'other', 'none']),
  ownerPid: z.number().nullable(),
  ownerKind: z.enum(['desktop', 'daemon']).nullable(),
  paused: z.boolean(),
  maxConcurrentRuns: z.number(),
  running: z.number(),
  queued: z.number(),
})
export type SchedulerState = z.infer<typeof schedulerStateSchema>
