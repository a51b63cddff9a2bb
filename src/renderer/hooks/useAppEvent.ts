import { useEffect, useRef } from 'react'
import type { AppEvent } from '../../shared/events'
import { api } from '../api'

/** Runs `handler` for every pushed event of one type while the component is mounted. */
export function useAppEvent<T extends AppEvent['type']>(type: T, handler: (event: Extract<AppEvent, { type: T }>) => void): void {
  const latest = useRef(handler)
  useEffect(() => {
    latest.current = handler
  })
  useEffect(
    () =>
      api.onEvent((event) => {
        if (event.type === type) latest.current(event as Extract<AppEvent, { type: T }>)
      }),
    [type],
  )
}
