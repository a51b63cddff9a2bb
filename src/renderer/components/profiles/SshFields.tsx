import type { SshMode } from '../../../shared/ssh-model'
import type { SshDraft, SshErrorKey } from '../../lib/ssh-draft'
import { describedBy, Field } from '../Field'
import type { HopUpdate } from './hop-labels'
import { SshHopFields } from './SshHopFields'

const MODES: readonly { mode: SshMode; label: string; hint: string }[] = [
  { mode: 'tunnel', label: 'Tunnel', hint: 'local tools connect through a forwarded port' },
  { mode: 'exec', label: 'Run the dump on the SSH host', hint: 'the client tools installed there do the work (exec)' },
]

type SettingsField = 'knownHostsPath' | 'keepaliveSeconds' | 'connectTimeoutSeconds'

interface SshFieldsProps {
  ssh: SshDraft
  errorOf(key: SshErrorKey): string | undefined
  /** Changes settings outside the hops; `field` names the error the change may clear. */
  update(patch: Partial<SshDraft>, field?: SshErrorKey): void
  updateHop: HopUpdate
}

/** "Connect through SSH" and, when on, the SSH host, an optional jump host and the connection settings. */
export function SshFields({ ssh, errorOf, update, updateHop }: SshFieldsProps) {
  const setting = (field: SettingsField, hasHint = false) => ({
    ...describedBy(`profile-ssh-${field}`, errorOf(`ssh.${field}`), hasHint),
    name: `ssh-${field}`,
    value: ssh[field],
    autoComplete: 'off',
    spellCheck: false,
    onChange: (e: { target: { value: string } }) => update({ [field]: e.target.value }, `ssh.${field}`),
  })
  return (
    <div className="ssh-settings">
      <label className="checkbox ssh-toggle">
        <input id="profile-ssh-enabled" type="checkbox" checked={ssh.enabled} onChange={(e) => update({ enabled: e.target.checked })} />
        Connect through SSH
      </label>
      {ssh.enabled && (
        <fieldset className="ssh-section" aria-labelledby="profile-ssh-legend" data-testid="ssh-section">
          <legend id="profile-ssh-legend">SSH</legend>
          <div className="ssh-modes" role="radiogroup" aria-label="SSH mode">
            {MODES.map(({ mode, label, hint }) => (
              <label key={mode} className="checkbox">
                <input type="radio" name="ssh-mode" value={mode} checked={ssh.mode === mode} onChange={() => update({ mode }, 'ssh.mode')} />
                <span>
                  <strong>{label}</strong>: {hint}
                </span>
              </label>
            ))}
          </div>
          {errorOf('ssh.mode') && (
            <p className="field-error" data-testid="error-ssh-mode">
              {errorOf('ssh.mode')}
            </p>
          )}
          <div className="form-grid">
            <SshHopFields hopKey="hop" hop={ssh.hop} errorOf={errorOf} update={updateHop} />
          </div>

          <label className="checkbox ssh-toggle">
            <input id="profile-ssh-useJump" type="checkbox" checked={ssh.useJump} onChange={(e) => update({ useJump: e.target.checked })} />
            Through a jump host
          </label>
          {ssh.useJump && (
            <div className="form-grid ssh-jump" role="group" aria-label="Jump host settings">
              <SshHopFields hopKey="jump" hop={ssh.jump} errorOf={errorOf} update={updateHop} />
            </div>
          )}

          <div className="form-grid">
            <Field
              id="profile-ssh-knownHostsPath"
              name="ssh-knownHostsPath"
              label="known_hosts file"
              error={errorOf('ssh.knownHostsPath')}
              hint="Optional. Host keys listed there are trusted as well (default ~/.ssh/known_hosts)."
            >
              <input {...setting('knownHostsPath', true)} placeholder="default: ~/.ssh/known_hosts" />
            </Field>
            <Field
              id="profile-ssh-keepaliveSeconds"
              name="ssh-keepaliveSeconds"
              label="Keepalive (seconds)"
              error={errorOf('ssh.keepaliveSeconds')}
              hint="0 turns keepalives off."
            >
              <input {...setting('keepaliveSeconds', true)} inputMode="numeric" />
            </Field>
            <Field id="profile-ssh-connectTimeoutSeconds" name="ssh-connectTimeoutSeconds" label="Connect timeout (seconds)" error={errorOf('ssh.connectTimeoutSeconds')}>
              <input {...setting('connectTimeoutSeconds')} inputMode="numeric" />
            </Field>
          </div>
        </fieldset>
      )}
    </div>
  )
}
