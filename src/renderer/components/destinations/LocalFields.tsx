import { DraftTextField } from './DraftTextField'
import type { DraftFieldsProps } from './draft-fields'

export function LocalFields({ fields }: { fields: DraftFieldsProps }) {
  return (
    <DraftTextField
      fields={fields}
      field="folder"
      label="Path"
      hint="An absolute folder on this machine or a mounted share; created if missing."
      placeholder="/mnt/backups/lifeboat"
    />
  )
}
