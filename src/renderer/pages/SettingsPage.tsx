import { PagePlaceholder } from '../components/PagePlaceholder'

export function SettingsPage() {
  return <PagePlaceholder title="Settings" description="Application settings (notifications, defaults, data directory) arrive in a later issue." />
}
