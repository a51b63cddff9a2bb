import { useState } from 'react'
import type { ErrorInfo } from '../../shared/errors'
import type { Profile } from '../../shared/model'
import { api } from '../api'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorLine } from '../components/ErrorLine'
import { ProfileForm } from '../components/ProfileForm'
import { ProfileTable } from '../components/ProfileTable'
import { useProfiles } from '../hooks/useProfiles'

/** ", and its saved password and SSH secret are deleted too" — whichever are saved. */
function savedSecretsNote(profile: Profile): string {
  const saved = [profile.hasPassword && 'password', profile.hasSshSecret && 'SSH secret', profile.hasJumpSecret && 'jump host secret'].filter(Boolean)
  if (saved.length === 0) return ''
  const names = saved.length === 1 ? saved[0] : `${saved.slice(0, -1).join(', ')} and ${saved.at(-1)}`
  return `, and its saved ${names} ${saved.length === 1 ? 'is' : 'are'} deleted too`
}

/** The form is either closed, creating, or editing one profile. */
type FormState = { open: false } | { open: true; profile: Profile | null }

export function ProfilesPage() {
  const { profiles, loading, error, reload } = useProfiles()
  const [form, setForm] = useState<FormState>({ open: false })
  const [removing, setRemoving] = useState<Profile | null>(null)
  const [removeError, setRemoveError] = useState<ErrorInfo | null>(null)
  const [busy, setBusy] = useState(false)
  const [notice, setNotice] = useState<string | null>(null)

  function saved(profile: Profile, created: boolean) {
    setForm({ open: false })
    setNotice(`Profile “${profile.name}” ${created ? 'created' : 'saved'}.`)
    reload()
  }

  async function confirmRemove() {
    if (!removing) return
    setBusy(true)
    const result = await api.profiles.remove({ id: removing.id })
    setBusy(false)
    if (!result.ok) return setRemoveError(result.error)
    if (form.open && form.profile?.id === removing.id) setForm({ open: false })
    setNotice(`Profile “${removing.name}” removed.`)
    setRemoving(null)
    reload()
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Profiles</h1>
        <p className="subtitle">How Lifeboat reaches each database. Passwords are write-only.</p>
        <button type="button" className="primary" onClick={() => setForm({ open: true, profile: null })} disabled={form.open && form.profile === null}>
          New profile
        </button>
      </header>

      {notice && (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      {error && <ErrorLine error={error} />}

      {form.open && (
        <ProfileForm
          key={form.profile?.id ?? 'new'}
          profile={form.profile}
          onSaved={(p) => saved(p, form.profile === null)}
          onCancel={() => setForm({ open: false })}
        />
      )}

      {!loading && profiles.length === 0 && !error ? (
        <p className="empty" data-testid="profiles-empty">
          No profiles yet. A profile tells Lifeboat how to reach one database; create one with “New profile”.
        </p>
      ) : (
        <ProfileTable
          profiles={profiles}
          onEdit={(profile) => {
            setNotice(null)
            setForm({ open: true, profile })
          }}
          onRemove={(profile) => {
            setRemoveError(null)
            setRemoving(profile)
          }}
        />
      )}

      {removing && (
        <ConfirmDialog
          title={`Remove profile “${removing.name}”?`}
          confirmLabel="Remove profile"
          danger
          busy={busy}
          onConfirm={() => void confirmRemove()}
          onCancel={() => setRemoving(null)}
        >
          <p>
            The profile is deleted{savedSecretsNote(removing)}. This cannot be undone.
          </p>
          {removeError && <ErrorLine error={removeError} />}
        </ConfirmDialog>
      )}
    </section>
  )
}
