import { ORIGINS, OUTCOMES, type ActivityFilter } from '../../../shared/activity-model'
import { FilterSelect } from '../FilterSelect'

/** The domains of action names (backup.run, job.create...): what the "Action" filter offers. */
export const ACTION_DOMAINS = ['backup', 'restore', 'job', 'profile', 'settings', 'prune'] as const

/** The filters as the inputs hold them ('' = any); converted to an ActivityFilter for main. */
export interface ActivityFilterDraft {
  origin: '' | (typeof ORIGINS)[number]
  outcome: '' | (typeof OUTCOMES)[number]
  action: '' | (typeof ACTION_DOMAINS)[number]
  search: string
  /** YYYY-MM-DD from the date input: entries since that local midnight. */
  since: string
}

export const NO_FILTER: ActivityFilterDraft = { origin: '', outcome: '', action: '', search: '', since: '' }

const ORIGIN_LABELS: Record<(typeof ORIGINS)[number], string> = { ui: 'App (ui)', cli: 'Command line (cli)', scheduler: 'Scheduler' }

export function toActivityFilter(d: ActivityFilterDraft): ActivityFilter {
  const filter: ActivityFilter = {}
  if (d.origin) filter.origin = d.origin
  if (d.outcome) filter.outcome = d.outcome
  // Pruning is logged as backup.prune: the "prune" domain is that one action.
  if (d.action) filter.action = d.action === 'prune' ? 'backup.prune' : d.action
  if (d.search.trim()) filter.search = d.search.trim()
  const since = d.since ? new Date(`${d.since}T00:00:00`) : null
  if (since && !Number.isNaN(since.getTime())) filter.since = since.toISOString()
  return filter
}

interface ActivityFiltersProps {
  draft: ActivityFilterDraft
  onChange(draft: ActivityFilterDraft): void
  shown: number
}

export function ActivityFilters({ draft, onChange, shown }: ActivityFiltersProps) {
  const set = <K extends keyof ActivityFilterDraft>(key: K, value: ActivityFilterDraft[K]) => onChange({ ...draft, [key]: value })
  const filtered = JSON.stringify(draft) !== JSON.stringify(NO_FILTER)
  return (
    <div className="activity-toolbar" role="search" aria-label="Filter the activity log">
      <FilterSelect id="activity-origin" label="Origin" anyLabel="All origins" values={ORIGINS} optionLabel={(o) => ORIGIN_LABELS[o]} value={draft.origin} onChange={(v) => set('origin', v)} />
      <FilterSelect id="activity-outcome" label="Outcome" anyLabel="Any outcome" values={OUTCOMES} value={draft.outcome} onChange={(v) => set('outcome', v)} />
      <FilterSelect id="activity-action" label="Action" anyLabel="All actions" values={ACTION_DOMAINS} value={draft.action} onChange={(v) => set('action', v)} />
      <label htmlFor="activity-search">Search</label>
      <input id="activity-search" type="search" className="search" placeholder="subject or detail" value={draft.search} onChange={(e) => set('search', e.target.value)} />
      <label htmlFor="activity-since">Since</label>
      <input id="activity-since" type="date" className="since" value={draft.since} onChange={(e) => set('since', e.target.value)} />
      {filtered && (
        <button type="button" onClick={() => onChange(NO_FILTER)}>
          Clear
        </button>
      )}
      <span className="muted" data-testid="activity-count" aria-live="polite">
        {shown} {shown === 1 ? 'entry' : 'entries'}
      </span>
    </div>
  )
}
