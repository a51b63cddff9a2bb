import type { DestinationSecretName } from '../../../shared/destination-model'
import { SECRET_LABELS } from '../../lib/destination-draft'
import { describedBy, Field } from '../Field'
import { fieldId, type DraftFieldsProps } from './draft-fields'

interface SecretFieldProps {
  fields: DraftFieldsProps
  name: DestinationSecretName
  /** Said when nothing is saved yet (what the credential is for, whether it is optional). */
  hint: string
}

/**
 * A write-only credential: a saved one shows as "saved" and is never sent back; blank keeps it,
 * typing replaces it, Remove deletes it on save.
 */
export function SecretField({ fields, name, hint }: SecretFieldProps) {
  const id = fieldId(name)
  const label = SECRET_LABELS[name]
  const error = fields.errorOf(name)
  const saved = fields.saved?.secrets.includes(name) ?? false
  const removing = fields.draft.removeSecrets[name]
  const shownHint = !saved ? `${hint} Write-only: saved, never shown again.` : removing ? 'Removed when you save.' : 'Saved — leave blank to keep it, or type a new one to replace it.'
  return (
    <Field id={id} name={name} label={label} error={error} hint={shownHint}>
      <div className="secret-input">
        <input
          {...describedBy(id, error, true)}
          name={name}
          type="password"
          autoComplete="new-password"
          spellCheck={false}
          placeholder={saved ? (removing ? '(will be removed)' : 'saved — leave blank to keep') : ''}
          value={fields.draft.secrets[name]}
          disabled={removing}
          onChange={(e) => fields.updateSecret(name, e.target.value)}
        />
        {saved && !removing && (
          <>
            <span className="secret-saved" data-testid={`${name}-saved`}>
              saved
            </span>
            <button type="button" aria-label={`Remove the saved ${label.toLowerCase()}`} onClick={() => fields.setRemovingSecret(name, true)}>
              Remove
            </button>
          </>
        )}
        {removing && (
          <button type="button" aria-label={`Keep the saved ${label.toLowerCase()}`} onClick={() => fields.setRemovingSecret(name, false)}>
            Undo
          </button>
        )}
      </div>
    </Field>
  )
}
