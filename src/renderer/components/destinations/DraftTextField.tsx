import { describedBy, Field } from '../Field'
import { fieldId, type DraftFieldsProps, type TextField } from './draft-fields'

interface DraftTextFieldProps {
  fields: DraftFieldsProps
  field: TextField
  label: string
  hint?: string
  placeholder?: string
  readOnly?: boolean
  numeric?: boolean
}

/** A labelled text input bound to one draft field, with its hint or its error underneath. */
export function DraftTextField({ fields, field, label, hint, placeholder, readOnly, numeric }: DraftTextFieldProps) {
  const id = fieldId(field)
  const error = fields.errorOf(field)
  return (
    <Field id={id} name={field} label={label} error={error} hint={hint}>
      <input
        {...describedBy(id, error, hint !== undefined)}
        name={field}
        value={fields.draft[field]}
        readOnly={readOnly}
        inputMode={numeric ? 'numeric' : undefined}
        autoComplete="off"
        spellCheck={false}
        placeholder={placeholder}
        onChange={(e) => fields.update(field, e.target.value)}
      />
    </Field>
  )
}
