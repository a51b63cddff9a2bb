import type { Engine } from '../../../shared/model'
import { ENGINE_FORMATS, type OptionsDraft, type OptionsErrors } from '../../lib/backup-options'
import { FORMAT_LABELS } from '../../lib/labels'
import { describedBy, Field } from '../Field'
import { Options } from '../Options'
import { CompressionField } from './CompressionField'
import { EncryptionFields } from './EncryptionFields'
import { TablePicker } from './TablePicker'

/** A passphrase first: for one run it is typed, used and forgotten. */
const RUN_ENCRYPTION_CHOICES = ['none', 'passphrase', 'recipient'] as const

interface BackupOptionsFormProps {
  profileId: string
  engine: Engine
  draft: OptionsDraft
  errors: OptionsErrors
  onChange(draft: OptionsDraft): void
}

/** The options of one "Back up now": what to dump, how to pack it, whether to encrypt it. */
export function BackupOptionsForm({ profileId, engine, draft, errors, onChange }: BackupOptionsFormProps) {
  const id = (field: string) => `backup-${profileId}-${field}`
  const set = <K extends keyof OptionsDraft>(field: K, value: OptionsDraft[K]) => onChange({ ...draft, [field]: value })
  const formats = ENGINE_FORMATS[engine]
  return (
    <fieldset className="backup-options" data-testid="backup-options">
      <legend className="visually-hidden">Backup options</legend>
      <div className="form-grid">
        <CompressionField id={id('compression')} value={draft.compression} onChange={(c) => set('compression', c)} />
        <Field id={id('format')} label="Format" name="format" hint={engine === 'mysql' ? 'mariadb-dump / mysqldump write SQL.' : undefined}>
          <select id={id('format')} value={draft.format} disabled={formats.length === 1} onChange={(e) => set('format', e.target.value as OptionsDraft['format'])}>
            <Options values={formats} label={(f) => FORMAT_LABELS[f]} />
          </select>
        </Field>
        <Field id={id('label')} label="Label" name="label" error={errors.label} hint="Shown in history and added to the file name.">
          <input
            {...describedBy(id('label'), errors.label, true)}
            type="text"
            maxLength={100}
            placeholder="e.g. before upgrade"
            value={draft.label}
            onChange={(e) => set('label', e.target.value)}
          />
        </Field>
      </div>

      <div className="option-row" role="radiogroup" aria-label="Content">
        <span className="option-title">Content</span>
        {(['all', 'schema', 'data'] as const).map((scope) => (
          <label className="checkbox" key={scope}>
            <input type="radio" name={id('scope')} checked={draft.scope === scope} onChange={() => set('scope', scope)} />
            {scope === 'all' ? 'Schema and data' : scope === 'schema' ? 'Schema only' : 'Data only'}
          </label>
        ))}
      </div>

      <div className="option-row" role="radiogroup" aria-label="Tables">
        <span className="option-title">Tables</span>
        <label className="checkbox">
          <input type="radio" name={id('tables')} checked={draft.tablesMode === 'all'} onChange={() => set('tablesMode', 'all')} />
          All tables
        </label>
        <label className="checkbox">
          <input type="radio" name={id('tables')} checked={draft.tablesMode === 'selected'} onChange={() => set('tablesMode', 'selected')} />
          Selected tables
        </label>
      </div>
      {draft.tablesMode === 'selected' && (
        <TablePicker profileId={profileId} selected={draft.tables} onChange={(tables) => set('tables', tables)} error={errors.tables} />
      )}

      <div className="form-grid">
        <EncryptionFields
          idPrefix={id('')}
          draft={draft}
          errorOf={(field) => errors[field]}
          set={set}
          choices={RUN_ENCRYPTION_CHOICES}
          passphraseHint="Never stored: without it the backup cannot be read."
          alwaysRepeat
        />
      </div>
    </fieldset>
  )
}
