import { describedBy, Field } from '../Field'

interface SecretUrlFieldProps {
  id: string
  name: string
  label: string
  value: string
  /** A URL is stored for this job (it is never sent back, only this flag). */
  saved: boolean
  /** The saved URL goes when the form is saved. */
  removing: boolean
  error: string | undefined
  onChange(value: string): void
  onRemovingChange(removing: boolean): void
}

/**
 * A webhook URL is a credential (whoever has it can post): write-only like passwords. A saved one
 * shows as "saved"; blank keeps it, typing replaces it, Remove deletes it on save.
 */
export function SecretUrlField({ id, name, label, value, saved, removing, error, onChange, onRemovingChange }: SecretUrlFieldProps) {
  const hint = !saved ? 'Optional. Write-only: saved, never shown again.' : removing ? 'Removed when you save.' : 'Saved — leave blank to keep it, or type a new URL to replace it.'
  return (
    <Field id={id} name={name} label={label} error={error} hint={hint}>
      <div className="secret-input">
        <input
          {...describedBy(id, error, true)}
          type="url"
          autoComplete="off"
          spellCheck={false}
          placeholder={saved ? (removing ? '(will be removed)' : 'saved — leave blank to keep') : 'https://…'}
          value={value}
          disabled={removing}
          onChange={(e) => onChange(e.target.value)}
        />
        {saved && !removing && (
          <>
            <span className="secret-saved" data-testid={`${name}-saved`}>
              saved
            </span>
            <button type="button" aria-label={`Remove the saved ${label}`} onClick={() => onRemovingChange(true)}>
              Remove
            </button>
          </>
        )}
        {removing && (
          <button type="button" aria-label={`Keep the saved ${label}`} onClick={() => onRemovingChange(false)}>
            Undo
          </button>
        )}
      </div>
    </Field>
  )
}
