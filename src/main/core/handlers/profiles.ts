import type { Handlers } from '../../../shared/contract'
import type { CoreServices } from './services'

export function profileHandlers({ profiles }: CoreServices): Pick<Handlers, `profiles.${string}` & keyof Handlers> {
  return {
    'profiles.list': async () => profiles.list(),
    'profiles.get': async ({ id }) => profiles.get(id),
    'profiles.create': (input) => profiles.create(input),
    'profiles.update': (input) => profiles.update(input),
    'profiles.remove': async ({ id }) => {
      await profiles.remove(id)
      return null
    },
    'profiles.test': (input) => profiles.test(input),
  }
}
