import { powerMonitor, powerSaveBlocker } from 'electron'
import type { EventBus } from '../core/events/event-bus'
import type { Logger } from '../core/logging/logger'

export interface SuspendNote {
  at: string
  /** Backups running when the machine went to sleep; their rows stay `running`. */
  runningBackupIds: string[]
}

export interface PowerDeps {
  events: EventBus
  logger: Logger
  runningBackupIds(): string[]
  onSuspend(note: SuspendNote): void
  /** The scheduler is told here (catch-up arrives with issue 6). */
  onResume(): void
  now?: () => Date
}

/**
 * Sleep and wake: notes what ran at suspend, tells the scheduler on resume, and keeps the app from
 * being suspended while any backup runs (powerSaveBlocker 'prevent-app-suspension').
 */
export function watchPower(deps: PowerDeps): { blocking(): boolean; dispose(): void } {
  let blockerId: number | null = null
  const release = () => {
    if (blockerId === null) return
    if (powerSaveBlocker.isStarted(blockerId)) powerSaveBlocker.stop(blockerId)
    blockerId = null
  }
  const onSuspend = () => {
    const note = { at: (deps.now?.() ?? new Date()).toISOString(), runningBackupIds: deps.runningBackupIds() }
    deps.logger.info('system suspending', { running: note.runningBackupIds })
    deps.onSuspend(note)
  }
  const onResume = () => {
    deps.logger.info('system resumed')
    deps.onResume()
  }
  powerMonitor.on('suspend', onSuspend)
  powerMonitor.on('resume', onResume)
  const unsubscribe = deps.events.subscribe((event) => {
    if (event.type === 'backup.progress' && event.progress.phase === 'starting' && blockerId === null) {
      blockerId = powerSaveBlocker.start('prevent-app-suspension')
    } else if ((event.type === 'backup.finished' || event.type === 'backups.changed') && blockerId !== null && deps.runningBackupIds().length === 0) {
      release()
    }
  })
  return {
    blocking: () => blockerId !== null,
    dispose: () => {
      unsubscribe()
      powerMonitor.removeListener('suspend', onSuspend)
      powerMonitor.removeListener('resume', onResume)
      release()
    },
  }
}
