import { useCallback, useEffect, useRef, useState } from 'react'
import type { Result } from '../../shared/contract'
import type { ErrorInfo } from '../../shared/errors'
import type { AppEvent } from '../../shared/events'
import { api } from '../api'

export interface LiveQuery<T> {
  /** null until the first answer. */
  data: T | null
  error: ErrorInfo | null
  reload(): void
}

/**
 * Loads once, then again whenever one of `reloadOn` is pushed (no polling) or `key` changes. Reloads
 * that overlap are coalesced, one in flight and at most one queued; an answer that a queued reload is
 * about to replace is dropped, so a changed filter never flashes the previous filter's rows.
 */
export function useLiveQuery<T>(load: () => Promise<Result<T>>, reloadOn: readonly AppEvent['type'][], key = ''): LiveQuery<T> {
  const [data, setData] = useState<T | null>(null)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const latestLoad = useRef(load)
  const inFlight = useRef(false)
  const queued = useRef(false)
  useEffect(() => {
    latestLoad.current = load
  })

  const reload = useCallback(() => {
    const run = () => {
      inFlight.current = true
      void latestLoad.current().then((result) => {
        inFlight.current = false
        if (queued.current) {
          queued.current = false
          return run()
        }
        if (result.ok) {
          setData(result.value)
          setError(null)
        } else {
          setError(result.error)
        }
      })
    }
    if (inFlight.current) queued.current = true
    else run()
  }, [])

  useEffect(reload, [reload, key])
  const events = reloadOn.join(' ')
  useEffect(() => {
    const types = new Set(events.split(' '))
    return api.onEvent((event) => {
      if (types.has(event.type)) reload()
    })
  }, [events, reload])
  return { data, error, reload }
}
