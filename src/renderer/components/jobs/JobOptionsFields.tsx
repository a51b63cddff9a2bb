import type { BackupFormat } from '../../../shared/backup-model'
import type { Job } from '../../../shared/job-model'
import type { Engine } from '../../../shared/model'
import { ENGINE_FORMATS } from '../../lib/backup-options'
import type { DraftUpdate, ErrorOf, JobDraft } from '../../lib/job-draft'
import { FORMAT_LABELS } from '../../lib/labels'
import { CompressionField } from '../backups/CompressionField'
import { EncryptionFields } from '../backups/EncryptionFields'
import { describedBy, Field } from '../Field'
import { Options } from '../Options'

/** A recipient key first: unlike a passphrase, it needs no secret kept for the scheduled runs. */
const JOB_ENCRYPTION_CHOICES = ['none', 'recipient', 'passphrase'] as const

interface JobOptionsFieldsProps {
  draft: JobDraft
  errorOf: ErrorOf
  update: DraftUpdate
  /** The chosen profile's engine; null before a profile is chosen. */
  engine: Engine | null
  job: Job | null
}

/** How each run packs its backup: compression, format (what the engine can write) and encryption. */
export function JobOptionsFields({ draft, errorOf, update, engine, job }: JobOptionsFieldsProps) {
  const formats = engine ? ENGINE_FORMATS[engine] : []
  const savedPassphrase = job?.hasPassphrase === true && job.options.encryption?.kind === 'passphrase'
  return (
    <fieldset className="job-section" aria-labelledby="job-options-legend">
      <legend id="job-options-legend">Backup options</legend>
      <div className="form-grid">
        <CompressionField id="job-compression" value={draft.compression} error={errorOf('compression')} onChange={(c) => update('compression', c)} />
        <Field id="job-format" name="format" label="Format" error={errorOf('format')}>
          <select {...describedBy('job-format', errorOf('format'))} value={draft.format} onChange={(e) => update('format', e.target.value as BackupFormat | '')}>
            <option value="">{formats[0] ? `default (${FORMAT_LABELS[formats[0]]})` : 'default for the engine'}</option>
            <Options values={formats} label={(f) => FORMAT_LABELS[f]} />
          </select>
        </Field>
        <EncryptionFields
          idPrefix="job-"
          draft={draft}
          errorOf={errorOf}
          set={update}
          choices={JOB_ENCRYPTION_CHOICES}
          passphraseHint={savedPassphrase ? 'Saved — leave blank to keep it.' : 'Write-only: kept in the secret store for scheduled runs, never shown again.'}
          passphrasePlaceholder={savedPassphrase ? 'saved — leave blank to keep' : undefined}
          alwaysRepeat={false}
        />
      </div>
    </fieldset>
  )
}
