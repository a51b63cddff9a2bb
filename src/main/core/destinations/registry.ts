import { AppError } from '../../../shared/errors'
import type { Destination } from './destination'
import { LocalDestination } from './local/local-destination'

export const BUILT_IN_DESTINATION = 'local'

/**
 * The destinations a backup can go to. Until configurable destinations exist (`lifeboat dest add`,
 * the Remote destinations issue) there is the built-in `local` one: <data dir>/backups.
 */
export class DestinationRegistry {
  private readonly builtIn: Destination

  constructor(backupsDir: string) {
    this.builtIn = new LocalDestination(BUILT_IN_DESTINATION, backupsDir)
  }

  get(name: string): Destination {
    if (name === BUILT_IN_DESTINATION) return this.builtIn
    throw new AppError('NOT_FOUND', `no destination named "${name}" (only the built-in "${BUILT_IN_DESTINATION}" exists so far)`, 'destination')
  }

  resolve(names: readonly string[] | undefined): Destination[] {
    const wanted = names && names.length > 0 ? [...new Set(names)] : [BUILT_IN_DESTINATION]
    return wanted.map((n) => this.get(n))
  }
}
