import { useEffect, useRef, useState } from 'react'
import type { Result } from '../../shared/contract'
import type { Schedule, SchedulePreview } from '../../shared/job-model'
import { api } from '../api'

/** Long enough to skip the keystrokes in between, short enough to feel live. */
export const PREVIEW_DEBOUNCE_MS = 150

export interface PreviewAnswer {
  result: Result<SchedulePreview>
  /** The schedule this answers (the newest one asked about, or an older one while `current` is false). */
  schedule: Schedule
  /** False while a newer schedule is typed but not answered yet (the old answer stays, dimmed). */
  current: boolean
}

/**
 * Asks main for the schedule in words and its next runs as you type: debounced, and an answer to an
 * older schedule that arrives after a newer one was asked for is ignored. null schedule = nothing to ask.
 */
export function useSchedulePreview(schedule: Schedule | null, timeZone: string): PreviewAnswer | null {
  const key = schedule ? JSON.stringify([schedule, timeZone]) : ''
  const [answer, setAnswer] = useState<{ key: string; result: Result<SchedulePreview> } | null>(null)
  const generation = useRef(0)

  useEffect(() => {
    const mine = ++generation.current
    if (key === '') return
    const [s, tz] = JSON.parse(key) as [Schedule, string]
    const timer = setTimeout(() => {
      void api.jobs.preview({ schedule: s, timeZone: tz }).then((result) => {
        if (generation.current === mine) setAnswer({ key, result })
      })
    }, PREVIEW_DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [key])

  if (key === '' || !answer) return null
  const [answered] = JSON.parse(answer.key) as [Schedule, string]
  return { result: answer.result, schedule: answered, current: answer.key === key }
}
