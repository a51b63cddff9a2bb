import { PagePlaceholder } from '../components/PagePlaceholder'

export function DashboardPage() {
  return <PagePlaceholder title="Dashboard" description="The health of every profile — last successful backup, next scheduled run, failures — arrives in a later issue." />
}
