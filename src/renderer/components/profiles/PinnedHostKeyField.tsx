import { endpointOf, pinnedKey, type HopDraft } from '../../lib/ssh-draft'
import { describedBy, Field } from '../Field'

interface PinnedHostKeyFieldProps {
  id: string
  name: string
  label: string
  hop: HopDraft
  error: string | undefined
  onForget(): void
}

function keyHint(hop: HopDraft, pinned: string): string {
  if (pinned !== '') return 'Pinned: a server presenting another key is refused.'
  if (hop.hostKey !== '') return `The key pinned for ${hop.hostKeyFor} does not vouch for ${endpointOf(hop)}; Test connection offers this host’s key.`
  return 'Not pinned yet: Test connection shows the server’s key to compare and trust (keys in known_hosts are trusted as well).'
}

/**
 * The fingerprint pinned for a hop, read-only: it is only ever set by trusting a key the test showed.
 * Forget unpins it (the next test asks again).
 */
export function PinnedHostKeyField({ id, name, label, hop, error, onForget }: PinnedHostKeyFieldProps) {
  const pinned = pinnedKey(hop)
  return (
    <Field id={id} name={name} label={label} error={error} hint={keyHint(hop, pinned)}>
      <div className="secret-input">
        <input {...describedBy(id, error, true)} name={name} className="mono" readOnly value={pinned} placeholder="not pinned" />
        {pinned !== '' && (
          <button type="button" aria-label={`Forget the ${label.toLowerCase()}`} onClick={onForget}>
            Forget
          </button>
        )}
      </div>
    </Field>
  )
}
