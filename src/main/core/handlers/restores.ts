import type { Handlers } from '../../../shared/contract'
import type { CoreServices } from './services'

type RestoreHandlers = Pick<Handlers, `restores.${string}` & keyof Handlers>

export function restoreHandlers({ restores }: CoreServices): RestoreHandlers {
  return {
    'restores.tables': ({ backupId }) => restores.tables(backupId),
    'restores.plan': (request) => restores.plan(request),
    'restores.run': async (request) => {
      const started = await restores.start(request)
      return { id: started.id }
    },
    'restores.cancel': async ({ id }) => {
      restores.cancel(id)
      return null
    },
  }
}
