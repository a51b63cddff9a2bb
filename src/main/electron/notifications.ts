import { Notification } from 'electron'
import type { Backup } from '../../shared/backup-model'
import type { AppEvent } from '../../shared/events'
import type { EventBus } from '../core/events/event-bus'

export interface NotificationDeps {
  events: EventBus
  notifyOnSuccess(): boolean
  showWindow(): void
  /** Tells the renderer(s) something, e.g. to open a backup in history. */
  sendToRenderer(event: AppEvent): void
}

function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let v = n
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`
}

function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s} s`
  return s < 3600 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}

export function notificationText(b: Backup): { title: string; body: string } {
  const title = b.status === 'success' ? `Backup of ${b.profileName} succeeded` : `Backup of ${b.profileName} ${b.status}`
  const parts = [`${b.profileName} (${b.engine}) — ${b.fileName}`]
  if (b.sizeBytes !== null) parts.push(`Size: ${formatBytes(b.sizeBytes)}`)
  if (b.durationMs !== null) parts.push(`Duration: ${formatDuration(b.durationMs)}`)
  if (b.error) parts.push(`Error: ${b.error}`)
  return { title, body: parts.join('\n') }
}

/** Native notifications: failures always, successes when the setting says so. Returns an unsubscribe. */
export function watchBackupNotifications(deps: NotificationDeps): () => void {
  // Keep shown notifications referenced, or the click handler can be garbage collected on some OSes.
  const live = new Set<Notification>()
  return deps.events.subscribe((event) => {
    if (event.type !== 'backup.finished' || !Notification.isSupported()) return
    const backup = event.backup
    const failed = backup.status === 'failed' || backup.status === 'interrupted'
    if (!failed && !(backup.status === 'success' && deps.notifyOnSuccess())) return
    const n = new Notification({ ...notificationText(backup), urgency: failed ? 'critical' : 'normal' })
    live.add(n)
    n.on('click', () => {
      deps.showWindow()
      deps.sendToRenderer({ type: 'ui.showBackup', backupId: backup.id })
      live.delete(n)
    })
    n.on('close', () => live.delete(n))
    n.show()
  })
}
