import type { Handlers } from '../../../shared/contract'
import { fetchHostKeyFingerprint } from '../destinations/sftp/sftp-destination'
import type { CoreServices } from './services'

type DestinationHandlers = Pick<Handlers, `destinations.${string}` & keyof Handlers>

export function destinationHandlers({ destinations, scan, origin }: CoreServices): DestinationHandlers {
  return {
    'destinations.list': async () => destinations.list(),
    'destinations.create': ({ destination, secrets }) => destinations.create(destination.name, destination.config, secrets),
    'destinations.update': ({ name, config, secrets }) => destinations.update(name, config, secrets),
    'destinations.remove': async ({ name }) => {
      await destinations.remove(name)
      return null
    },
    'destinations.test': (target) => destinations.test(target),
    'destinations.hostKey': async ({ host, port }) => ({ fingerprint: await fetchHostKeyFingerprint(host, port, { timeoutMs: 15_000 }) }),
    'destinations.scan': ({ name }) => scan(name, origin),
  }
}
