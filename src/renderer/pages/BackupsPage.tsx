import { PagePlaceholder } from '../components/PagePlaceholder'

export function BackupsPage() {
  return <PagePlaceholder title="Backups" description="The backup history, with run, verify, export and delete, arrives in a later issue." />
}
