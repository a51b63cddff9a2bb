import { useMemo, useState, type FormEvent } from 'react'
import { ENGINE_LABELS, ENGINES, TAGS, type Engine, type Profile } from '../../shared/model'
import type { HostKeyCheck } from '../../shared/ssh-model'
import { api } from '../api'
import { useConnectionTest } from '../hooks/useConnectionTest'
import {
  draftFromProfile,
  draftToInput,
  emptyDraft,
  secretsForCreate,
  secretsForUpdate,
  serverFieldError,
  testInput,
  validateDraft,
  withEngine,
  type FieldErrors,
  type ProfileDraft,
} from '../lib/profile-draft'
import { ERROR_LABELS } from '../lib/labels'
import { hopKeyOf, SSH_ERROR_KEYS, withPinnedKey, type HopDraft, type HopKey, type SshDraft, type SshErrorKey } from '../lib/ssh-draft'
import { hostKeyToTrust, sshRoute } from '../lib/ssh-test'
import { describedBy, Field } from './Field'
import { FormActions } from './FormActions'
import { FormError } from './FormError'
import { Options } from './Options'
import { HostKeyDialog } from './profiles/HostKeyDialog'
import { SshFields } from './profiles/SshFields'
import { TestResult } from './TestResult'

const FORM_FIELDS: readonly (keyof FieldErrors)[] = [
  'engine', 'name', 'tag', 'host', 'port', 'user', 'password', 'database', 'clientBinDir', 'file', ...SSH_ERROR_KEYS,
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
  /** The test result whose host key offer the user declined (Cancel): not offered again. */
  const [declined, setDeclined] = useState<unknown>(null)
  const test = useConnectionTest()
  const clientErrors = useMemo(() => (attempted ? validateDraft(draft) : {}), [attempted, draft])
  const errorOf = (field: keyof FieldErrors) => serverErrors[field] ?? clientErrors[field]
  const isServer = draft.engine !== 'sqlite'
  const tools = draft.engine === 'mysql' ? TOOLS.mysql : TOOLS.postgres
  const keepsSavedPassword = profile !== null && profile.hasPassword
  // A host key the last test stopped at, to offer for trust, unless the user declined it.
  const testResult = test.state.status === 'done' ? test.state.result : null
  const offered = testResult?.ok && testResult !== declined ? hostKeyToTrust(testResult.value) : null

  function update<K extends keyof ProfileDraft>(field: K, value: ProfileDraft[K]) {
    setDraft((d) => (field === 'engine' ? withEngine(d, value as Engine) : { ...d, [field]: value }))
    setServerErrors((e) => without(e, field, '_'))
    test.reset() // a result for other settings would mislead
  }

  function updateSsh(change: (ssh: SshDraft) => SshDraft, field?: SshErrorKey) {
    setDraft((d) => ({ ...d, ssh: change(d.ssh) }))
    setServerErrors((e) => (field ? without(e, field, '_') : without(e, '_')))
    test.reset()
  }
  const updateHop = (hop: HopKey, patch: Partial<HopDraft>, field: SshErrorKey) => updateSsh((ssh) => ({ ...ssh, [hop]: { ...ssh[hop], ...patch } }), field)

  /** Marks the attempt (errors now show) and says whether the draft may be sent. */
  function attempt(d: ProfileDraft = draft): boolean {
    setAttempted(true)
    return Object.keys(validateDraft(d)).length === 0
  }

  async function save(event: FormEvent) {
    event.preventDefault()
    if (!attempt()) return
    setSaving(true)
    const input = draftToInput(draft)
    const result = profile
      ? await api.profiles.update({ id: profile.id, profile: input, ...secretsForUpdate(draft) })
      : await api.profiles.create({ profile: input, ...secretsForCreate(draft) })
    setSaving(false)
    if (result.ok) return onSaved(result.value)
    const { field, message } = serverFieldError(result.error, FORM_FIELDS)
    setServerErrors({ [field]: field === '_' ? `${ERROR_LABELS[result.error.code]}: ${message}` : message })
  }

  function testDraft(d: ProfileDraft = draft) {
    if (!attempt(d)) return test.reset()
    // With the id, an empty secret field means "use the saved one", as on save.
    test.run(testInput(d, profile?.id ?? null))
  }

  /** Pins the key the user compared and trusted into the draft (saved with the profile), and tests again. */
  function trust(check: HostKeyCheck) {
    const next = { ...draft, ssh: withPinnedKey(draft.ssh, hopKeyOf(check.hop), check.fingerprint) }
    setDraft(next)
    testDraft(next)
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
            <Field
              id="profile-host"
              name="host"
              label="Host"
              error={errorOf('host')}
              hint={draft.ssh.enabled ? 'As seen from the SSH host: 127.0.0.1 for a server on the SSH host itself.' : undefined}
            >
              <input {...text('host', draft.ssh.enabled)} autoComplete="off" spellCheck={false} />
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

      {isServer && <SshFields ssh={draft.ssh} errorOf={errorOf} update={(patch, field) => updateSsh((ssh) => ({ ...ssh, ...patch }), field)} updateHop={updateHop} />}

      <TestResult state={test.state} route={isServer ? sshRoute(draftToInput(draft)) : null} />
      {offered && <HostKeyDialog check={offered} onTrust={() => trust(offered)} onCancel={() => setDeclined(testResult)} />}

      <FormActions submitLabel={profile ? 'Save' : 'Create profile'} saving={saving} onCancel={onCancel}>
        <button type="button" onClick={() => testDraft()} disabled={test.state.status === 'running'}>
          Test connection
        </button>
      </FormActions>
    </form>
  )
}
