import type { Backup } from '../../../shared/backup-model'
import { ENGINE_LABELS } from '../../../shared/model'
import { formatBytes, formatTimestamp } from '../../lib/labels'

/** What is being restored: the DBA checks this first. */
export function SourceSummary({ backup }: { backup: Backup }) {
  return (
    <dl className="restore-facts" data-testid="restore-source">
      <dt>Backup</dt>
      <dd className="mono" data-testid="restore-source-file">
        {backup.fileName}
      </dd>
      <dt>Profile</dt>
      <dd>{backup.profileName}</dd>
      <dt>Taken</dt>
      <dd>
        <time dateTime={backup.startedAt}>{formatTimestamp(backup.startedAt)}</time>
      </dd>
      <dt>Size</dt>
      <dd>
        {formatBytes(backup.sizeBytes)} stored{backup.rawBytes !== null ? ` · ${formatBytes(backup.rawBytes)} raw` : ''}
      </dd>
      <dt>Engine</dt>
      <dd>
        {ENGINE_LABELS[backup.engine]}
        {backup.serverVersion ? ` ${backup.serverVersion}` : ''}
        {backup.encryption ? ` · encrypted (${backup.encryption === 'passphrase' ? 'age passphrase' : 'age recipient'})` : ''}
      </dd>
    </dl>
  )
}
