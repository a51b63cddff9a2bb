import type { ErrorInfo } from '../../shared/errors'
import type { TestState } from '../hooks/useConnectionTest'
import { connectedSummary, ERROR_LABELS } from '../lib/labels'

function Failure({ error }: { error: ErrorInfo }) {
  return (
    <>
      <span className="error-code">{ERROR_LABELS[error.code]}</span> <span>{error.message}</span>
    </>
  )
}

/** The outcome of "Test connection": what was reached and with which tool, or one actionable error. */
export function TestResult({ state }: { state: TestState }) {
  if (state.status === 'idle') return null
  if (state.status === 'running') {
    return (
      <div className="test-result running" role="status" data-testid="test-result" data-status="running">
        Testing connection…
      </div>
    )
  }
  const { result } = state
  const ok = result.ok && result.value.ok
  const warnings = result.ok ? result.value.warnings : []
  return (
    <div className={`test-result ${ok ? 'ok' : 'failed'}`} role="status" data-testid="test-result" data-status={ok ? 'ok' : 'failed'}>
      {!result.ok ? (
        <Failure error={result.error} />
      ) : result.value.ok ? (
        <span>{connectedSummary(result.value)}</span>
      ) : (
        <Failure error={result.value.error ?? { code: 'INTERNAL', message: 'the test failed without an error' }} />
      )}
      {warnings.length > 0 && (
        <ul className="warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </div>
  )
}
