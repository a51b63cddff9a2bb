import type { Handlers } from '../../../shared/contract'
import type { CoreServices } from './services'

export function appHandlers(core: CoreServices): Pick<Handlers, 'app.info'> {
  return {
    'app.info': async () => ({
      version: core.version,
      secretStorage: { kind: core.secrets.kind, description: core.secrets.description },
    }),
  }
}
