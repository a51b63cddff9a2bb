import { ageRecipientSchema, type BackupFormat, type Compression } from '../../shared/backup-model'
import type { ChannelInput } from '../../shared/contract'
import type { Engine } from '../../shared/model'

/** What the "Back up now" options panel edits: form-shaped (strings, modes), converted on run. */
export interface OptionsDraft {
  compression: Compression
  format: BackupFormat
  scope: 'all' | 'schema' | 'data'
  tablesMode: 'all' | 'selected'
  tables: string[]
  label: string
  encryption: 'none' | 'passphrase' | 'recipient'
  passphrase: string
  passphraseAgain: string
  recipient: string
}

export type OptionsErrors = Partial<Record<'tables' | 'label' | 'passphrase' | 'passphraseAgain' | 'recipient', string>>

/** The formats each engine can produce, default first (DESIGN.md §5). */
export const ENGINE_FORMATS: Record<Engine, BackupFormat[]> = {
  postgres: ['custom', 'plain'],
  mysql: ['plain'],
  sqlite: ['sqlite', 'plain'],
}

export function defaultDraft(engine: Engine): OptionsDraft {
  return {
    compression: 'zstd',
    format: ENGINE_FORMATS[engine][0] ?? 'plain',
    scope: 'all',
    tablesMode: 'all',
    tables: [],
    label: '',
    encryption: 'none',
    passphrase: '',
    passphraseAgain: '',
    recipient: '',
  }
}

/** Client-side checks, mirroring backupOptionsSchema plus what only the form knows (the repeated passphrase). */
export function validateOptions(d: OptionsDraft): OptionsErrors {
  const errors: OptionsErrors = {}
  if (d.tablesMode === 'selected' && d.tables.length === 0) errors.tables = 'choose at least one table, or back up all tables'
  if (d.label.trim().length > 100) errors.label = 'at most 100 characters'
  if (d.encryption === 'passphrase') {
    if (d.passphrase.length === 0) errors.passphrase = 'type a passphrase'
    else if (d.passphrase.length > 1024) errors.passphrase = 'at most 1024 characters'
    else if (d.passphraseAgain !== d.passphrase) errors.passphraseAgain = 'the two passphrases differ'
  }
  if (d.encryption === 'recipient') {
    const parsed = ageRecipientSchema.safeParse(d.recipient.trim())
    if (!parsed.success) errors.recipient = parsed.error.issues[0]?.message ?? 'invalid recipient'
  }
  return errors
}

export function toRunInput(profileId: string, d: OptionsDraft): ChannelInput<'backups.run'> {
  const label = d.label.trim()
  return {
    profileId,
    options: {
      compression: d.compression,
      format: d.format,
      schemaOnly: d.scope === 'schema',
      dataOnly: d.scope === 'data',
      tables: d.tablesMode === 'selected' ? d.tables : undefined,
      label: label || undefined,
      encryption: d.encryption === 'none' ? null : d.encryption === 'passphrase' ? { kind: 'passphrase' } : { kind: 'recipient', recipient: d.recipient.trim() },
    },
    passphrase: d.encryption === 'passphrase' ? d.passphrase : undefined,
  }
}

/** "zstd · custom · schema only · 3 tables · age passphrase · “pre-upgrade”" — the closed panel's summary. */
export function describeDraft(d: OptionsDraft): string {
  const parts: string[] = [d.compression === 'none' ? 'uncompressed' : d.compression, d.format]
  if (d.scope !== 'all') parts.push(d.scope === 'schema' ? 'schema only' : 'data only')
  parts.push(d.tablesMode === 'selected' ? `${d.tables.length} table${d.tables.length === 1 ? '' : 's'}` : 'all tables')
  if (d.encryption !== 'none') parts.push(d.encryption === 'passphrase' ? 'age passphrase' : 'age recipient')
  if (d.label.trim()) parts.push(`“${d.label.trim()}”`)
  return parts.join(' · ')
}
