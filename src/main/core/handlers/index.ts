import type { Handlers } from '../../../shared/contract'
import { appHandlers } from './app'
import { backupHandlers } from './backups'
import { profileHandlers } from './profiles'
import { restoreHandlers } from './restores'
import { jobHandlers } from './jobs'
import { destinationHandlers } from './destinations'
import { settingsHandlers } from './settings'
import { statusHandlers } from './status'
import type { CoreServices } from './services'

/** One implementation of the whole contract, served by Electron IPC and by the loopback bridge alike. */
export function createHandlers(core: CoreServices): Handlers {
  return { ...appHandlers(core), ...profileHandlers(core), ...backupHandlers(core), ...restoreHandlers(core), ...settingsHandlers(core), ...jobHandlers(core), ...statusHandlers(core), ...destinationHandlers(core) }
}
