import { useCallback, useEffect, useState } from 'react'
import type { ErrorInfo } from '../../shared/errors'
import type { Profile } from '../../shared/model'
import { api } from '../api'
import { useAppEvent } from './useAppEvent'

export interface ProfilesState {
  profiles: Profile[]
  loading: boolean
  error: ErrorInfo | null
  reload(): void
}

/** The profile list, reloaded whenever any client (this window, the CLI, another window) changes it. */
export function useProfiles(): ProfilesState {
  const [profiles, setProfiles] = useState<Profile[]>([])
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<ErrorInfo | null>(null)

  const reload = useCallback(() => {
    void api.profiles.list().then((result) => {
      setLoading(false)
      if (result.ok) {
        setProfiles(result.value)
        setError(null)
      } else {
        setError(result.error)
      }
    })
  }, [])

  useEffect(reload, [reload])
  useAppEvent('profiles.changed', reload)
  return { profiles, loading, error, reload }
}
