import type { Handlers } from '../../../shared/contract'
import type { CoreServices } from './services'

export function statusHandlers({ health, activity, scheduler }: CoreServices): Pick<Handlers, 'status.get' | 'activity.list' | 'scheduler.state'> {
  return {
    'status.get': async () => health(),
    'activity.list': async (filter) => activity.list(filter ?? {}),
    'scheduler.state': async () => scheduler.state(),
  }
}
