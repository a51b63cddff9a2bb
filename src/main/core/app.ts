import { mkdirSync } from 'node:fs'
import type { Handlers } from '../../shared/contract'
import type { Origin } from '../../shared/model'
import { probeConnection } from './engines'
import { sshAwareProbe } from './transport/ssh-engine'
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
import type { HealthSummary } from '../../shared/health-model'
import { systemClock, type Clock } from './scheduler/clock'
import { Scheduler } from './scheduler/scheduler'
import { healthSummary } from './services/health'
import { createJobRunner } from './services/job-runner'
import { JobService } from './services/job-service'
import { PruneService } from './services/prune-service'
import { JobsRepo } from './store/jobs-repo'
import { DestinationsRepo } from './store/destinations-repo'
import { DestinationService } from './services/destination-service'
import { scanDestination } from './services/scan-service'
import type { ScanResult } from '../../shared/destination-model'
import { SchedulerLockRepo, type SchedulerKind } from './store/scheduler-lock-repo'

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
  /** The scheduler's time source (tests pass a fake clock). */
  clock?: Clock
  /** Which kind of process would hold the scheduler lock when it starts. */
  schedulerKind?: SchedulerKind
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
  activity: ActivityRepo
  jobs: JobService
  prune: PruneService
  /** Built in every process; only the desktop app and `lifeboat daemon` start() it. */
  scheduler: Scheduler
  health(): HealthSummary
  destinations: DestinationService
  scan(name: string, origin: Origin): Promise<ScanResult>
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
  const activity = new ActivityRepo(db, () => events.emit({ type: 'activity.changed' }))
  const jobsRepo = new JobsRepo(db, (e) => logger.error('a damaged job row was skipped', { error: e.message }))
  const profiles = new ProfileService({
    jobsUsing: (profileId) => jobsRepo.usingProfile(profileId).map((j) => j.definition.name),
    repo: new ProfilesRepo(db),
    activity,
    secrets,
    events,
    logger,
    probe: sshAwareProbe(options.probe ?? probeConnection),
    probeOptions: { timeoutMs: DEFAULT_PROBE_TIMEOUT_MS, ...options.probeOptions },
    origin: options.origin,
  })
  const destinationsRepo = new DestinationsRepo(db)
  const destinations = new DestinationRegistry(paths.backups, { repo: destinationsRepo, secrets })
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
  const jobs = new JobService({ repo: jobsRepo, profiles, destinations, secrets, activity, events, logger, origin: options.origin })
  const prune = new PruneService({ backups, activity, logger })
  const runJob = createJobRunner({ jobs, backups, profiles, prune, activity, logger, origin: options.origin, testRestore: { restores, tempRoot: paths.temp } })
  const scheduler = new Scheduler({
    jobs: jobsRepo,
    lock: new SchedulerLockRepo(db),
    activity,
    events,
    logger,
    clock: options.clock ?? systemClock(),
    settings: { maxConcurrentRuns: () => settings.get('maxConcurrentRuns'), paused: () => settings.get('schedulesPaused') },
    kind: options.schedulerKind ?? (options.origin === 'ui' ? 'desktop' : 'daemon'),
    runJob,
  })
  const destinationService = new DestinationService({
    repo: destinationsRepo,
    registry: destinations,
    secrets,
    activity,
    events,
    logger,
    origin: options.origin,
    backupsDir: paths.backups,
    jobsUsing: (name) => jobsRepo.list().filter((j) => j.definition.destinations.some((d) => d.toLowerCase() === name.toLowerCase())).map((j) => j.definition.name),
  })
  const scan = (name: string, origin: Origin) => scanDestination({ registry: destinations, backups: backupsRepo, profiles, activity, events, logger }, name, origin)
  const health = () => healthSummary({ profiles: profiles.list(), backups: backups.list({ limit: 1_000_000 }), jobs: jobsRepo.list(), now: new Date() })
  const ready = recoverInterrupted({ repo: backupsRepo, destinations, tempRoot: paths.temp, logger, events }).then(
    () => undefined,
    (e: unknown) => logger.error('start-up recovery failed', { error: String(e) }),
  )
  const saveDialog: SaveDialog = options.saveDialog ?? (async () => {
    throw new AppError('FORBIDDEN', 'saving files needs the desktop app (the CLI has `lifeboat export ID PATH`)')
  })
  const handlers = createHandlers({ version: LIFEBOAT_VERSION, secrets, profiles, backups, restores, settings, activity, origin: options.origin, events, saveDialog, jobs, prune, scheduler, health, destinations: destinationService, scan })
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
    activity,
    jobs,
    prune,
    scheduler,
    health,
    destinations: destinationService,
    scan,
    handlers,
    ready,
    close: () => {
      void destinations.closeAll()
      db.close()
    },
  }
}
