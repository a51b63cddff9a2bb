import type { ErrorInfo } from '../../shared/errors'
import type { TestState } from '../hooks/useConnectionTest'
import { connectedSummary, ERROR_LABELS } from '../lib/labels'
import { failedHopLabel, type SshRoute } from '../lib/ssh-test'
import { HostKeyChangedNote, HostKeysSeen } from './SshTestDetails'

function Failure({ error, hop }: { error: ErrorInfo; hop?: string | undefined }) {
  return (
    <>
      {hop && (
        <>
          <span className="failed-hop" data-testid="failed-hop">
            {hop}
          </span>{' '}
        </>
      )}
      <span className="error-code">{ERROR_LABELS[error.code]}</span> <span>{hop ? withoutHopPrefix(error.message) : error.message}</span>
    </>
  )
}

/** The core names the hop at the start of its message ("SSH host u@h:22: …"); the label above already does. */
function withoutHopPrefix(message: string): string {
  return message.replace(/^SSH (jump )?host [^\s:]+@\S+?:\d+: /, '')
}

interface TestResultProps {
  state: TestState
  /** Through SSH: the hops in words, to name the one that failed. */
  route?: SshRoute | null
}

/** The outcome of "Test connection": what was reached and with which tool, or one actionable error. */
export function TestResult({ state, route = null }: TestResultProps) {
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
  const ssh = result.ok ? result.value.ssh : undefined
  const error = result.ok ? result.value.error : result.error
  return (
    <div className={`test-result ${ok ? 'ok' : 'failed'}`} role="status" data-testid="test-result" data-status={ok ? 'ok' : 'failed'}>
      {!result.ok ? (
        <Failure error={result.error} />
      ) : result.value.ok ? (
        <span>{connectedSummary(result.value)}</span>
      ) : (
        <Failure
          error={result.value.error ?? { code: 'INTERNAL', message: 'the test failed without an error' }}
          hop={ssh?.failedHop ? failedHopLabel(ssh.failedHop, route) : undefined}
        />
      )}
      {error?.code === 'HOST_KEY_CHANGED' && <HostKeyChangedNote />}
      {ssh && <HostKeysSeen hostKeys={ssh.hostKeys} />}
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
