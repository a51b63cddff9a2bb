import { useState } from 'react'
import type { Backup } from '../../shared/backup-model'
import { DeleteBackupDialog } from '../components/backups/DeleteBackupDialog'
import { HistoryTable } from '../components/backups/HistoryTable'
import { ErrorLine } from '../components/ErrorLine'
import { useHashParam } from '../hooks/useHashRoute'
import { RunSection } from '../components/backups/RunSection'
import { RestoreDialog } from '../components/restore/RestoreDialog'
import { useBackups } from '../hooks/useBackups'
import { useProfiles } from '../hooks/useProfiles'
import { useRowActions } from '../hooks/useRowActions'

/** Run a backup now; check, download, restore by hand or delete earlier ones. */
export function BackupsPage() {
  // A notification click lands here with #/backups?backup=ID: that row opens and scrolls into view.
  const focusId = useHashParam('backup')
  const { profiles, error: profilesError } = useProfiles()
  const { backups, loading, error } = useBackups()
  const actions = useRowActions()
  const [deleting, setDeleting] = useState<Backup | null>(null)
  const [restoring, setRestoring] = useState<Backup | null>(null)
  const [notice, setNotice] = useState<string | null>(null)

  return (
    <section className="page backups-page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Backups</h1>
        <p className="subtitle">Back up a profile now, then verify, download or restore by hand with stock tools.</p>
      </header>

      {notice && (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      {[profilesError, error].map((e) => e && <ErrorLine key={e.message} error={e} />)}

      <RunSection profiles={profiles} backups={backups} />

      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {loading ? <p className="muted">Loading history…</p> : <HistoryTable backups={backups} actions={actions} onDelete={setDeleting} onRestore={setRestoring} focusId={focusId} />}
      </section>

      {restoring && <RestoreDialog backup={restoring} onClose={() => setRestoring(null)} />}
      {deleting && (
        <DeleteBackupDialog
          backup={deleting}
          onCancel={() => setDeleting(null)}
          onDone={() => {
            setNotice(`Deleted ${deleting.fileName}.`)
            setDeleting(null)
          }}
        />
      )}
    </section>
  )
}
