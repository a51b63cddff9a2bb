import type { Handlers } from '../../../shared/contract'
import type { CoreServices } from './services'

export function settingsHandlers({ settings, activity, events, origin }: CoreServices): Pick<Handlers, 'settings.get' | 'settings.update'> {
  return {
    'settings.get': async () => settings.user(),
    'settings.update': async (patch) => settings.update(patch, { activity, events, origin }),
  }
}
