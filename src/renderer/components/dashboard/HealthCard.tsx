import { ago, formatBytes, formatDuration } from '../../../shared/format'
import type { ProfileHealth } from '../../../shared/health-model'
import { ENGINE_LABELS } from '../../../shared/model'
import { formatTimestamp } from '../../lib/labels'
import { TagBadge } from '../TagBadge'
import { HealthBadge } from './HealthBadge'
import { HealthChart } from './HealthChart'

function When({ iso, now }: { iso: string | null; now: Date }) {
  if (!iso) return <span className="muted">never</span>
  return (
    <time dateTime={iso} title={formatTimestamp(iso)}>
      {ago(iso, now)}
    </time>
  )
}

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 100)} %`)

/** One profile's health at a glance: state and why, last success and failure, totals, and the trend. */
export function HealthCard({ health: h, now }: { health: ProfileHealth; now: Date }) {
  const { stats } = h
  return (
    <article className={`health-card health-${h.state}`} data-testid={`health-card-${h.name}`} aria-labelledby={`health-${h.profileId}`}>
      <header className="health-card-head">
        <h2 id={`health-${h.profileId}`}>{h.name}</h2>
        <TagBadge tag={h.tag} />
        <span className="muted">{ENGINE_LABELS[h.engine]}</span>
        <span className="spacer" />
        <HealthBadge state={h.state} />
      </header>
      <p className="health-reason" data-testid="health-reason">
        {h.reason}
      </p>
      <dl className="health-facts">
        <dt>Last success</dt>
        <dd data-testid="last-success">
          <When iso={h.lastSuccessAt} now={now} />
        </dd>
        <dt>Last failure</dt>
        <dd data-testid="last-failure">
          <When iso={h.lastFailureAt} now={now} />
          {h.lastError && (
            <span className="health-error" title={h.lastError}>
              {' '}
              {h.lastError}
            </span>
          )}
        </dd>
        <dt>Jobs</dt>
        <dd>{h.jobs.length === 0 ? <span className="muted">none</span> : h.jobs.join(', ')}</dd>
        <dt>Backups</dt>
        <dd data-testid="stats-count">
          {stats.count}
          {stats.failedCount > 0 && <span className="muted"> ({stats.failedCount} failed)</span>}
        </dd>
        <dt>Success rate</dt>
        <dd data-testid="stats-success-rate">{percent(stats.successRate)}</dd>
        <dt>Stored</dt>
        <dd>{formatBytes(stats.totalBytes)}</dd>
        <dt>Avg. duration</dt>
        <dd>{formatDuration(stats.averageDurationMs)}</dd>
        {h.maxAgeMs !== null && (
          <>
            <dt>Max. age</dt>
            <dd>{formatDuration(h.maxAgeMs)}</dd>
          </>
        )}
      </dl>
      {h.series.length > 0 ? <HealthChart series={h.series} /> : <p className="muted chart-empty">No finished runs yet.</p>}
    </article>
  )
}
