import { useMemo, useState, type FormEvent } from 'react'
import type { Job } from '../../../shared/job-model'
import type { Profile } from '../../../shared/model'
import { api } from '../../api'
import { ENGINE_FORMATS } from '../../lib/backup-options'
import {
  draftFromJob,
  draftSecrets,
  draftToInput,
  emptyJobDraft,
  serverFieldError,
  validateJobDraft,
  type DraftUpdate,
  type JobDraft,
  type JobField,
  type JobFieldErrors,
} from '../../lib/job-draft'
import { ERROR_LABELS } from '../../lib/labels'
import { describedBy, Field } from '../Field'
import { FormActions } from '../FormActions'
import { FormError } from '../FormError'
import { ProfileOptions } from '../ProfileOptions'
import { CheckFields } from './CheckFields'
import { JobOptionsFields } from './JobOptionsFields'
import { NotificationFields } from './NotificationFields'
import { RetentionFields } from './RetentionFields'
import { ScheduleFields } from './ScheduleFields'

interface JobFormProps {
  /** null creates a new job. */
  job: Job | null
  profiles: Profile[]
  /** Destination names to offer ("local" until remote destinations exist). */
  destinations: string[]
  onSaved(job: Job): void
  onCancel(): void
}

/** Fields whose server error should also go when the user edits another field (they depend on it). */
const CLEARED_WITH: Partial<Record<keyof JobDraft, JobField[]>> = {
  scheduleKind: ['cron', 'time', 'weekday', 'monthDay', 'schedule'],
  profileId: ['format', 'testRestoreProfileId'],
  encryption: ['passphrase', 'recipient'],
  passphrase: ['passphraseAgain'],
}

/** The job's own draft changes that follow from another: a format or test target the new engine can't use. */
function followProfile(draft: JobDraft, profiles: Profile[]): JobDraft {
  const engine = profiles.find((p) => p.id === draft.profileId)?.engine
  if (!engine) return draft
  const format = draft.format !== '' && !ENGINE_FORMATS[engine].includes(draft.format) ? '' : draft.format
  const target = profiles.find((p) => p.id === draft.testRestoreProfileId)
  const testRestoreProfileId = target && target.engine !== engine ? '' : draft.testRestoreProfileId
  return { ...draft, format, testRestoreProfileId }
}

/**
 * Create or edit a scheduled job. Errors come from the shared schema (once a save was attempted), from
 * the live schedule preview and from the server (error.field), each shown next to its field.
 */
export function JobForm({ job, profiles, destinations, onSaved, onCancel }: JobFormProps) {
  const [draft, setDraft] = useState<JobDraft>(() => (job ? draftFromJob(job) : emptyJobDraft(profiles.length === 1 ? profiles[0]!.id : '')))
  const [attempted, setAttempted] = useState(false)
  const [serverErrors, setServerErrors] = useState<JobFieldErrors>({})
  const [saving, setSaving] = useState(false)
  const clientErrors = useMemo(() => (attempted ? validateJobDraft(draft, job) : {}), [attempted, draft, job])
  const errorOf = (field: JobField) => serverErrors[field] ?? clientErrors[field]
  const engine = profiles.find((p) => p.id === draft.profileId)?.engine ?? null
  const offered = [...new Set([...destinations, ...draft.destinations])]

  const update: DraftUpdate = (field, value) => {
    setDraft((d) => {
      const next = { ...d, [field]: value }
      return field === 'profileId' ? followProfile(next, profiles) : next
    })
    setServerErrors((errors) => {
      const rest = { ...errors }
      for (const f of [field, '_', ...(CLEARED_WITH[field] ?? [])] as JobField[]) delete rest[f]
      return rest
    })
  }

  async function save(event: FormEvent) {
    event.preventDefault()
    setAttempted(true)
    if (Object.keys(validateJobDraft(draft, job)).length > 0) return
    setSaving(true)
    const input = draftToInput(draft)
    const secrets = draftSecrets(draft, job)
    const result = job ? await api.jobs.update({ id: job.id, job: input, secrets }) : await api.jobs.create({ job: input, secrets })
    setSaving(false)
    if (result.ok) return onSaved(result.value)
    const { field, message } = serverFieldError(result.error, draft.scheduleKind)
    setServerErrors({ [field]: field === '_' ? `${ERROR_LABELS[result.error.code]}: ${message}` : message })
  }

  const toggleDestination = (name: string, on: boolean) =>
    update('destinations', on ? [...draft.destinations, name] : draft.destinations.filter((d) => d !== name))

  return (
    <form className="panel job-form" onSubmit={save} noValidate aria-labelledby="job-form-title" data-testid="job-form">
      <h2 id="job-form-title">{job ? `Edit ${job.name}` : 'New job'}</h2>
      <FormError message={errorOf('_')} />

      <fieldset className="job-section" aria-labelledby="job-what-legend">
        <legend id="job-what-legend">What</legend>
        <div className="form-grid">
          <Field id="job-name" name="name" label="Name" error={errorOf('name')}>
            <input
              {...describedBy('job-name', errorOf('name'))}
              autoComplete="off"
              spellCheck={false}
              autoFocus
              placeholder="nightly-orders"
              value={draft.name}
              onChange={(e) => update('name', e.target.value)}
            />
          </Field>
          <Field id="job-profileId" name="profileId" label="Profile" error={errorOf('profileId')}>
            <select {...describedBy('job-profileId', errorOf('profileId'))} value={draft.profileId} onChange={(e) => update('profileId', e.target.value)}>
              <ProfileOptions profiles={profiles} prompt="Choose a profile…" />
            </select>
          </Field>
          <div className={errorOf('destinations') ? 'field field-invalid' : 'field'} role="group" aria-labelledby="job-destinations-label">
            <span className="field-label" id="job-destinations-label">
              Destinations
            </span>
            <div className="option-row">
              {offered.map((name) => (
                <label className="checkbox" key={name}>
                  <input type="checkbox" checked={draft.destinations.includes(name)} onChange={(e) => toggleDestination(name, e.target.checked)} />
                  <span className="mono">{name}</span>
                </label>
              ))}
            </div>
            {errorOf('destinations') && (
              <p className="field-error" data-testid="error-destinations">
                {errorOf('destinations')}
              </p>
            )}
          </div>
        </div>
      </fieldset>

      <ScheduleFields draft={draft} errorOf={errorOf} update={update} />
      <RetentionFields draft={draft} errorOf={errorOf} update={update} job={job} />
      <JobOptionsFields draft={draft} errorOf={errorOf} update={update} engine={engine} job={job} />
      <NotificationFields draft={draft} errorOf={errorOf} update={update} job={job} />
      <CheckFields draft={draft} errorOf={errorOf} update={update} profiles={profiles} />

      <FormActions submitLabel={job ? 'Save' : 'Create job'} saving={saving} onCancel={onCancel} />
    </form>
  )
}
