import { mkdirSync } from 'node:fs'
import type { Handlers } from '../../shared/contract'
import type { Origin } from '../../shared/model'
import { probeConnection } from './engines'
import { DEFAULT_PROBE_TIMEOUT_MS, type ConnectionProbe, type ProbeOptions } from './engines/probe'
import { createEventBus, type EventBus } from './events/event-bus'
import { AppError } from '../../shared/errors'
import { DestinationRegistry } from './destinations/registry'
import { createHandlers } from './handlers'
import type { SaveDialog } from './handlers/services'
import { BackupService } from './services/backup-service'
import { recoverInterrupted } from './services/recovery'
import { RestoreService } from './services/restore-service'
import { SettingsService } from './services/settings-service'
import { BackupsRepo } from './store/backups-repo'
import { createFileLogger, type Logger } from './logging/logger'
import { homePaths, type HomePaths } from './paths'
import { FileSecretStore } from './secrets/file-secret-store'
import type { SecretStore } from './secrets/secret-store'
import { ProfileService } from './services/profile-service'
import { ActivityRepo } from './store/activity-repo'
import { openStore, type Db } from './store/open-store'
import { ProfilesRepo } from './store/profiles-repo'
import { LIFEBOAT_VERSION } from './version'

export interface AppOptions {
  home: string
  origin: Origin
  secrets?: SecretStore
  logger?: Logger
  probe?: ConnectionProbe
  probeOptions?: Partial<ProbeOptions>
  /** Path of a better-sqlite3 binary built for the running runtime (Electron); default: node_modules. */
  nativeBinding?: string
  /** Where "Download" saves: the native save dialog in the desktop app; tests pass their own. */
  saveDialog?: SaveDialog
}

export interface LifeboatCore {
  paths: HomePaths
  db: Db
  logger: Logger
  secrets: SecretStore
  events: EventBus
  profiles: ProfileService
  backups: BackupService
  restores: RestoreService
  settings: SettingsService
  handlers: Handlers
  /** Settles when start-up work (marking crashed backups interrupted, cleaning their files) is done. */
  ready: Promise<void>
  close(): void
}

/** Composition root: every service built from explicit dependencies, no module-level state. */
export function createApp(options: AppOptions): LifeboatCore {
  const paths = homePaths(options.home)
  mkdirSync(paths.home, { recursive: true, mode: 0o700 })
  const logger = options.logger ?? createFileLogger(paths.logFile)
  const db = openStore(paths.database, { nativeBinding: options.nativeBinding })
  const secrets = options.secrets ?? new FileSecretStore(paths.secrets, paths.keychainSecrets)
  const events = createEventBus()
  const activity = new ActivityRepo(db)
  const profiles = new ProfileService({
    repo: new ProfilesRepo(db),
    activity,
    secrets,
    events,
    logger,
    probe: options.probe ?? probeConnection,
    probeOptions: { timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, ...options.probeOptions },
    origin: options.origin,
  })
  const destinations = new DestinationRegistry(paths.backups)
  const backupsRepo = new BackupsRepo(db)
  const backups = new BackupService({
    repo: backupsRepo,
    activity,
    profiles,
    destinations,
    events,
    logger,
    tempRoot: paths.temp,
    origin: options.origin,
    tools: options.probeOptions,
  })
  const settings = new SettingsService(db)
  const restores = new RestoreService({
    backups,
    profiles,
    destinations,
    activity,
    events,
    logger,
    tempRoot: paths.temp,
    origin: options.origin,
    tools: options.probeOptions,
  })
  const ready = recoverInterrupted({ repo: backupsRepo, destinations, tempRoot: paths.temp, logger, events }).then(
    () => undefined,
    (e: unknown) => logger.error('start-up recovery failed', { error: String(e) }),
  )
  const saveDialog: SaveDialog = options.saveDialog ?? (async () => {
    throw new AppError('FORBIDDEN', 'saving files needs the desktop app (the CLI has `lifeboat export ID PATH`)')
  })
  const handlers = createHandlers({ version: LIFEBOAT_VERSION, secrets, profiles, backups, restores, settings, activity, origin: options.origin, events, saveDialog })
  return {
    paths,
    db,
    logger,
    secrets,
    events,
    profiles,
    backups,
    restores,
    settings,
    handlers,
    ready,
    close: () => db.close(),
  }
}
