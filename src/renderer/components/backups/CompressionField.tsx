import { COMPRESSIONS, type Compression } from '../../../shared/backup-model'
import { COMPRESSION_LABELS } from '../../lib/labels'
import { Field } from '../Field'
import { Options } from '../Options'

interface CompressionFieldProps {
  id: string
  value: Compression
  error?: string | undefined
  onChange(value: Compression): void
}

export function CompressionField({ id, value, error, onChange }: CompressionFieldProps) {
  return (
    <Field id={id} name="compression" label="Compression" error={error}>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as Compression)}>
        <Options values={COMPRESSIONS} label={(c) => `${COMPRESSION_LABELS[c]}${c === 'zstd' ? ' (default)' : ''}`} />
      </select>
    </Field>
  )
}
