import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe } from 'vitest'
import { LocalDestination } from '../../src/main/core/destinations/local/local-destination'
import { destinationConformance } from '../support/destination-conformance'
import { tempDir } from '../support/temp-home'

describe('conformance: local folder', () => {
  destinationConformance({
    fresh: async () => new LocalDestination('folder', join(tempDir(), 'backups')),
    // hidden .partial files are the only thing a put may leave
    leftovers: async (dest) => {
      try {
        return readdirSync((dest as LocalDestination).dir).filter((f) => f.startsWith('.'))
      } catch {
        return []
      }
    },
  })
})
