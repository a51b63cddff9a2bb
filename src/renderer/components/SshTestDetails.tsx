import type { HostKeyCheck } from '../../shared/ssh-model'
import { HOST_KEY_STATUS_LABELS, hostKeyHopLabel } from '../lib/ssh-test'

/** The host keys seen on the way to the database, each with whether it is trusted. */
export function HostKeysSeen({ hostKeys }: { hostKeys: readonly HostKeyCheck[] }) {
  if (hostKeys.length === 0) return null
  return (
    <ul className="host-keys-seen" aria-label="Host keys seen" data-testid="host-keys-seen">
      {hostKeys.map((k) => (
        <li key={`${k.hop}:${k.host}:${k.port}`} data-status={k.status}>
          {hostKeyHopLabel(k)}: <span className="mono">{k.fingerprint}</span> — {HOST_KEY_STATUS_LABELS[k.status]}
          {k.expected && (
            <>
              {' '}
              (trusted: <span className="mono">{k.expected}</span>)
            </>
          )}
        </li>
      ))}
    </ul>
  )
}

/** A changed host key is refused, never offered: say so and what to do about it. */
export function HostKeyChangedNote() {
  return (
    <p className="host-key-refused" data-testid="host-key-refused">
      Lifeboat refuses this connection: the server presented another key than the trusted one. A re-installed server explains it; otherwise someone may
      be in between. Ask the server’s administrator before trusting a new key.
    </p>
  )
}
