import { PagePlaceholder } from '../components/PagePlaceholder'

export function RestorePage() {
  return <PagePlaceholder title="Restore" description="Restoring a backup into a profile, with a dry-run plan and a safety backup of the target first, arrives in a later issue." />
}
