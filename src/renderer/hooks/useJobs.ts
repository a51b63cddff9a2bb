import type { Job } from '../../shared/job-model'
import type { SchedulerState } from '../../shared/scheduler-model'
import { api } from '../api'
import { useLiveQuery, type LiveQuery } from './useLiveQuery'

const JOB_EVENTS = ['jobs.changed', 'profiles.changed', 'backup.finished'] as const

/** Every job with its run state and next run; main pushes jobs.changed on any change. */
export function useJobs(): LiveQuery<Job[]> {
  return useLiveQuery(() => api.jobs.list(), JOB_EVENTS)
}

const SCHEDULER_EVENTS = ['jobs.changed', 'settings.changed'] as const

/** Who runs the schedules (this app, a daemon, nobody), paused or not, and how busy it is. */
export function useSchedulerState(): LiveQuery<SchedulerState> {
  return useLiveQuery(() => api.scheduler.state(), SCHEDULER_EVENTS)
}
