import type { BackupStatus } from '../../../shared/backup-model'
import { BACKUP_STATUS_LABELS } from '../../lib/labels'

/** success green, failed red, cancelled/interrupted amber, running blue: never confusable at a glance. */
export function StatusBadge({ status }: { status: BackupStatus }) {
  return (
    <span className={`status status-${status}`} data-testid="status-badge" data-status={status}>
      {BACKUP_STATUS_LABELS[status]}
    </span>
  )
}
