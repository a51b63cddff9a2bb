import type { ComponentType } from 'react'
import { apiAvailable } from './api'
import { useAppEvent } from './hooks/useAppEvent'
import { SecretStorageWarning } from './components/SecretStorageWarning'
import { Sidebar, type NavItem } from './components/Sidebar'
import { useHashRoute } from './hooks/useHashRoute'
import { ActivityPage } from './pages/ActivityPage'
import { BackupsPage } from './pages/BackupsPage'
import { DashboardPage } from './pages/DashboardPage'
import { DestinationsPage } from './pages/DestinationsPage'
import { ProfilesPage } from './pages/ProfilesPage'
import { RestorePage } from './pages/RestorePage'
import { SchedulesPage } from './pages/SchedulesPage'
import { SettingsPage } from './pages/SettingsPage'

const PAGES = {
  dashboard: { label: 'Dashboard', Page: DashboardPage },
  profiles: { label: 'Profiles', Page: ProfilesPage },
  backups: { label: 'Backups', Page: BackupsPage },
  restore: { label: 'Restore', Page: RestorePage },
  schedules: { label: 'Schedules', Page: SchedulesPage },
  destinations: { label: 'Destinations', Page: DestinationsPage },
  activity: { label: 'Activity', Page: ActivityPage },
  settings: { label: 'Settings', Page: SettingsPage },
} satisfies Record<string, { label: string; Page: ComponentType }>

type Route = keyof typeof PAGES
const ROUTES = Object.keys(PAGES) as Route[]
const NAV: NavItem<Route>[] = ROUTES.map((id) => ({ id, label: PAGES[id].label }))

export function App() {
  const route = useHashRoute(ROUTES)
  // A desktop notification was clicked: show that backup in history.
  useAppEvent('ui.showBackup', (event) => {
    window.location.hash = `#/backups?backup=${encodeURIComponent(event.backupId)}`
  })
  const { Page } = PAGES[route]
  return (
    <div className="shell">
      <Sidebar items={NAV} current={route} />
      <main className="content">
        {!apiAvailable && (
          <p className="form-error" role="alert">
            Not connected to Lifeboat: window.lifeboat is missing. Open this page from the desktop app.
          </p>
        )}
        <SecretStorageWarning />
        <Page key={route} />
      </main>
    </div>
  )
}
