import { PagePlaceholder } from '../components/PagePlaceholder'

export function DestinationsPage() {
  return <PagePlaceholder title="Destinations" description="Where backups are stored — local folders, S3, Azure and SFTP — arrives in a later issue." />
}
