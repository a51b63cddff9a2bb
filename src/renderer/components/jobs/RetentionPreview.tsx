import { useState } from 'react'
import type { ErrorInfo } from '../../../shared/errors'
import type { Job, PrunePlan } from '../../../shared/job-model'
import { api } from '../../api'
import { formatTimestamp } from '../../lib/labels'
import { ConfirmDialog } from '../ConfirmDialog'
import { ErrorLine } from '../ErrorLine'

const deletions = (plans: PrunePlan[]) => plans.filter((p) => p.refused === null).reduce((n, p) => n + p.decisions.filter((d) => d.action === 'delete').length, 0)

function PlanTable({ plan }: { plan: PrunePlan }) {
  const toDelete = plan.decisions.filter((d) => d.action === 'delete').length
  return (
    <div className="prune-plan" data-testid={`prune-plan-${plan.destination}`}>
      <h4>
        Destination <span className="mono">{plan.destination}</span>:{' '}
        <span className="muted">
          {plan.decisions.length - toDelete} kept, {toDelete} to delete
        </span>
      </h4>
      {plan.refused !== null && (
        <p className="form-error prune-refused" role="alert" data-testid="prune-refused">
          Refused — nothing will be deleted here: {plan.refused}
        </p>
      )}
      {plan.decisions.length === 0 ? (
        <p className="muted">No backups of this job here yet.</p>
      ) : (
        <table className="grid compact" aria-label={`Retention plan for ${plan.destination}`}>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">File</th>
              <th scope="col">Decision</th>
              <th scope="col">Why</th>
            </tr>
          </thead>
          <tbody>
            {plan.decisions.map((d) => (
              <tr key={d.backupId} data-testid="prune-decision" data-action={d.action}>
                <td>
                  <time dateTime={d.startedAt}>{formatTimestamp(d.startedAt)}</time>
                </td>
                <td className="mono">
                  <a href={`#/backups?backup=${encodeURIComponent(d.backupId)}`}>{d.fileName}</a>
                </td>
                <td>
                  <span className={`status ${d.action === 'keep' ? 'status-success' : 'status-failed'}`}>{d.action}</span>
                </td>
                <td>{d.reasons.join('; ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

/**
 * What the saved retention would delete now, per destination and with a reason per backup; "Apply"
 * deletes exactly that, after a confirmation. A refused plan (it would delete every backup) deletes nothing.
 */
export function RetentionPreview({ job, unsaved }: { job: Job; unsaved: boolean }) {
  const [plans, setPlans] = useState<PrunePlan[] | null>(null)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const [busy, setBusy] = useState(false)
  const [confirming, setConfirming] = useState(false)
  const [done, setDone] = useState<string | null>(null)

  async function load() {
    setBusy(true)
    setError(null)
    const result = await api.jobs.prunePlan({ id: job.id })
    setBusy(false)
    if (result.ok) setPlans(result.value)
    else setError(result.error)
  }

  async function apply() {
    setBusy(true)
    const result = await api.jobs.prune({ id: job.id })
    setBusy(false)
    setConfirming(false)
    if (!result.ok) return setError(result.error)
    const n = deletions(result.value)
    setDone(`Deleted ${n} ${n === 1 ? 'backup' : 'backups'}.`)
    await load()
  }

  const count = plans ? deletions(plans) : 0
  return (
    <div className="retention-preview" data-testid="retention-preview">
      <div className="actions">
        <button type="button" onClick={() => void load()} disabled={busy}>
          Preview retention
        </button>
        {plans && (
          <button type="button" className="danger" onClick={() => setConfirming(true)} disabled={busy || count === 0}>
            Apply…
          </button>
        )}
        {unsaved && <span className="hint">Uses the saved rules: save your changes first to preview them.</span>}
        {done && (
          <span className="notice" role="status">
            {done}
          </span>
        )}
      </div>
      {error && <ErrorLine error={error} />}
      {plans?.map((plan) => <PlanTable key={plan.destination} plan={plan} />)}
      {confirming && (
        <ConfirmDialog
          title={`Delete ${count} ${count === 1 ? 'backup' : 'backups'} of “${job.name}”?`}
          confirmLabel="Delete backups"
          danger
          busy={busy}
          onConfirm={() => void apply()}
          onCancel={() => setConfirming(false)}
        >
          <p>Every backup marked “delete” in the plan is removed from that destination, and the activity log records each one. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </div>
  )
}
