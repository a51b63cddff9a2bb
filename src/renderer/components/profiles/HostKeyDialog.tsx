import type { HostKeyCheck } from '../../../shared/ssh-model'
import { ConfirmDialog } from '../ConfirmDialog'

const SERVER_COMMAND = 'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'

interface HostKeyDialogProps {
  check: HostKeyCheck
  onTrust(): void
  onCancel(): void
}

/**
 * Trust on first use, done by the user: the test stopped at a host key that is neither pinned nor in
 * known_hosts. The user compares it with the server's own and trusts it, or not.
 */
export function HostKeyDialog({ check, onTrust, onCancel }: HostKeyDialogProps) {
  const which = check.hop === 'jump' ? 'The jump host' : 'The SSH host'
  return (
    <ConfirmDialog title="Trust this SSH host key?" confirmLabel="Trust this key" onConfirm={onTrust} onCancel={onCancel}>
      <p>
        {which}{' '}
        <span className="mono" data-testid="offered-host-endpoint">
          {check.host}:{check.port}
        </span>{' '}
        presented this host key, which is neither pinned nor in known_hosts:
      </p>
      <p className="fingerprint mono" data-testid="offered-host-key">
        {check.fingerprint}
      </p>
      <p>
        Compare it with the server’s own: run <code className="mono">{SERVER_COMMAND}</code> on the server (or ask its administrator). Trust it only if
        both match.
      </p>
      <p className="muted">
        Trusting pins the key to this profile when you save it — a server presenting another key is then refused — and tests the connection again.
      </p>
    </ConfirmDialog>
  )
}
