import type { Backup } from '../../../shared/backup-model'
import type { Profile } from '../../../shared/model'
import { profileLocation } from '../../lib/labels'
import { describedBy, Field } from '../Field'
import { ProfileOptions } from '../ProfileOptions'
import { TagBadge } from '../TagBadge'
import { BackupTables } from './BackupTables'
import { defaultDatabase, type Content, type DraftErrors, type RestoreDraft } from './draft'

interface RestoreFormProps {
  backup: Backup
  targets: Profile[]
  draft: RestoreDraft
  errors: DraftErrors
  disabled: boolean
  onChange(patch: Partial<RestoreDraft>): void
  production: boolean
  onProduction(on: boolean): void
}

const CONTENT: { value: Content; label: string }[] = [
  { value: 'all', label: 'Schema and data' },
  { value: 'schema', label: 'Schema only' },
  { value: 'data', label: 'Data only' },
]

/** Target and options. Every change here invalidates a plan already previewed (the dialog resets it). */
export function RestoreForm({ backup, targets, draft, errors, disabled, onChange, production, onProduction }: RestoreFormProps) {
  const target = targets.find((p) => p.id === draft.targetProfileId)
  const sqlite = backup.engine === 'sqlite'
  return (
    <fieldset className="restore-form" disabled={disabled}>
      <div className="form-grid restore-grid">
        <Field id="restore-target" label="Target profile" name="target" error={errors.target}>
          <select
            {...describedBy('restore-target', errors.target)}
            value={draft.targetProfileId}
            onChange={(e) => {
              const p = targets.find((t) => t.id === e.target.value)
              onChange({ targetProfileId: e.target.value, database: p ? defaultDatabase(p) : '', createDatabase: false })
            }}
          >
            <ProfileOptions profiles={targets} prompt="Choose a target…" />
          </select>
        </Field>
        <Field
          id="restore-database"
          label={sqlite ? 'Target file' : 'Target database'}
          name="database"
          error={errors.database}
          hint={target ? (sqlite ? 'Absolute path; swapped in atomically at the end.' : `On ${profileLocation(target)}`) : undefined}
        >
          <input
            {...describedBy('restore-database', errors.database, target !== undefined)}
            className="mono"
            value={draft.database}
            onChange={(e) => onChange({ database: e.target.value })}
            disabled={!target}
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        <div className="field">
          <span className="field-label">Target tag</span>
          <div className="restore-tag" data-testid="restore-target-tag">
            {target ? <TagBadge tag={target.tag} /> : <span className="muted">—</span>}
          </div>
        </div>
      </div>

      {target?.tag === 'production' && (
        <label className="checkbox production-check">
          <input type="checkbox" checked={production} onChange={(e) => onProduction(e.target.checked)} />I understand this is a production database
        </label>
      )}

      <div className="restore-options">
        {!sqlite && (
          <label className="checkbox">
            <input type="checkbox" checked={draft.createDatabase} onChange={(e) => onChange({ createDatabase: e.target.checked })} />
            Create database
          </label>
        )}
        <label className="checkbox">
          <input type="checkbox" checked={draft.dropExisting} onChange={(e) => onChange({ dropExisting: e.target.checked })} />
          Drop existing objects
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.safetyBackup} onChange={(e) => onChange({ safetyBackup: e.target.checked })} />
          Safety backup of the target first
        </label>
      </div>
      <div className="restore-options" role="radiogroup" aria-label="What to restore">
        {CONTENT.map((c) => (
          <label className="checkbox" key={c.value}>
            <input type="radio" name="restore-content" checked={draft.content === c.value} onChange={() => onChange({ content: c.value })} />
            {c.label}
          </label>
        ))}
        <span className="option-sep" aria-hidden="true" />
        <label className="checkbox">
          <input type="radio" name="restore-tables" checked={!draft.selectedTables} onChange={() => onChange({ selectedTables: false })} />
          All tables
        </label>
        <label className="checkbox">
          <input type="radio" name="restore-tables" checked={draft.selectedTables} onChange={() => onChange({ selectedTables: true })} />
          Selected tables
        </label>
      </div>
      {draft.selectedTables && (
        <BackupTables backupId={backup.id} selected={draft.tables} onChange={(tables) => onChange({ tables })} disabled={disabled} error={errors.tables} />
      )}

      {backup.encryption && (
        <Field
          id="restore-secret"
          label={backup.encryption === 'passphrase' ? 'Passphrase' : 'Age identity'}
          name="secret"
          error={errors.secret}
          hint="Used for this restore only, never stored."
        >
          {backup.encryption === 'passphrase' ? (
            <input {...describedBy('restore-secret', errors.secret, true)} type="password" autoComplete="off" value={draft.secret} onChange={(e) => onChange({ secret: e.target.value })} />
          ) : (
            <textarea
              {...describedBy('restore-secret', errors.secret, true)}
              className="mono"
              rows={2}
              autoComplete="off"
              spellCheck={false}
              placeholder="AGE-SECRET-KEY-1…"
              value={draft.secret}
              onChange={(e) => onChange({ secret: e.target.value })}
            />
          )}
        </Field>
      )}
    </fieldset>
  )
}
