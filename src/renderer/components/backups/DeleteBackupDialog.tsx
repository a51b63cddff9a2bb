import { useState } from 'react'
import type { Backup } from '../../../shared/backup-model'
import type { ErrorInfo } from '../../../shared/errors'
import { api } from '../../api'
import { ConfirmDialog } from '../ConfirmDialog'
import { ErrorLine } from '../ErrorLine'

/** In-app confirmation naming the file: deleting removes every stored copy, not just the history row. */
export function DeleteBackupDialog({ backup, onDone, onCancel }: { backup: Backup; onDone(): void; onCancel(): void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const copies = backup.copies.filter((c) => c.status !== 'deleted').length

  async function confirm() {
    setBusy(true)
    const result = await api.backups.delete({ id: backup.id, confirm: backup.id })
    setBusy(false)
    if (!result.ok) return setError(result.error)
    onDone()
  }

  return (
    <ConfirmDialog title="Delete this backup?" confirmLabel="Delete backup" danger busy={busy} onConfirm={() => void confirm()} onCancel={onCancel}>
      <p className="mono" data-testid="delete-file">
        {backup.fileName}
      </p>
      <p>
        Every stored copy of this file is removed{copies > 1 ? ` (${copies} destinations)` : ''}, with its manifest and its history row.
        This cannot be undone.
      </p>
      {error && <ErrorLine error={error} />}
    </ConfirmDialog>
  )
}
