import type { HealthSummary } from '../../shared/health-model'
import { api } from '../api'
import { useLiveQuery, type LiveQuery } from './useLiveQuery'

const HEALTH_EVENTS = ['backups.changed', 'backup.finished', 'jobs.changed', 'profiles.changed'] as const

/** The health summary (the same one the tray and `lifeboat status` read), refreshed on every change that moves it. */
export function useHealth(): LiveQuery<HealthSummary> {
  return useLiveQuery(() => api.status.get(), HEALTH_EVENTS)
}
