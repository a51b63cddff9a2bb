import { keepsSavedSecret, SECRET_OF, type HopDraft, type HopKey } from '../../lib/ssh-draft'
import { describedBy, Field } from '../Field'
import type { HopLabels, HopUpdate } from './hop-labels'

interface SshSecretFieldProps {
  hopKey: HopKey
  hop: HopDraft
  labels: HopLabels
  error: string | undefined
  update: HopUpdate
}

/**
 * The hop's key passphrase or SSH password, write-only like the database password: a saved one is
 * never shown, blank keeps it, a checkbox removes it. Hidden for ssh-agent.
 */
export function SshSecretField({ hopKey, hop, labels, error, update }: SshSecretFieldProps) {
  if (hop.auth === 'agent') return null
  const name = SECRET_OF[hopKey]
  const id = `profile-${name}`
  const isPassword = hop.auth === 'password'
  const label = isPassword ? labels.password : labels.passphrase
  const what = isPassword ? 'password' : 'passphrase'
  const saved = keepsSavedSecret(hop) || (hop.removeSecret && hop.savedSecretAuth === hop.auth)
  const staleSaved = hop.savedSecretAuth !== null && hop.savedSecretAuth !== hop.auth
  const hint = saved
    ? `Leave empty to keep the saved ${what}.`
    : staleSaved
      ? 'The saved secret belongs to another authentication method: it is removed when you save.'
      : isPassword
        ? 'Write-only: saved, never shown again.'
        : 'Only if the key file is encrypted. Write-only: saved, never shown again.'
  return (
    <Field id={id} name={name} label={label} error={error} hint={hint}>
      <input
        {...describedBy(id, error, true)}
        name={name}
        type="password"
        autoComplete="new-password"
        value={hop.secret}
        disabled={hop.removeSecret}
        placeholder={saved && !hop.removeSecret ? '(saved)' : ''}
        onChange={(e) => update(hopKey, { secret: e.target.value }, name)}
      />
      {saved && (
        <label className="checkbox">
          <input
            id={`${id}-remove`}
            type="checkbox"
            checked={hop.removeSecret}
            onChange={(e) => update(hopKey, { removeSecret: e.target.checked, ...(e.target.checked ? { secret: '' } : {}) }, name)}
          />
          Remove saved {what}
        </label>
      )}
    </Field>
  )
}
