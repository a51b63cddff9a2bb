import { api } from '../../api'
import { TableChecklist } from '../TableChecklist'

interface TablePickerProps {
  profileId: string
  selected: string[]
  onChange(tables: string[]): void
  error?: string | undefined
}

/** The live database's tables (backups.tables), for a backup of selected tables. */
export function TablePicker({ profileId, ...rest }: TablePickerProps) {
  return (
    <TableChecklist
      sourceKey={profileId}
      load={() => api.backups.tables({ profileId })}
      idPrefix={`tables-${profileId}`}
      testId="table-picker"
      listLabel="Tables"
      loadingText="Loading tables…"
      {...rest}
    />
  )
}
