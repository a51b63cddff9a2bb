import type { Job } from '../../../shared/job-model'
import type { DraftUpdate, ErrorOf, JobDraft } from '../../lib/job-draft'
import { SecretUrlField } from './SecretUrlField'

/** Each webhook: its URL in the draft, the draft's "delete the saved one" flag, the job's "one is saved" flag. */
const WEBHOOKS = [
  { field: 'slackWebhookUrl', remove: 'removeSlackWebhook', saved: 'hasSlackWebhook', label: 'Slack webhook URL' },
  { field: 'webhookUrl', remove: 'removeWebhook', saved: 'hasWebhook', label: 'Webhook URL' },
] as const

interface NotificationFieldsProps {
  draft: JobDraft
  errorOf: ErrorOf
  update: DraftUpdate
  job: Job | null
}

/** Whom to tell: failures always go to every channel set here; successes only with "also on success". */
export function NotificationFields({ draft, errorOf, update, job }: NotificationFieldsProps) {
  return (
    <fieldset className="job-section" aria-labelledby="job-notify-legend">
      <legend id="job-notify-legend">Notifications</legend>
      <div className="option-row">
        <label className="checkbox">
          <input type="checkbox" checked={draft.notifyDesktop} onChange={(e) => update('notifyDesktop', e.target.checked)} />
          Desktop notification
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={draft.notifyOnSuccess} onChange={(e) => update('notifyOnSuccess', e.target.checked)} />
          Also on success
        </label>
        <span className="hint">Failures always notify on every channel below.</span>
      </div>
      <div className="form-grid two">
        {WEBHOOKS.map((w) => (
          <SecretUrlField
            key={w.field}
            id={`job-${w.field}`}
            name={w.field}
            label={w.label}
            value={draft[w.field]}
            saved={job?.[w.saved] ?? false}
            removing={draft[w.remove]}
            error={errorOf(w.field)}
            onChange={(v) => update(w.field, v)}
            onRemovingChange={(r) => {
              update(w.remove, r)
              if (r) update(w.field, '')
            }}
          />
        ))}
      </div>
    </fieldset>
  )
}
