import type { Backup, BackupProgress } from '../../../shared/backup-model'
import { formatBytes, formatDuration } from '../../lib/labels'

const PHASES: Record<BackupProgress['phase'], string> = {
  starting: 'Starting',
  dumping: 'Dumping',
  finishing: 'Finishing (checksum, sync, manifest)',
}

interface RunProgressProps {
  progress: BackupProgress | null
  /** The final row once the run is over. */
  finished: Backup | null
  /** Names the bar for assistive tech: there is one per profile card. */
  label: string
}

/**
 * A determinate bar when the database size is known, else an indeterminate one with the bytes so far.
 * A successful run ends at 100% even when the size estimate was off; a failed or cancelled one stops
 * where it was (or fills in its status colour when no fraction was ever known).
 */
export function RunProgress({ progress, finished, label }: RunProgressProps) {
  const status = finished?.status ?? 'running'
  const fraction = status === 'success' ? 1 : progress?.fraction ?? null
  const percent = fraction === null ? null : Math.min(100, Math.max(0, Math.round(fraction * 100)))
  const raw = finished?.rawBytes ?? progress?.rawBytes ?? 0
  const stored = finished?.sizeBytes ?? progress?.storedBytes ?? 0
  const phase = finished ? finished.status : progress ? PHASES[progress.phase] : 'Starting'
  return (
    <div className={`run-progress run-${status}`} data-testid="run-progress" data-status={status}>
      <div
        className={percent !== null ? 'bar' : status === 'running' ? 'bar indeterminate' : 'bar ended'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={percent === null ? `${formatBytes(raw)} dumped` : `${percent}%`}
        data-testid="progress-bar"
      >
        <div className="fill" style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      <div className="run-stats">
        <span className="phase" data-testid="run-phase">
          {phase}
          {percent !== null && status === 'running' ? ` · ${percent}%` : ''}
        </span>
        <span>
          {formatBytes(raw)} raw → {formatBytes(stored)} stored
        </span>
        {progress && status === 'running' && <span>{formatBytes(progress.rate)}/s</span>}
        <span>{formatDuration(finished?.durationMs ?? progress?.elapsedMs ?? 0)}</span>
      </div>
    </div>
  )
}
