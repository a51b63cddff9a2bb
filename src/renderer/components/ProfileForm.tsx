import { useMemo, useState, type FormEvent } from 'react'
import { ENGINE_LABELS, ENGINES, TAGS, type Engine, type Profile } from '../../shared/model'
import { api } from '../api'
import { useConnectionTest } from '../hooks/useConnectionTest'
import {
  draftFromProfile,
  draftToInput,
  emptyDraft,
  passwordForCreate,
  passwordForUpdate,
  serverFieldError,
  validateDraft,
  withEngine,
  type FieldErrors,
  type ProfileDraft,
} from '../lib/profile-draft'
import { ERROR_LABELS } from '../lib/labels'
import { describedBy, Field } from './Field'
import { FormActions } from './FormActions'
import { FormError } from './FormError'
import { Options } from './Options'
import { TestResult } from './TestResult'

const FORM_FIELDS: readonly (keyof ProfileDraft)[] = [
  'engine', 'name', 'tag', 'host', 'port', 'user', 'password', 'database', 'clientBinDir', 'file',
]
const TOOLS: Record<Exclude<Engine, 'sqlite'>, { hint: string; example: string }> = {
  postgres: {
    hint: 'Optional. A directory with pg_dump, pg_restore and psql, preferred over the ones found on this machine.',
    example: '/usr/lib/postgresql/16/bin',
  },
  mysql: {
    hint: 'Optional. A directory with mariadb-dump or mysqldump, preferred over the ones found on this machine.',
    example: '/usr/local/mysql/bin',
  },
}

function without(errors: FieldErrors, ...fields: (keyof FieldErrors)[]): FieldErrors {
  const rest = { ...errors }
  for (const f of fields) delete rest[f]
  return rest
}

interface ProfileFormProps {
  /** null creates a new profile. */
  profile: Profile | null
  onSaved(profile: Profile): void
  onCancel(): void
}

/**
 * Create or edit a profile. Errors come from the shared zod schema (shown as you type once a save or a
 * test was attempted) and from the server (e.g. CONFLICT on the name), each next to its field.
 */
export function ProfileForm({ profile, onSaved, onCancel }: ProfileFormProps) {
  const [draft, setDraft] = useState<ProfileDraft>(() => (profile ? draftFromProfile(profile) : emptyDraft()))
  const [attempted, setAttempted] = useState(false)
  const [serverErrors, setServerErrors] = useState<FieldErrors>({})
  const [saving, setSaving] = useState(false)
  const test = useConnectionTest()
  const clientErrors = useMemo(() => (attempted ? validateDraft(draft) : {}), [attempted, draft])
  const errorOf = (field: keyof FieldErrors) => serverErrors[field] ?? clientErrors[field]
  const isServer = draft.engine !== 'sqlite'
  const tools = draft.engine === 'mysql' ? TOOLS.mysql : TOOLS.postgres
  const keepsSavedPassword = profile !== null && profile.hasPassword

  function update<K extends keyof ProfileDraft>(field: K, value: ProfileDraft[K]) {
    setDraft((d) => (field === 'engine' ? withEngine(d, value as Engine) : { ...d, [field]: value }))
    setServerErrors((e) => without(e, field, '_'))
    test.reset() // a result for other settings would mislead
  }

  /** Marks the attempt (errors now show) and says whether the draft may be sent. */
  function attempt(): boolean {
    setAttempted(true)
    return Object.keys(validateDraft(draft)).length === 0
  }

  async function save(event: FormEvent) {
    event.preventDefault()
    if (!attempt()) return
    setSaving(true)
    const input = draftToInput(draft)
    const result = profile
      ? await api.profiles.update({ id: profile.id, profile: input, password: passwordForUpdate(draft) })
      : await api.profiles.create({ profile: input, password: passwordForCreate(draft) })
    setSaving(false)
    if (result.ok) return onSaved(result.value)
    const { field, message } = serverFieldError(result.error, FORM_FIELDS)
    setServerErrors({ [field]: field === '_' ? `${ERROR_LABELS[result.error.code]}: ${message}` : message })
  }

  function testDraft() {
    if (!attempt()) return test.reset()
    const password = draft.removePassword ? undefined : passwordForCreate(draft)
    // With the id, an empty password field means "use the saved one", as on save.
    const savedId = profile && !draft.removePassword ? { id: profile.id } : {}
    test.run({ profile: draftToInput(draft), ...(password === undefined ? {} : { password }), ...savedId })
  }

  const text = (field: 'name' | 'host' | 'port' | 'user' | 'database' | 'clientBinDir' | 'file', hasHint = false) => ({
    ...describedBy(`profile-${field}`, errorOf(field), hasHint),
    name: field,
    value: draft[field],
    onChange: (e: { target: { value: string } }) => update(field, e.target.value),
  })

  return (
    <form className="panel profile-form" onSubmit={save} noValidate aria-labelledby="profile-form-title" data-testid="profile-form">
      <h2 id="profile-form-title">{profile ? `Edit ${profile.name}` : 'New profile'}</h2>
      <FormError message={serverErrors._} />
      <div className="form-grid">
        <Field id="profile-engine" name="engine" label="Engine" error={errorOf('engine')}>
          <select {...describedBy('profile-engine', errorOf('engine'))} value={draft.engine} onChange={(e) => update('engine', e.target.value as Engine)}>
            <Options values={ENGINES} label={(engine) => ENGINE_LABELS[engine]} />
          </select>
        </Field>
        <Field id="profile-name" name="name" label="Name" error={errorOf('name')}>
          <input {...text('name')} autoComplete="off" spellCheck={false} autoFocus />
        </Field>
        <Field id="profile-tag" name="tag" label="Tag" error={errorOf('tag')}>
          <select {...describedBy('profile-tag', errorOf('tag'))} value={draft.tag} onChange={(e) => update('tag', e.target.value as ProfileDraft['tag'])}>
            <option value="">none</option>
            <Options values={TAGS} />
          </select>
        </Field>

        {isServer ? (
          <>
            <Field id="profile-host" name="host" label="Host" error={errorOf('host')}>
              <input {...text('host')} autoComplete="off" spellCheck={false} />
            </Field>
            <Field id="profile-port" name="port" label="Port" error={errorOf('port')}>
              <input {...text('port')} inputMode="numeric" autoComplete="off" />
            </Field>
            <Field id="profile-user" name="user" label="User" error={errorOf('user')}>
              <input {...text('user')} autoComplete="off" spellCheck={false} />
            </Field>
            <Field
              id="profile-password"
              name="password"
              label="Password"
              error={errorOf('password')}
              hint={keepsSavedPassword ? 'Leave empty to keep the saved password.' : 'Write-only: saved, never shown again.'}
            >
              <input
                {...describedBy('profile-password', errorOf('password'), true)}
                name="password"
                type="password"
                autoComplete="new-password"
                value={draft.password}
                disabled={draft.removePassword}
                placeholder={keepsSavedPassword ? '(saved)' : ''}
                onChange={(e) => update('password', e.target.value)}
              />
              {keepsSavedPassword && (
                <label className="checkbox">
                  <input
                    id="profile-removePassword"
                    type="checkbox"
                    checked={draft.removePassword}
                    onChange={(e) => {
                      update('removePassword', e.target.checked)
                      if (e.target.checked) update('password', '')
                    }}
                  />
                  Remove saved password
                </label>
              )}
            </Field>
            <Field id="profile-database" name="database" label="Database" error={errorOf('database')}>
              <input {...text('database')} autoComplete="off" spellCheck={false} />
            </Field>
            <Field
              id="profile-clientBinDir"
              name="clientBinDir"
              label="Client tools directory"
              error={errorOf('clientBinDir')}
              hint={tools.hint}
            >
              <input {...text('clientBinDir', true)} autoComplete="off" spellCheck={false} placeholder={tools.example} />
            </Field>
          </>
        ) : (
          <Field id="profile-file" name="file" label="Database file" error={errorOf('file')} hint="Absolute path of the SQLite database file.">
            <input {...text('file', true)} autoComplete="off" spellCheck={false} placeholder="/var/lib/app/data.sqlite" />
          </Field>
        )}
      </div>

      <TestResult state={test.state} />

      <FormActions submitLabel={profile ? 'Save' : 'Create profile'} saving={saving} onCancel={onCancel}>
        <button type="button" onClick={testDraft} disabled={test.state.status === 'running'}>
          Test connection
        </button>
      </FormActions>
    </form>
  )
}
