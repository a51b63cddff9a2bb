import type { Handlers } from '../../../shared/contract'
import type { CoreServices } from './services'

type JobHandlers = Pick<Handlers, `jobs.${string}` & keyof Handlers>

export function jobHandlers({ jobs, scheduler, prune, origin }: CoreServices): JobHandlers {
  return {
    'jobs.list': async () => jobs.list(),
    'jobs.get': async ({ id }) => jobs.get(id),
    'jobs.create': async ({ job, secrets }) => {
      const created = await jobs.create(job, secrets)
      scheduler.refresh()
      return created
    },
    'jobs.update': async ({ id, job, secrets }) => {
      const updated = await jobs.update(id, job, secrets)
      scheduler.refresh()
      return updated
    },
    'jobs.remove': async ({ id }) => {
      await jobs.remove(id)
      scheduler.refresh()
      return null
    },
    'jobs.run': async ({ id }) => ({ state: scheduler.runNow(jobs.stored(id).id) }),
    'jobs.preview': async ({ schedule, timeZone }) => jobs.preview(schedule, timeZone),
    'jobs.prunePlan': async ({ id }) => prune.plan(jobs.stored(id)),
    'jobs.prune': async ({ id }) => (await prune.apply(jobs.stored(id), origin)).plans,
  }
}
