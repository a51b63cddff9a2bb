import { HEALTH_STATES, type HealthSummary } from '../../../shared/health-model'
import { HealthBadge } from './HealthBadge'

const HEADLINES: Record<HealthSummary['overall'], string> = {
  ok: 'All monitored backups are healthy.',
  stale: 'Some backups are overdue.',
  failing: 'A backup is failing.',
  running: 'A backup is running.',
}

/** The one line to read first, with how many profiles are in each state. */
export function OverallBanner({ summary }: { summary: HealthSummary }) {
  const counts = HEALTH_STATES.map((state) => [state, summary.profiles.filter((p) => p.state === state).length] as const).filter(([, n]) => n > 0)
  return (
    <div className={`overall-banner overall-${summary.overall}`} role="status" data-testid="overall" data-state={summary.overall}>
      <HealthBadge state={summary.overall} />
      <strong>{HEADLINES[summary.overall]}</strong>
      <span className="muted">{counts.map(([state, n]) => `${n} ${state}`).join(' · ')}</span>
    </div>
  )
}
