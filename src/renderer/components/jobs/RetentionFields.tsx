import type { Job } from '../../../shared/job-model'
import { describeRetention, draftRetention, GFS_FIELDS, type DraftUpdate, type ErrorOf, type JobDraft } from '../../lib/job-draft'
import { describedBy, Field } from '../Field'
import { RetentionPreview } from './RetentionPreview'

interface RetentionFieldsProps {
  draft: JobDraft
  errorOf: ErrorOf
  update: DraftUpdate
  /** The saved job: only a saved job's retention can be previewed and applied. */
  job: Job | null
}

const countInput = (id: string, error: string | undefined) => ({
  ...describedBy(id, error),
  inputMode: 'numeric' as const,
  autoComplete: 'off',
  placeholder: 'off',
})

/** Retention rules (a backup is kept if any rule keeps it; none at all keeps everything). */
export function RetentionFields({ draft, errorOf, update, job }: RetentionFieldsProps) {
  const counts = [draft.keepLast, draft.keepDays, ...GFS_FIELDS.map(([field]) => draft[field])]
  const readable = counts.every((c) => /^\s*\d*\s*$/.test(c))
  const summary = readable ? describeRetention(draftRetention(draft)) : 'Fix the counts below'
  const unsaved = job !== null && JSON.stringify(draftRetention(draft)) !== JSON.stringify(job.retention)
  return (
    <fieldset className="job-section" aria-labelledby="job-retention-legend">
      <legend id="job-retention-legend">Retention</legend>
      <p className="hint section-hint">
        A backup is kept when any rule keeps it; blank turns a rule off. <span data-testid="retention-summary">{summary}</span>.
      </p>
      <div className="form-grid retention-grid">
        <Field id="job-keepLast" name="keepLast" label="Keep last N" error={errorOf('keepLast')}>
          <input {...countInput('job-keepLast', errorOf('keepLast'))} value={draft.keepLast} onChange={(e) => update('keepLast', e.target.value)} />
        </Field>
        <Field id="job-keepDays" name="keepDays" label="Keep N days" error={errorOf('keepDays')}>
          <input {...countInput('job-keepDays', errorOf('keepDays'))} value={draft.keepDays} onChange={(e) => update('keepDays', e.target.value)} />
        </Field>
        {GFS_FIELDS.map(([field, period]) => (
          <Field key={field} id={`job-${field}`} name={field} label={`GFS ${period}`} error={errorOf(field)}>
            <input {...countInput(`job-${field}`, errorOf(field))} value={draft[field]} onChange={(e) => update(field, e.target.value)} />
          </Field>
        ))}
      </div>
      {job && <RetentionPreview job={job} unsaved={unsaved} />}
    </fieldset>
  )
}
