/**
 * The names of every IPC channel, with no schemas attached, so the sandboxed preload can build
 * `window.lifeboat` without bundling zod. contract.ts is checked against this list at compile time.
 */
export const CHANNELS = [
  'app.info',
  'profiles.list',
  'profiles.get',
  'profiles.create',
  'profiles.update',
  'profiles.remove',
  'profiles.test',
  'backups.list',
  'backups.get',
  'backups.tables',
  'backups.run',
  'backups.cancel',
  'backups.verify',
  'backups.export',
  'backups.delete',
  'restores.tables',
  'restores.plan',
  'restores.run',
  'restores.cancel',
  'settings.get',
  'settings.update',
  'jobs.list',
  'jobs.get',
  'jobs.create',
  'jobs.update',
  'jobs.remove',
  'jobs.run',
  'jobs.preview',
  'jobs.prunePlan',
  'jobs.prune',
  'status.get',
  'activity.list',
  'scheduler.state',
  'destinations.list',
  'destinations.create',
  'destinations.update',
  'destinations.remove',
  'destinations.test',
  'destinations.hostKey',
  'destinations.scan',
] as const
export type Channel = (typeof CHANNELS)[number]

/** The one push channel main -> renderer. */
export const EVENT_CHANNEL = 'lifeboat:event'
