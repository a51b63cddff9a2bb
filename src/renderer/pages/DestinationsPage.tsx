import { useState } from 'react'
import type { DestinationView } from '../../shared/destination-model'
import type { ErrorInfo } from '../../shared/errors'
import { api } from '../api'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { CallFailure } from '../components/destinations/CallFailure'
import { DestinationForm } from '../components/destinations/DestinationForm'
import { DestinationTable } from '../components/destinations/DestinationTable'
import { useDestinations } from '../hooks/useDestinations'
import { savedCredentials } from '../lib/destination-draft'

/** The form is either closed, adding, or editing one destination. */
type FormState = { open: false } | { open: true; destination: DestinationView | null }

export function DestinationsPage() {
  const { destinations, loading, error, reload } = useDestinations()
  const [form, setForm] = useState<FormState>({ open: false })
  const [removing, setRemoving] = useState<DestinationView | null>(null)
  const [removeError, setRemoveError] = useState<ErrorInfo | null>(null)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)

  function saved(destination: DestinationView, created: boolean) {
    setForm({ open: false })
    setNotice(`Destination “${destination.name}” ${created ? 'added' : 'saved'}.`)
    reload()
  }

  async function confirmRemove() {
    if (!removing) return
    setBusy(true)
    const result = await api.destinations.remove({ name: removing.name })
    setBusy(false)
    // The server refuses while backups are stored there or jobs write there: its message says which.
    if (!result.ok) return setRemoveError(result.error)
    if (form.open && form.destination?.name === removing.name) setForm({ open: false })
    setNotice(`Destination “${removing.name}” removed.`)
    setRemoving(null)
    reload()
  }

  const credentials = removing ? savedCredentials(removing) : null
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Destinations</h1>
        <p className="subtitle">Where backups are stored: folders, S3, Azure Blob, SFTP. Credentials are write-only.</p>
        <button type="button" className="primary" onClick={() => setForm({ open: true, destination: null })} disabled={form.open && form.destination === null}>
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
          key={form.destination?.name ?? 'new'}
          destination={form.destination}
          onSaved={(d) => saved(d, form.destination === null)}
          onCancel={() => setForm({ open: false })}
        />
      )}

      {!loading && (
        <DestinationTable
          destinations={destinations}
          onEdit={(destination) => {
            setNotice(null)
            setForm({ open: true, destination })
          }}
          onRemove={(destination) => {
            setRemoveError(null)
            setRemoving(destination)
          }}
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
