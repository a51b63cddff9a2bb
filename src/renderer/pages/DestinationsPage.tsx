import type { DestinationView } from '../../shared/destination-model'
import { api } from '../api'
import { useEditorPage } from '../hooks/useEditorPage'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { CallFailure } from '../components/destinations/CallFailure'
import { DestinationForm } from '../components/destinations/DestinationForm'
import { DestinationTable } from '../components/destinations/DestinationTable'
import { useDestinations } from '../hooks/useDestinations'
import { savedCredentials } from '../lib/destination-draft'

export function DestinationsPage() {
  const { destinations, loading, error, reload } = useDestinations()
  const { form, setForm, edit, removing, setRemoving, askRemove, removeError, busy, notice, saved: savedWith, confirmRemove } = useEditorPage<DestinationView>({
    reload,
    remove: (item) => api.destinations.remove({ name: item.name }),
    same: (a, b) => a.name === b.name,
    removedNotice: (item) => `Destination “${item.name}” removed.`,
  })

  const saved = (destination: DestinationView, created: boolean) => savedWith(`Destination “${destination.name}” ${created ? 'added' : 'saved'}.`)

  const credentials = removing ? savedCredentials(removing) : null
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Destinations</h1>
        <p className="subtitle">Where backups are stored: folders, S3, Azure Blob, SFTP. Credentials are write-only.</p>
        <button type="button" className="primary" onClick={() => setForm({ open: true, item: null })} disabled={form.open && form.item === null}>
          New destination
        </button>
      </header>

      {notice && (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          <CallFailure error={error} />
        </p>
      )}

      {form.open && (
        <DestinationForm
          key={form.item?.name ?? 'new'}
          destination={form.item}
          onSaved={(d) => saved(d, form.item === null)}
          onCancel={() => setForm({ open: false })}
        />
      )}

      {!loading && (
        <DestinationTable
          destinations={destinations}
          onEdit={edit}
          onRemove={askRemove}
        />
      )}

      {removing && (
        <ConfirmDialog
          title={`Remove destination “${removing.name}”?`}
          confirmLabel="Remove destination"
          danger
          busy={busy}
          onConfirm={() => void confirmRemove()}
          onCancel={() => setRemoving(null)}
        >
          <p>
            Lifeboat forgets this destination{credentials ? ` and deletes its saved credentials (${credentials.replace(/ saved$/, '')})` : ''}. Files at{' '}
            <span className="mono">{removing.location}</span> are left alone.
          </p>
          <p className="muted">A destination that still holds backups, or that a job writes to, can’t be removed.</p>
          {removeError && (
            <p className="form-error" role="alert" data-testid="remove-error">
              <CallFailure error={removeError} />
            </p>
          )}
        </ConfirmDialog>
      )}
    </section>
  )
}
