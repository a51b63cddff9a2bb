import type { ActivityEntryView, ActivityFilter } from '../../shared/activity-model'
import { api } from '../api'
import { useLiveQuery, type LiveQuery } from './useLiveQuery'

/** The page shows the newest this many entries that match; older ones are a filter (or `lifeboat activity`) away. */
export const ACTIVITY_LIMIT = 5000

const ACTIVITY_EVENTS = ['activity.changed'] as const

/** The activity log filtered in main (origin, outcome, action, text, since), newest first, live. */
export function useActivity(filter: ActivityFilter): LiveQuery<ActivityEntryView[]> {
  const input: ActivityFilter = { ...filter, limit: ACTIVITY_LIMIT }
  return useLiveQuery(() => api.activity.list(input), ACTIVITY_EVENTS, JSON.stringify(input))
}
