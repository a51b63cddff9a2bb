import type { HealthState, OverallState } from '../../../shared/health-model'

/** The backup badges' colours: ok green, stale amber, failing red, running blue; unmonitored neutral. */
const HEALTH_CLASS: Record<HealthState, string> = {
  ok: 'status-success',
  stale: 'status-cancelled',
  failing: 'status-failed',
  running: 'status-running',
  unmonitored: 'status-unmonitored',
}

export function HealthBadge({ state }: { state: HealthState | OverallState }) {
  return (
    <span className={`status ${HEALTH_CLASS[state]}`} data-testid="health-state" data-state={state}>
      {state}
    </span>
  )
}
