import type { Profile } from '../../../shared/model'
import type { DraftUpdate, ErrorOf, JobDraft } from '../../lib/job-draft'
import { describedBy, Field } from '../Field'

interface CheckFieldsProps {
  draft: JobDraft
  errorOf: ErrorOf
  update: DraftUpdate
  profiles: Profile[]
}

/** How Lifeboat checks the job's backups: how old the newest good one may get, and a restore test. */
export function CheckFields({ draft, errorOf, update, profiles }: CheckFieldsProps) {
  const source = profiles.find((p) => p.id === draft.profileId)
  // A test restore needs the same engine; it creates and drops a scratch database, so never production.
  const targets = profiles.filter((p) => !source || p.engine === source.engine)
  return (
    <fieldset className="job-section" aria-labelledby="job-checks-legend">
      <legend id="job-checks-legend">Health and checks</legend>
      <div className="form-grid">
        <Field
          id="job-maxAgeHours"
          name="maxAgeHours"
          label="Maximum age (hours)"
          error={errorOf('maxAgeHours')}
          hint="The newest good backup must be younger; blank: the schedule's interval plus some slack."
        >
          <input
            {...describedBy('job-maxAgeHours', errorOf('maxAgeHours'), true)}
            inputMode="decimal"
            autoComplete="off"
            placeholder="from the schedule"
            value={draft.maxAgeHours}
            onChange={(e) => update('maxAgeHours', e.target.value)}
          />
        </Field>
        <Field
          id="job-testRestoreProfileId"
          name="testRestoreProfileId"
          label="Test restore into"
          error={errorOf('testRestoreProfileId')}
          hint="After each good run: restore into a scratch database there and compare row counts."
        >
          <select
            {...describedBy('job-testRestoreProfileId', errorOf('testRestoreProfileId'), true)}
            value={draft.testRestoreProfileId}
            onChange={(e) => update('testRestoreProfileId', e.target.value)}
          >
            <option value="">No test restore</option>
            {targets.map((p) => (
              <option key={p.id} value={p.id} disabled={p.tag === 'production'}>
                {p.name}
                {p.tag === 'production' ? ' (production: not allowed)' : ''}
              </option>
            ))}
          </select>
        </Field>
      </div>
    </fieldset>
  )
}
