import { Notification } from 'electron'
import type { Backup } from '../../shared/backup-model'
import type { AppEvent } from '../../shared/events'
import { formatBytes, formatDuration } from '../../shared/format'
import type { EventBus } from '../core/events/event-bus'

export interface NotificationDeps {
  events: EventBus
  /** The rule (job's or app setting) for this finished backup; see wantsDesktopNotification. */
  shouldNotify(backup: Backup): boolean
  showWindow(): void
  /** Tells the renderer(s) something, e.g. to open a backup in history. */
  sendToRenderer(event: AppEvent): void
}

export function notificationText(b: Backup): { title: string; body: string } {
  const title = b.status === 'success' ? `Backup of ${b.profileName} succeeded` : `Backup of ${b.profileName} ${b.status}`
  const parts = [`${b.profileName} (${b.engine}) — ${b.fileName}`]
  if (b.sizeBytes !== null) parts.push(`Size: ${formatBytes(b.sizeBytes)}`)
  if (b.durationMs !== null) parts.push(`Duration: ${formatDuration(b.durationMs)}`)
  if (b.error) parts.push(`Error: ${b.error}`)
  return { title, body: parts.join('\n') }
}

/** Native notifications for finished backups, as shouldNotify decides. Returns an unsubscribe. */
export function watchBackupNotifications(deps: NotificationDeps): () => void {
  // Keep shown notifications referenced, or the click handler can be garbage collected on some OSes.
  const live = new Set<Notification>()
  return deps.events.subscribe((event) => {
    if (event.type !== 'backup.finished' || !Notification.isSupported()) return
    const backup = event.backup
    if (!deps.shouldNotify(backup)) return
    const failed = backup.status !== 'success'
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
