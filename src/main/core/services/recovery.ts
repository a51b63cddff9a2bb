import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { DestinationRegistry } from '../destinations/registry'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import type { BackupsRepo } from '../store/backups-repo'
import { processAlive } from '../util/process-alive'

/** A runner that has not written a heartbeat for this long is dead even if its pid was reused. */
export const STALE_AFTER_MS = 120_000

/**
 * At start-up: a `running` row whose process is gone (crash, kill -9, power cut) becomes
 * `interrupted`, and what it left behind — partial files at destinations, its private temp dir —
 * is removed. Rows of a live runner (the app while the CLI starts, or the reverse) are left alone.
 */
export async function recoverInterrupted(deps: { repo: BackupsRepo; destinations: DestinationRegistry; tempRoot: string; logger: Logger; events: EventBus; now?: () => Date }): Promise<string[]> {
  const now = deps.now?.() ?? new Date()
  const recovered: string[] = []
  for (const row of deps.repo.running()) {
    const stale = !row.heartbeatAt || now.getTime() - Date.parse(row.heartbeatAt) > STALE_AFTER_MS
    const alive = row.runnerPid !== null && row.runnerPid !== process.pid && processAlive(row.runnerPid) && !stale
    if (alive) continue
    for (const name of row.destinations) {
      try {
        await deps.destinations.get(name).removePartial(row.fileName)
      } catch (e) {
        deps.logger.warn('could not remove a partial file of an interrupted backup', { id: row.id, destination: name, error: String(e) })
      }
    }
    await rm(join(deps.tempRoot, row.id), { recursive: true, force: true })
    deps.repo.finish(row.id, {
      status: 'interrupted',
      finishedAt: now.toISOString(),
      durationMs: 0,
      error: `interrupted: the Lifeboat process${row.runnerPid ? ` (pid ${row.runnerPid})` : ''} stopped before the backup finished`,
    })
    recovered.push(row.id)
  }
  if (recovered.length > 0) {
    deps.logger.warn('marked interrupted backups', { ids: recovered })
    deps.events.emit({ type: 'backups.changed' })
  }
  return recovered
}
