import { useState } from 'react'
import type { RestoreProgress, RestoreResult } from '../../../shared/restore-model'
import { useAppEvent } from '../../hooks/useAppEvent'

export interface RestoreLive {
  progress: RestoreProgress | null
  result: RestoreResult | null
}

/**
 * Every restore event heard while the dialog is open, by restore id. Kept for all ids because the
 * first events can arrive before restores.run has answered with the id.
 */
export function useRestoreEvents(): Record<string, RestoreLive> {
  const [runs, setRuns] = useState<Record<string, RestoreLive>>({})
  useAppEvent('restore.progress', ({ progress }) =>
    setRuns((r) => (r[progress.restoreId]?.result ? r : { ...r, [progress.restoreId]: { progress, result: null } })),
  )
  useAppEvent('restore.finished', ({ result }) => setRuns((r) => ({ ...r, [result.id]: { progress: r[result.id]?.progress ?? null, result } })))
  return runs
}
