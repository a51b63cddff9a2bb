import { RESTORE_PHASES, type RestoreProgress, type RestoreResult } from '../../../shared/restore-model'
import { formatBytes, formatDuration } from '../../lib/labels'

const PHASES: Record<(typeof RESTORE_PHASES)[number], string> = {
  verifying: 'Verifying the checksum',
  'safety-backup': 'Safety backup of the target',
  restoring: 'Restoring',
  'rolling-back': 'Rolling back from the safety backup',
  finishing: 'Finishing',
}

interface RestoreProgressViewProps {
  progress: RestoreProgress | null
  result: RestoreResult | null
}

/** Phase, bytes/total and elapsed while it runs; the outcome once restore.finished arrives. */
export function RestoreProgressView({ progress, result }: RestoreProgressViewProps) {
  const status = result?.status ?? 'running'
  const total = progress?.totalBytes ?? null
  const fraction = status === 'success' ? 1 : total && progress ? Math.min(1, progress.bytes / total) : null
  const percent = fraction === null ? null : Math.round(fraction * 100)
  return (
    <div className={`run-progress run-${status}`} data-testid="restore-progress" data-status={status}>
      <div
        className={percent !== null ? 'bar' : status === 'running' ? 'bar indeterminate' : 'bar ended'}
        role="progressbar"
        aria-label="Restore progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
      >
        <div className="fill" style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      <div className="run-stats">
        <span className="phase" data-testid="restore-phase">
          {result ? result.status : progress ? PHASES[progress.phase] : 'Starting'}
        </span>
        {progress && (
          <span data-testid="restore-bytes">
            {formatBytes(progress.bytes)}
            {total !== null ? ` of ${formatBytes(total)}` : ''}
          </span>
        )}
        <span data-testid="restore-elapsed">{formatDuration(result?.durationMs ?? progress?.elapsedMs ?? 0)}</span>
      </div>
      {result && <RestoreOutcome result={result} />}
    </div>
  )
}

function RestoreOutcome({ result }: { result: RestoreResult }) {
  return (
    <div className={`outcome ${result.status === 'success' ? 'ok' : 'failed'}`} data-testid="restore-result" data-status={result.status}>
      <p className="restore-outcome-line">
        {result.status === 'success' ? 'Restored' : result.status === 'cancelled' ? 'Cancelled' : 'Restore failed'} in {formatDuration(result.durationMs)}.
        {result.rolledBack ? ' The target was put back from the safety backup.' : ''}
      </p>
      {result.safetyBackupId && (
        <p className="restore-outcome-line">
          Safety backup: <span className="mono" data-testid="restore-safety-id">{result.safetyBackupId}</span> (in the history, reason pre-restore)
        </p>
      )}
      {result.error && (
        <p className="full-error" data-testid="restore-error">
          {result.error}
        </p>
      )}
    </div>
  )
}
