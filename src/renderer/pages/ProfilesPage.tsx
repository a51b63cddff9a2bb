import type { Profile } from '../../shared/model'
import { api } from '../api'
import { useEditorPage } from '../hooks/useEditorPage'
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

export function ProfilesPage() {
  const { profiles, loading, error, reload } = useProfiles()
  const { form, setForm, edit, removing, setRemoving, askRemove, removeError, busy, notice, saved: savedWith, confirmRemove } = useEditorPage<Profile>({
    reload,
    remove: (item) => api.profiles.remove({ id: item.id }),
    same: (a, b) => a.id === b.id,
    removedNotice: (item) => `Profile “${item.name}” removed.`,
  })

  const saved = (profile: Profile, created: boolean) => savedWith(`Profile “${profile.name}” ${created ? 'created' : 'saved'}.`)

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Profiles</h1>
        <p className="subtitle">How Lifeboat reaches each database. Passwords are write-only.</p>
        <button type="button" className="primary" onClick={() => setForm({ open: true, item: null })} disabled={form.open && form.item === null}>
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
          key={form.item?.id ?? 'new'}
          profile={form.item}
          onSaved={(p) => saved(p, form.item === null)}
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
          onEdit={edit}
          onRemove={askRemove}
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
