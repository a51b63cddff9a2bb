import { useMemo, useState, type FormEvent, type ReactNode } from 'react'
import { DESTINATION_TYPE_LABELS, type DestinationSecretName, type DestinationType, type DestinationView } from '../../../shared/destination-model'
import { api } from '../../api'
import { useDestinationTest } from '../../hooks/useDestinations'
import {
  DESTINATION_TYPES,
  draftFromDestination,
  draftToConfig,
  emptyDraft,
  secretsToSave,
  serverFieldError,
  validateDraft,
  withEndpoint,
  type DestinationDraft,
  type DraftField,
  type FieldErrors,
} from '../../lib/destination-draft'
import { ERROR_LABELS } from '../../lib/labels'
import { describedBy, Field } from '../Field'
import { FormActions } from '../FormActions'
import { Options } from '../Options'
import { AzureFields } from './AzureFields'
import { DestinationTestResult } from './DestinationTestResult'
import { DraftTextField } from './DraftTextField'
import { fieldId, type DraftFieldsProps } from './draft-fields'
import { LocalFields } from './LocalFields'
import { S3Fields } from './S3Fields'
import { SftpFields } from './SftpFields'

const TYPE_FIELDS: Record<DestinationType, (props: { fields: DraftFieldsProps }) => ReactNode> = {
  local: LocalFields,
  s3: S3Fields,
  azure: AzureFields,
  sftp: SftpFields,
}

function without(errors: FieldErrors, ...fields: (DraftField | '_')[]): FieldErrors {
  const rest = { ...errors }
  for (const f of fields) delete rest[f]
  return rest
}

interface DestinationFormProps {
  /** null adds a new destination. */
  destination: DestinationView | null
  onSaved(destination: DestinationView): void
  onCancel(): void
}

/**
 * Add or edit a destination. Errors come from the shared zod schemas (shown as you type once a save
 * or a test was attempted) and from the server (CONFLICT on the name, a missing credential), each
 * next to its field. Names never change: history and jobs refer to them.
 */
export function DestinationForm({ destination, onSaved, onCancel }: DestinationFormProps) {
  const editing = destination !== null
  const [draft, setDraft] = useState<DestinationDraft>(() => (destination ? draftFromDestination(destination) : emptyDraft()))
  const [attempted, setAttempted] = useState(false)
  const [serverErrors, setServerErrors] = useState<FieldErrors>({})
  const [saving, setSaving] = useState(false)
  const test = useDestinationTest()
  const clientErrors = useMemo(() => (attempted ? validateDraft(draft, editing) : {}), [attempted, draft, editing])
  const errorOf = (field: DraftField | '_') => serverErrors[field] ?? clientErrors[field]

  /** Any edit invalidates the server's verdict on that field and the last test (it was of other settings). */
  function edited(field: DraftField | '_', next: (d: DestinationDraft) => DestinationDraft) {
    setDraft(next)
    setServerErrors((e) => without(e, field, '_'))
    test.reset()
  }

  const fields: DraftFieldsProps = {
    draft,
    saved: destination,
    errorOf,
    update: (field, value) =>
      edited(field, (d) => (field === 'host' || field === 'port' ? withEndpoint(d, { [field]: value }, destination) : { ...d, [field]: value })),
    updateSecret: (name: DestinationSecretName, value: string) => edited(name, (d) => ({ ...d, secrets: { ...d.secrets, [name]: value } })),
    setRemovingSecret: (name: DestinationSecretName, removing: boolean) =>
      edited(name, (d) => ({ ...d, secrets: { ...d.secrets, [name]: '' }, removeSecrets: { ...d.removeSecrets, [name]: removing } })),
  }

  function changeType(type: DestinationType) {
    setDraft((d) => ({ ...d, type }))
    setServerErrors({})
    test.reset()
  }

  async function save(event: FormEvent) {
    event.preventDefault()
    setAttempted(true)
    if (Object.keys(validateDraft(draft, editing)).length > 0) return
    setSaving(true)
    const config = draftToConfig(draft)
    const secrets = secretsToSave(draft)
    const result = destination
      ? await api.destinations.update({ name: destination.name, config, secrets })
      : await api.destinations.create({ destination: { name: draft.name.trim(), config }, secrets })
    setSaving(false)
    if (result.ok) return onSaved(result.value)
    const { field, message } = serverFieldError(result.error, draft.type)
    setServerErrors({ [field]: field === '_' ? `${ERROR_LABELS[result.error.code]}: ${message}` : message })
  }

  /** Tests the settings as typed; the name is only needed to fall back to a saved destination's credentials. */
  function testDraft() {
    setAttempted(true)
    if (Object.keys(validateDraft(draft, true)).length > 0) return test.reset()
    test.run({ ...(destination ? { name: destination.name } : {}), config: draftToConfig(draft), secrets: secretsToSave(draft) })
  }

  const TypeFields = TYPE_FIELDS[draft.type]
  const typeError = errorOf('type')
  return (
    <form className="panel destination-form" onSubmit={save} noValidate aria-labelledby="destination-form-title" data-testid="destination-form">
      <h2 id="destination-form-title">{destination ? `Edit ${destination.name}` : 'New destination'}</h2>
      {errorOf('_') && (
        <p className="form-error" role="alert" data-testid="form-error">
          {errorOf('_')}
        </p>
      )}
      <div className="form-grid">
        <DraftTextField
          fields={fields}
          field="name"
          label="Name"
          readOnly={editing}
          hint={editing ? 'Names never change: the history and the jobs refer to them.' : 'Used by jobs, the history and “lifeboat backup --dest”.'}
          placeholder="nas"
        />
        <Field id={fieldId('type')} name="type" label="Type" error={typeError}>
          {editing ? (
            <input {...describedBy(fieldId('type'), typeError)} readOnly value={DESTINATION_TYPE_LABELS[draft.type]} />
          ) : (
            <select {...describedBy(fieldId('type'), typeError)} value={draft.type} onChange={(e) => changeType(e.target.value as DestinationType)}>
              <Options values={DESTINATION_TYPES} label={(type) => DESTINATION_TYPE_LABELS[type]} />
            </select>
          )}
        </Field>
        <TypeFields fields={fields} />
      </div>

      <DestinationTestResult state={test.state} pinnedHostKey={draft.hostKey} />

      <FormActions submitLabel={destination ? 'Save' : 'Add destination'} saving={saving} onCancel={onCancel}>
        <button type="button" onClick={testDraft} disabled={test.state.status === 'running'}>
          Test connection
        </button>
      </FormActions>
    </form>
  )
}
