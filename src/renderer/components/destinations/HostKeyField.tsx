import { useHostKeyFetch } from '../../hooks/useDestinations'
import { ConfirmDialog } from '../ConfirmDialog'
import { describedBy, Field } from '../Field'
import { CallFailure } from './CallFailure'
import { fieldId } from './draft-fields'

const SERVER_COMMAND = 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'

interface HostKeyFieldProps {
  host: string
  port: number
  /** The accepted fingerprint ('' until one is). */
  hostKey: string
  /** The fingerprint saved with the destination, if any. */
  savedHostKey: string | undefined
  error: string | undefined
  onAccept(fingerprint: string): void
}

/** The key's status in words, under the fingerprint. */
function keyStatus(hostKey: string, savedHostKey: string | undefined): string {
  if (hostKey === '') return 'Fetch the server’s host key, compare it, and accept it: Lifeboat then refuses any server presenting another key.'
  return hostKey === savedHostKey ? 'Pinned: connections to a server with another key are refused.' : 'Accepted: pinned when you save.'
}

/**
 * Trust on first use, done by the user: fetch the fingerprint the server presents, compare it with
 * the one the server's administrator sees, accept it. Only an accepted fingerprint reaches the
 * config; the parent remounts this field when host or port change, dropping any fetched key.
 */
export function HostKeyField({ host, port, hostKey, savedHostKey, error, onAccept }: HostKeyFieldProps) {
  const fetch = useHostKeyFetch()
  const id = fieldId('hostKey')
  const endpointValid = host.trim() !== '' && Number.isInteger(port) && port >= 1 && port <= 65535
  const offered = fetch.state.status === 'done' && fetch.state.result.ok ? fetch.state.result.value.fingerprint : null
  const failure = fetch.state.status === 'done' && !fetch.state.result.ok ? fetch.state.result.error : null
  return (
    <Field id={id} name="hostKey" label="Host key" error={error} hint={keyStatus(hostKey, savedHostKey)}>
      <div className="secret-input">
        <input {...describedBy(id, error, true)} className="mono" readOnly value={hostKey} placeholder="not accepted yet" />
        <button type="button" onClick={() => fetch.run({ host: host.trim(), port })} disabled={!endpointValid || fetch.state.status === 'running'}>
          {fetch.state.status === 'running' ? 'Fetching…' : 'Fetch host key'}
        </button>
      </div>
      {failure && (
        <p className="test-result failed" role="alert" data-testid="host-key-error">
          <CallFailure error={failure} />
        </p>
      )}
      {offered && (
        <ConfirmDialog
          title="Trust this SSH server?"
          confirmLabel="Accept host key"
          onConfirm={() => {
            onAccept(offered)
            fetch.reset()
          }}
          onCancel={fetch.reset}
        >
          <p>
            <span className="mono">
              {host.trim()}:{port}
            </span>{' '}
            presented this host key:
          </p>
          <p className="fingerprint mono" data-testid="offered-host-key">
            {offered}
          </p>
          <p>
            Compare it with the server’s own: run <code className="mono">{SERVER_COMMAND}</code> on the server (or ask its administrator). Accept only if
            both match.
          </p>
          {savedHostKey && offered !== savedHostKey && (
            <p className="form-error" role="alert">
              This is not the key saved before ({savedHostKey}). A re-installed server explains it; otherwise someone may be in between.
            </p>
          )}
          {offered === hostKey && <p className="notice">Same as the key accepted now.</p>}
        </ConfirmDialog>
      )}
    </Field>
  )
}
