import { HealthCard } from '../components/dashboard/HealthCard'
import { OverallBanner } from '../components/dashboard/OverallBanner'
import { ErrorLine } from '../components/ErrorLine'
import { useHealth } from '../hooks/useHealth'
import { useNow } from '../hooks/useNow'

/** Every profile's backup health (the summary the tray and `lifeboat status` use), live. */
export function DashboardPage() {
  const { data: summary, error } = useHealth()
  const now = useNow()
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Dashboard</h1>
        <p className="subtitle">Is every database backed up recently, and did the last run work?</p>
      </header>
      {error && <ErrorLine error={error} />}
      {!summary && !error && <p className="muted">Loading…</p>}
      {summary && summary.profiles.length === 0 && (
        <p className="empty" data-testid="dashboard-empty">
          Nothing to watch yet: <a href="#/profiles">create a profile</a>, back it up, and schedule it on the Schedules page.
        </p>
      )}
      {summary && summary.profiles.length > 0 && (
        <>
          <OverallBanner summary={summary} />
          <div className="health-grid">
            {summary.profiles.map((p) => (
              <HealthCard key={p.profileId} health={p} now={now} />
            ))}
          </div>
        </>
      )}
    </section>
  )
}
