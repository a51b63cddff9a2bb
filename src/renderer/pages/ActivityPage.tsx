import { useEffect, useMemo, useState } from 'react'
import { ActivityFilters, NO_FILTER, toActivityFilter, type ActivityFilterDraft } from '../components/activity/ActivityFilters'
import { ActivityTable } from '../components/activity/ActivityTable'
import { ErrorLine } from '../components/ErrorLine'
import { ACTIVITY_LIMIT, useActivity } from '../hooks/useActivity'

/** Typing in the search box asks main once the typing pauses, not per keystroke. */
const SEARCH_DEBOUNCE_MS = 200

/** Everything done from the app, the CLI and the scheduler, newest first, filtered in main. */
export function ActivityPage() {
  const [draft, setDraft] = useState<ActivityFilterDraft>(NO_FILTER)
  const [search, setSearch] = useState('')
  useEffect(() => {
    const timer = setTimeout(() => setSearch(draft.search), SEARCH_DEBOUNCE_MS)
    return () => clearTimeout(timer)
  }, [draft.search])
  const filter = useMemo(() => toActivityFilter({ ...draft, search }), [draft, search])
  const { data: entries, error } = useActivity(filter)

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Activity</h1>
        <p className="subtitle">Every backup, restore, deletion, prune and change, from the app, the command line and the scheduler.</p>
      </header>
      {error && <ErrorLine error={error} />}
      <ActivityFilters draft={draft} onChange={setDraft} shown={entries?.length ?? 0} />
      {!entries && !error && <p className="muted">Loading…</p>}
      {entries && entries.length === 0 && (
        <p className="empty" data-testid="activity-empty">
          {JSON.stringify(draft) === JSON.stringify(NO_FILTER) ? 'Nothing recorded yet.' : 'No entry matches these filters.'}
        </p>
      )}
      {entries && entries.length > 0 && <ActivityTable entries={entries} />}
      {entries && entries.length >= ACTIVITY_LIMIT && (
        <p className="muted" data-testid="activity-limit">
          The newest {ACTIVITY_LIMIT} matching entries; narrow the filters (or use <code>lifeboat activity</code>) for older ones.
        </p>
      )}
    </section>
  )
}
