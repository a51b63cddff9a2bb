import { api } from '../../api'
import { TableChecklist } from '../TableChecklist'

interface BackupTablesProps {
  backupId: string
  selected: string[]
  onChange(tables: string[]): void
  disabled: boolean
  error?: string | undefined
}

/** The tables inside the backup (restores.tables, from its manifest — not the live source). */
export function BackupTables({ backupId, ...rest }: BackupTablesProps) {
  return (
    <TableChecklist
      sourceKey={backupId}
      load={() => api.restores.tables({ backupId })}
      idPrefix="restore-tables"
      testId="restore-tables"
      listLabel="Tables in the backup"
      loadingText="Loading the tables in the backup…"
      {...rest}
    />
  )
}
