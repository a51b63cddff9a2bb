import type { Backup } from '../../../shared/backup-model'
import type { Profile } from '../../../shared/model'
import type { RestoreRequestInput } from '../../../shared/restore-model'

export type Content = 'all' | 'schema' | 'data'

/** What the DBA has chosen in the dialog. The target starts empty: it is picked on purpose every time. */
export interface RestoreDraft {
  targetProfileId: string
  database: string
  createDatabase: boolean
  dropExisting: boolean
  content: Content
  selectedTables: boolean
  tables: string[]
  safetyBackup: boolean
  /** The passphrase or the age identity, for encrypted backups only; never stored. */
  secret: string
}

export const emptyDraft = (): RestoreDraft => ({
  targetProfileId: '',
  database: '',
  createDatabase: false,
  dropExisting: false,
  content: 'all',
  selectedTables: false,
  tables: [],
  safetyBackup: true,
  secret: '',
})

/** The database a profile restores into by default (SQLite: its file). */
export const defaultDatabase = (p: Profile): string => (p.engine === 'sqlite' ? p.file : p.database)

/** Only profiles of the backup's engine can be targets. */
export const targetsFor = (backup: Backup, profiles: Profile[]): Profile[] =>
  profiles.filter((p) => p.engine === backup.engine).sort((a, b) => a.name.localeCompare(b.name))

export type DraftErrors = Partial<Record<'target' | 'database' | 'tables' | 'secret', string>>

/** The mistakes the dialog can show before asking the core. */
export function validateDraft(backup: Backup, d: RestoreDraft): DraftErrors {
  const errors: DraftErrors = {}
  if (!d.targetProfileId) errors.target = 'choose a target profile'
  if (!d.database.trim()) errors.database = backup.engine === 'sqlite' ? 'the target file is required' : 'the target database is required'
  if (d.selectedTables && d.tables.length === 0) errors.tables = 'choose at least one table, or restore all tables'
  if (backup.encryption && !d.secret) errors.secret = backup.encryption === 'passphrase' ? 'the passphrase is required' : 'the age identity is required'
  return errors
}

/** The request for restores.plan / restores.run; `confirm` is only what the DBA typed. */
export function toRequest(backup: Backup, d: RestoreDraft, confirm: { name: string; production: boolean } | null): RestoreRequestInput {
  const decrypt = !backup.encryption ? undefined : backup.encryption === 'passphrase' ? { passphrase: d.secret } : { identity: d.secret.trim() }
  return {
    backupId: backup.id,
    targetProfileId: d.targetProfileId,
    options: {
      database: d.database.trim(),
      createDatabase: backup.engine !== 'sqlite' && d.createDatabase,
      dropExisting: d.dropExisting,
      schemaOnly: d.content === 'schema',
      dataOnly: d.content === 'data',
      ...(d.selectedTables ? { tables: d.tables } : {}),
      safetyBackup: d.safetyBackup,
    },
    confirm: confirm?.name ?? '',
    confirmProduction: confirm?.production ?? false,
    ...(decrypt ? { decrypt } : {}),
  }
}
