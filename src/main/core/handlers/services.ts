import type { SecretStore } from '../secrets/secret-store'
import type { ProfileService } from '../services/profile-service'

/** What the channel handlers need from the composition root. */
export interface CoreServices {
  version: string
  secrets: SecretStore
  profiles: ProfileService
}
