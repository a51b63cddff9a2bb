import { useCallback, useEffect, useRef, useState } from 'react'
import type { Backup } from '../../shared/backup-model'
import type { ErrorInfo } from '../../shared/errors'
import { api } from '../api'
import { useAppEvent } from './useAppEvent'

/** The history the page holds in memory: enough for years of hourly backups, still smooth virtualised. */
export const HISTORY_LIMIT = 10_000

export interface BackupsState {
  backups: Backup[]
  loading: boolean
  error: ErrorInfo | null
  reload(): void
}

/**
 * The whole history (newest first, up to 10,000 rows; the table filters and sorts it client-side),
 * reloaded on backups.changed / backup.finished — pushed events, no polling. Reloads that overlap
 * are coalesced: one in flight, at most one queued.
 */
export function useBackups(): BackupsState {
  const [backups, setBackups] = useState<Backup[]>([])
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const inFlight = useRef(false)
  const queued = useRef(false)

  const reload = useCallback(() => {
    const load = () => {
      inFlight.current = true
      void api.backups.list({ limit: HISTORY_LIMIT }).then((result) => {
        inFlight.current = false
        setLoading(false)
        if (result.ok) {
          setBackups(result.value)
          setError(null)
        } else {
          setError(result.error)
        }
        if (queued.current) {
          queued.current = false
          load()
        }
      })
    }
    if (inFlight.current) queued.current = true
    else load()
  }, [])

  useEffect(reload, [reload])
  useAppEvent('backups.changed', reload)
  useAppEvent('backup.finished', reload)
  return { backups, loading, error, reload }
}
