import { useMemo, useState } from 'react'
import type { Backup } from '../../shared/backup-model'
import { ENGINE_LABELS } from '../../shared/model'
import { RestoreDialog } from '../components/restore/RestoreDialog'
import { useBackups } from '../hooks/useBackups'
import { ERROR_LABELS, formatBytes, formatTimestamp } from '../lib/labels'

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
      {error && (
        <p className="form-error" role="alert">
          {ERROR_LABELS[error.code]}: {error.message}
        </p>
      )}
      <div className="history-toolbar">
        <label htmlFor="restore-profile-filter">Profile</label>
        <select id="restore-profile-filter" value={profile} onChange={(e) => setProfile(e.target.value)}>
          <option value="">All profiles</option>
          {names.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
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
          <thead>
            <tr>
              <th>Taken</th>
              <th>Profile</th>
              <th>Engine</th>
              <th>Size</th>
              <th>File</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
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
