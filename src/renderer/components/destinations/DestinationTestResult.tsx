import type { DestinationTestState } from '../../hooks/useDestinations'
import { CallFailure } from './CallFailure'

/** The outcome of "Test": what was checked and how fast, or the specific failure. */
export function DestinationTestResult({ state, pinnedHostKey }: { state: DestinationTestState; pinnedHostKey?: string | undefined }) {
  if (state.status === 'idle') return null
  if (state.status === 'running') {
    return (
      <div className="test-result running" role="status" data-testid="test-result" data-status="running">
        Testing destination…
      </div>
    )
  }
  const { result } = state
  const ok = result.ok && result.value.ok
  // A failed SFTP test names the key the server presented: the clue when it was re-installed.
  const otherHostKey = result.ok && !result.value.ok && result.value.hostKey && result.value.hostKey !== pinnedHostKey ? result.value.hostKey : null
  return (
    <div className={`test-result ${ok ? 'ok' : 'failed'}`} role="status" data-testid="test-result" data-status={ok ? 'ok' : 'failed'}>
      {!result.ok ? (
        <CallFailure error={result.error} />
      ) : result.value.ok ? (
        <span>
          OK — {result.value.message} · {result.value.latencyMs} ms
        </span>
      ) : (
        <span>{result.value.message}</span>
      )}
      {otherHostKey && (
        <p className="host-key-seen">
          The server presented the host key <code className="mono">{otherHostKey}</code>.
        </p>
      )}
    </div>
  )
}
