import type { SecretStore } from '../secrets/secret-store'
import type { EventBus } from '../events/event-bus'
import type { BackupService } from '../services/backup-service'
import type { ProfileService } from '../services/profile-service'
import type { RestoreService } from '../services/restore-service'
import type { SettingsService } from '../services/settings-service'
import type { ActivityRepo } from '../store/activity-repo'
import type { Origin } from '../../../shared/model'
import type { HealthSummary } from '../../../shared/health-model'
import type { Scheduler } from '../scheduler/scheduler'
import type { JobService } from '../services/job-service'
import type { PruneService } from '../services/prune-service'
import type { DestinationService } from '../services/destination-service'
import type { ScanResult } from '../../../shared/destination-model'

/** Asks the user where to save a file (native dialog in the desktop app); null = cancelled. */
export type SaveDialog = (suggestedName: string) => Promise<string | null>

/** What the channel handlers need from the composition root. */
export interface CoreServices {
  version: string
  secrets: SecretStore
  profiles: ProfileService
  backups: BackupService
  restores: RestoreService
  settings: SettingsService
  activity: ActivityRepo
  origin: Origin
  events: EventBus
  saveDialog: SaveDialog
  jobs: JobService
  prune: PruneService
  scheduler: Scheduler
  health(): HealthSummary
  destinations: DestinationService
  scan(name: string, origin: Origin): Promise<ScanResult>
}
