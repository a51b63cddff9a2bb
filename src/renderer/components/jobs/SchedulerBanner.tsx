import type { SchedulerState } from '../../../shared/scheduler-model'

/** Where the schedules run, in one line: the thing to know before wondering why a job didn't fire. */
export function describeScheduler(s: SchedulerState): { text: string; tone: 'ok' | 'warn' | 'off' } {
  if (s.paused) return { text: 'Schedules are paused: slots are skipped (and logged) until you resume them in Settings. Run now still works.', tone: 'warn' }
  if (s.owner === 'this') return { text: 'Schedules run in this app.', tone: 'ok' }
  if (s.owner === 'other') {
    const who = s.ownerKind === 'daemon' ? 'lifeboat daemon' : 'another Lifeboat window'
    return { text: `Schedules are run by ${who}${s.ownerPid === null ? '' : ` (pid ${s.ownerPid})`}.`, tone: 'ok' }
  }
  return { text: 'Schedules are not running: open the desktop app or start `lifeboat daemon`.', tone: 'off' }
}

export function SchedulerBanner({ state }: { state: SchedulerState }) {
  const { text, tone } = describeScheduler(state)
  const busy = state.running + state.queued > 0
  return (
    <p className={`scheduler-banner tone-${tone}`} role="status" data-testid="scheduler-state" data-owner={state.owner} data-paused={state.paused}>
      <span>{text}</span>
      <span className="muted">
        {busy ? `${state.running} running, ${state.queued} queued · ` : ''}at most {state.maxConcurrentRuns} at once
      </span>
    </p>
  )
}
