import { PagePlaceholder } from '../components/PagePlaceholder'

export function SchedulesPage() {
  return <PagePlaceholder title="Schedules" description="Backup jobs on a schedule (cron, daily, weekly, monthly) with retention arrive in a later issue." />
}
