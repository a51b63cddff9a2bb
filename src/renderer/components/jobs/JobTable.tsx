import { BACKUP_STATUSES, type BackupStatus } from '../../../shared/backup-model'
import { ago } from '../../../shared/format'
import type { Job, JobRunState } from '../../../shared/job-model'
import { useNow } from '../../hooks/useNow'
import { describeRetention } from '../../lib/job-draft'
import { formatTimestamp } from '../../lib/labels'
import { StatusBadge } from '../backups/StatusBadge'
import { GridHead } from '../GridHead'
import { fromNow } from './time'

interface JobActions {
  onRun(job: Job): void
  onEdit(job: Job): void
  onRemove(job: Job): void
}

/** idle quiet, queued amber, running blue: "queued" is spelled out so a waiting job never looks stuck. */
function RunStateBadge({ state }: { state: JobRunState }) {
  return (
    <span className={`status job-state-${state}`} data-testid="run-state" data-state={state}>
      {state}
    </span>
  )
}

function NextRun({ job, now }: { job: Job; now: Date }) {
  if (!job.enabled) return <span className="muted">disabled</span>
  if (!job.nextDueAt) return <span className="muted">—</span>
  return (
    <span data-testid="next-run-at">
      <time dateTime={job.nextDueAt} title={job.nextDueAt}>
        {formatTimestamp(job.nextDueAt).slice(0, 16)}
      </time>{' '}
      <span className="muted">({fromNow(job.nextDueAt, now)})</span>
    </span>
  )
}

function LastResult({ job, now }: { job: Job; now: Date }) {
  if (!job.lastStatus) return <span className="muted">never run</span>
  const known = (BACKUP_STATUSES as readonly string[]).includes(job.lastStatus)
  const badge = known ? <StatusBadge status={job.lastStatus as BackupStatus} /> : <span>{job.lastStatus}</span>
  return (
    <span className="last-result" data-testid="last-result">
      {job.lastBackupId ? (
        <a href={`#/backups?backup=${encodeURIComponent(job.lastBackupId)}`} title="Show this backup in the history">
          {badge}
        </a>
      ) : (
        badge
      )}
      {job.lastRunAt && (
        <span className="muted" title={job.lastRunAt}>
          {' '}
          {ago(job.lastRunAt, now)}
        </span>
      )}
    </span>
  )
}

function JobRow({ job, now, onRun, onEdit, onRemove }: { job: Job; now: Date } & JobActions) {
  const busy = job.runState !== 'idle'
  return (
    <tr data-testid={`job-row-${job.name}`} className={job.enabled ? undefined : 'disabled-row'}>
      <td className="name">{job.name}</td>
      <td>{job.profileName}</td>
      <td data-testid="job-description">{job.description}</td>
      <td className="mono">{job.timeZone}</td>
      <td>
        <NextRun job={job} now={now} />
      </td>
      <td>
        <RunStateBadge state={job.runState} />
      </td>
      <td>
        <LastResult job={job} now={now} />
      </td>
      <td data-testid="job-retention">{describeRetention(job.retention)}</td>
      <td className="row-actions">
        <button type="button" aria-label={`Run ${job.name} now`} onClick={() => onRun(job)} disabled={busy}>
          Run now
        </button>
        <button type="button" aria-label={`Edit ${job.name}`} onClick={() => onEdit(job)}>
          Edit
        </button>
        <button type="button" className="danger-link" aria-label={`Delete ${job.name}`} onClick={() => onRemove(job)} disabled={busy} title={busy ? 'Wait for the run to finish' : undefined}>
          Delete
        </button>
      </td>
    </tr>
  )
}

export function JobTable({ jobs, ...actions }: { jobs: Job[] } & JobActions) {
  const now = useNow()
  return (
    <table className="grid job-table" aria-label="Scheduled jobs">
      <GridHead columns={['Name', 'Profile', 'Schedule', 'Time zone', 'Next run (local)', 'State', 'Last result', 'Retention']} />
      <tbody>
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} now={now} {...actions} />
        ))}
      </tbody>
    </table>
  )
}
