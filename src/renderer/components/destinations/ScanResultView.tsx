import type { ScanResult } from '../../../shared/destination-model'
import type { ScanState } from '../../hooks/useDestinations'
import { CallFailure } from './CallFailure'

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`

/** "3 manifests, 1 added, 0 copies added, 2 already known" */
export function scanSummary(scan: ScanResult): string {
  return `${plural(scan.manifests, 'manifest')}, ${scan.added.length} added, ${plural(scan.copiesAdded.length, 'copy', 'copies')} added, ${scan.alreadyKnown} already known`
}

/** The outcome of "Scan": counts, then each skipped file with the reason it was not indexed. */
export function ScanResultView({ state }: { state: ScanState }) {
  if (state.status === 'idle') return null
  if (state.status === 'running') {
    return (
      <div className="outcome running" role="status" data-testid="scan-result" data-status="running">
        Scanning for backups…
      </div>
    )
  }
  const { result } = state
  if (!result.ok) {
    return (
      <div className="outcome failed" role="status" data-testid="scan-result" data-status="failed">
        <CallFailure error={result.error} />
      </div>
    )
  }
  const scan = result.value
  return (
    <div className={`outcome ${scan.skipped.length ? 'warn' : 'ok'}`} role="status" data-testid="scan-result" data-status="ok">
      <span data-testid="scan-summary">{scanSummary(scan)}</span>
      {scan.skipped.length > 0 && (
        <>
          <span>; {plural(scan.skipped.length, 'file')} skipped:</span>
          <ul className="scan-skipped" aria-label="Skipped files">
            {scan.skipped.map((s) => (
              <li key={`${s.file}:${s.reason}`}>
                <span className="mono">{s.file}</span> — {s.reason}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  )
}
