import { COMPRESSIONS } from '../../../shared/backup-model'
import type { Engine } from '../../../shared/model'
import { ENGINE_FORMATS, type OptionsDraft, type OptionsErrors } from '../../lib/backup-options'
import { COMPRESSION_LABELS, FORMAT_LABELS } from '../../lib/labels'
import { describedBy, Field } from '../Field'
import { TablePicker } from './TablePicker'

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
        <Field id={id('compression')} label="Compression" name="compression">
          <select id={id('compression')} value={draft.compression} onChange={(e) => set('compression', e.target.value as OptionsDraft['compression'])}>
            {COMPRESSIONS.map((c) => (
              <option key={c} value={c}>
                {COMPRESSION_LABELS[c]}
                {c === 'zstd' ? ' (default)' : ''}
              </option>
            ))}
          </select>
        </Field>
        <Field id={id('format')} label="Format" name="format" hint={engine === 'mysql' ? 'mariadb-dump / mysqldump write SQL.' : undefined}>
          <select id={id('format')} value={draft.format} disabled={formats.length === 1} onChange={(e) => set('format', e.target.value as OptionsDraft['format'])}>
            {formats.map((f) => (
              <option key={f} value={f}>
                {FORMAT_LABELS[f]}
              </option>
            ))}
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
        <Field id={id('encryption')} label="Encryption" name="encryption" hint="age: files decrypt with the stock age tool.">
          <select id={id('encryption')} value={draft.encryption} onChange={(e) => set('encryption', e.target.value as OptionsDraft['encryption'])}>
            <option value="none">None</option>
            <option value="passphrase">age, passphrase</option>
            <option value="recipient">age, recipient public key</option>
          </select>
        </Field>
        {draft.encryption === 'passphrase' && (
          <>
            <Field id={id('passphrase')} label="Passphrase" name="passphrase" error={errors.passphrase} hint="Never stored: without it the backup cannot be read.">
              <input {...describedBy(id('passphrase'), errors.passphrase, true)} type="password" autoComplete="new-password" value={draft.passphrase} onChange={(e) => set('passphrase', e.target.value)} />
            </Field>
            <Field id={id('passphrase-again')} label="Repeat passphrase" name="passphraseAgain" error={errors.passphraseAgain}>
              <input
                {...describedBy(id('passphrase-again'), errors.passphraseAgain)}
                type="password"
                autoComplete="new-password"
                value={draft.passphraseAgain}
                onChange={(e) => set('passphraseAgain', e.target.value)}
              />
            </Field>
          </>
        )}
        {draft.encryption === 'recipient' && (
          <Field id={id('recipient')} label="age recipient" name="recipient" error={errors.recipient} hint="The public key printed by age-keygen -y.">
            <input
              {...describedBy(id('recipient'), errors.recipient, true)}
              className="mono"
              type="text"
              spellCheck={false}
              placeholder="age1…"
              value={draft.recipient}
              onChange={(e) => set('recipient', e.target.value)}
            />
          </Field>
        )}
      </div>
    </fieldset>
  )
}
