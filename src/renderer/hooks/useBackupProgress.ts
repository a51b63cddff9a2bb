import { useState } from 'react'
import type { Backup, BackupProgress } from '../../shared/backup-model'
import { useAppEvent } from './useAppEvent'

/** What this window has heard about one backup run: its latest progress and, once over, the final row. */
export interface LiveRun {
  progress: BackupProgress | null
  finished: Backup | null
}

/** Live runs keyed by backup id, fed by backup.progress / backup.finished events. */
export function useBackupProgress(): Record<string, LiveRun> {
  const [runs, setRuns] = useState<Record<string, LiveRun>>({})
  useAppEvent('backup.progress', ({ progress }) =>
    setRuns((r) => {
      const prev = r[progress.backupId]
      // A late progress event must not reopen a run that already finished.
      if (prev?.finished) return r
      return { ...r, [progress.backupId]: { progress, finished: null } }
    }),
  )
  useAppEvent('backup.finished', ({ backup }) =>
    setRuns((r) => ({ ...r, [backup.id]: { progress: r[backup.id]?.progress ?? null, finished: backup } })),
  )
  return runs
}
