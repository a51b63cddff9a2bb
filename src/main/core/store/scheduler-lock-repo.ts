import { hostname } from 'node:os'
import { processAlive } from '../util/process-alive'
import type { Db } from './open-store'

export type SchedulerKind = 'desktop' | 'daemon'

export interface LockHolder {
  token: string
  pid: number
  kind: SchedulerKind
  host: string
  acquiredAt: string
  heartbeatAt: string
}

interface LockRow {
  token: string
  pid: number
  kind: SchedulerKind
  host: string
  acquired_at: string
  heartbeat_at: string
}

const toHolder = (r: LockRow): LockHolder => ({ token: r.token, pid: r.pid, kind: r.kind, host: r.host, acquiredAt: r.acquired_at, heartbeatAt: r.heartbeat_at })

/**
 * The data dir's scheduler lock, as a row in the store: SQLite's write lock makes take-over atomic
 * across processes. A holder is alive while its pid exists on this host and its heartbeat is fresh.
 */
export class SchedulerLockRepo {
  constructor(
    private readonly db: Db,
    private readonly alive: (pid: number) => boolean = processAlive,
  ) {}

  holder(): LockHolder | null {
    const row = this.db.prepare('SELECT * FROM scheduler_lock WHERE id = 1').get() as LockRow | undefined
    return row ? toHolder(row) : null
  }

  /** A holder that stopped heart-beating for `staleMs`, or whose process is gone, no longer counts. */
  isLive(h: LockHolder, now: Date, staleMs: number): boolean {
    const fresh = now.getTime() - Date.parse(h.heartbeatAt) <= staleMs
    const sameHost = h.host === hostname()
    return fresh && (!sameHost || this.alive(h.pid))
  }

  /** Takes the lock when free, stale or dead; otherwise returns the live holder. */
  acquire(me: { token: string; pid: number; kind: SchedulerKind }, now: Date, staleMs: number): { acquired: true } | { acquired: false; holder: LockHolder } {
    return this.db
      .transaction((): { acquired: true } | { acquired: false; holder: LockHolder } => {
        const current = this.holder()
        if (current && current.token !== me.token && this.isLive(current, now, staleMs)) return { acquired: false, holder: current }
        const at = now.toISOString()
        this.db
          .prepare(
            `INSERT INTO scheduler_lock (id, token, pid, kind, host, acquired_at, heartbeat_at) VALUES (1, ?, ?, ?, ?, ?, ?)
             ON CONFLICT(id) DO UPDATE SET token = excluded.token, pid = excluded.pid, kind = excluded.kind, host = excluded.host,
               acquired_at = excluded.acquired_at, heartbeat_at = excluded.heartbeat_at`,
          )
          .run(me.token, me.pid, me.kind, hostname(), at, at)
        return { acquired: true }
      })
      .immediate()
  }

  /** Refreshes the heartbeat; false when the lock was taken over (then the caller must stop scheduling). */
  heartbeat(token: string, now: Date): boolean {
    return this.db.prepare('UPDATE scheduler_lock SET heartbeat_at = ? WHERE id = 1 AND token = ?').run(now.toISOString(), token).changes === 1
  }

  release(token: string): void {
    this.db.prepare('DELETE FROM scheduler_lock WHERE id = 1 AND token = ?').run(token)
  }
}
