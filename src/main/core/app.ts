import { mkdirSync } from 'node:fs'
import type { Handlers } from '../../shared/contract'
import type { Origin } from '../../shared/model'
import { probeConnection } from './engines'
import { DEFAULT_PROBE_TIMEOUT_MS, type ConnectionProbe, type ProbeOptions } from './engines/probe'
import { createEventBus, type EventBus } from './events/event-bus'
import { createHandlers } from './handlers'
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
}

export interface LifeboatCore {
  paths: HomePaths
  db: Db
  logger: Logger
  secrets: SecretStore
  events: EventBus
  profiles: ProfileService
  handlers: Handlers
  close(): void
}

/** Composition root: every service built from explicit dependencies, no module-level state. */
export function createApp(options: AppOptions): LifeboatCore {
  const paths = homePaths(options.home)
  mkdirSync(paths.home, { recursive: true, mode: 0o700 })
  const logger = options.logger ?? createFileLogger(paths.logFile)
  const db = openStore(paths.database, { nativeBinding: options.nativeBinding })
  const secrets = options.secrets ?? new FileSecretStore(paths.secrets)
  const events = createEventBus()
  const profiles = new ProfileService({
    repo: new ProfilesRepo(db),
    activity: new ActivityRepo(db),
    secrets,
    events,
    logger,
    probe: options.probe ?? probeConnection,
    probeOptions: { timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, ...options.probeOptions },
    origin: options.origin,
  })
  const handlers = createHandlers({ version: LIFEBOAT_VERSION, secrets, profiles })
  return {
    paths,
    db,
    logger,
    secrets,
    events,
    profiles,
    handlers,
    close: () => db.close(),
  }
}
