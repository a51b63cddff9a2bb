import { PagePlaceholder } from '../components/PagePlaceholder'

export function ActivityPage() {
  return <PagePlaceholder title="Activity" description="The log of everything done from the app, the CLI and the scheduler arrives in a later issue." />
}
