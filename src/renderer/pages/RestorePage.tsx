import { useMemo, useState } from 'react'
import type { Backup } from '../../shared/backup-model'
import { ENGINE_LABELS } from '../../shared/model'
import { ErrorLine } from '../components/ErrorLine'
import { FilterSelect } from '../components/FilterSelect'
import { GridHead } from '../components/GridHead'
import { RestoreDialog } from '../components/restore/RestoreDialog'
import { useBackups } from '../hooks/useBackups'
import { formatBytes, formatTimestamp } from '../lib/labels'

/** Past this, narrow by profile: a restore starts from a backup the DBA can name, not from a long scroll. */
const SHOWN = 200

/** Pick a successful backup, then restore it through the dialog (plan, typed confirmation, progress). */
export function RestorePage() {
  const { backups, loading, error } = useBackups()
  const [profile, setProfile] = useState('')
  const [restoring, setRestoring] = useState<Backup | null>(null)
  const restorable = useMemo(() => backups.filter((b) => b.status === 'success'), [backups])
  const names = useMemo(() => [...new Set(restorable.map((b) => b.profileName))].sort((a, b) => a.localeCompare(b)), [restorable])
  const shown = profile ? restorable.filter((b) => b.profileName === profile) : restorable

  return (
    <section className="page restore-page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Restore</h1>
        <p className="subtitle">Restore a backup into its own profile or another of the same engine: verified first, a safety backup of the target, a typed confirmation.</p>
      </header>
      {error && <ErrorLine error={error} />}
      <div className="history-toolbar">
        <FilterSelect id="restore-profile-filter" label="Profile" anyLabel="All profiles" values={names} value={profile} onChange={setProfile} />
        <span className="muted" data-testid="restore-count">
          {shown.length} restorable {shown.length === 1 ? 'backup' : 'backups'}
          {shown.length > SHOWN ? ` (the newest ${SHOWN} shown)` : ''}
        </span>
      </div>
      {loading ? (
        <p className="muted">Loading backups…</p>
      ) : shown.length === 0 ? (
        <p className="empty" data-testid="restore-empty">
          No successful backup yet: make one on the Backups page.
        </p>
      ) : (
        <table className="grid restore-list" aria-label="Restorable backups">
          <GridHead columns={['Taken', 'Profile', 'Engine', 'Size', 'File']} />
          <tbody>
            {shown.slice(0, SHOWN).map((b) => (
              <tr key={b.id} data-testid={`restore-row-${b.id}`}>
                <td>
                  <time dateTime={b.startedAt}>{formatTimestamp(b.startedAt)}</time>
                </td>
                <td className="name">{b.profileName}</td>
                <td>{ENGINE_LABELS[b.engine]}</td>
                <td>{formatBytes(b.sizeBytes)}</td>
                <td className="mono">{b.fileName}</td>
                <td className="row-actions">
                  <button type="button" aria-label={`Restore ${b.fileName}`} onClick={() => setRestoring(b)}>
                    Restore…
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {restoring && <RestoreDialog backup={restoring} onClose={() => setRestoring(null)} />}
    </section>
  )
}
