import type { App } from 'electron'
import type { LifeboatCore } from '../core/app'

type QuitEvent = { preventDefault(): void }

/**
 * The app runs the schedules for as long as it lives (also with the window closed). When a
 * `lifeboat daemon` holds the data dir's lock the app stands by and takes over once it stops.
 * On quit, running backups are cancelled (recorded as cancelled, not interrupted) and the lock is
 * released before the app really exits.
 */
export function runSchedulesWhileAlive(app: Pick<App, 'on' | 'quit'>, core: Pick<LifeboatCore, 'scheduler' | 'backups' | 'logger'>): void {
  const started = core.scheduler.start()
  if (!started.acquired) core.logger.info('schedules are run by another process', { pid: started.holder.pid, kind: started.holder.kind })
  let stopping = false
  app.on('before-quit', (event: QuitEvent) => {
    if (stopping) return
    stopping = true
    event.preventDefault()
    core.backups.cancelAll()
    void core.scheduler
      .stop()
      .catch((e: unknown) => core.logger.error('scheduler stop failed', { error: String(e) }))
      .finally(() => app.quit())
  })
}
