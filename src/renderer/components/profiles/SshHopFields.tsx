import { SSH_AUTH_METHODS, type SshAuth } from '../../../shared/ssh-model'
import { SECRET_OF, type HopDraft, type HopField, type HopKey, type SshErrorKey } from '../../lib/ssh-draft'
import { describedBy, Field } from '../Field'
import { Options } from '../Options'
import { HOP_LABELS, type HopUpdate } from './hop-labels'
import { PinnedHostKeyField } from './PinnedHostKeyField'
import { SshSecretField } from './SshSecretField'

const AUTH_LABELS: Record<SshAuth, string> = { publickey: 'Private key file', agent: 'ssh-agent', password: 'Password' }

interface SshHopFieldsProps {
  hopKey: HopKey
  hop: HopDraft
  errorOf(key: SshErrorKey): string | undefined
  update: HopUpdate
}

/** Host, port, user, authentication and the pinned host key of the SSH host or the jump host. */
export function SshHopFields({ hopKey, hop, errorOf, update }: SshHopFieldsProps) {
  const labels = HOP_LABELS[hopKey]
  const key = (field: HopField): SshErrorKey => `ssh.${hopKey}.${field}`
  const id = (field: HopField) => `profile-ssh-${hopKey}-${field}`
  const text = (field: 'host' | 'port' | 'user' | 'privateKeyPath', hasHint = false) => ({
    ...describedBy(id(field), errorOf(key(field)), hasHint),
    name: `ssh-${hopKey}-${field}`,
    value: hop[field],
    autoComplete: 'off',
    spellCheck: false,
    onChange: (e: { target: { value: string } }) => update(hopKey, { [field]: e.target.value }, key(field)),
  })
  const dropsSavedSecret = hop.auth === 'agent' && hop.savedSecretAuth !== null
  return (
    <>
      <Field id={id('host')} name={`ssh-${hopKey}-host`} label={labels.host} error={errorOf(key('host'))}>
        <input {...text('host')} placeholder={hopKey === 'jump' ? 'bastion.example.com' : 'db1.example.com'} />
      </Field>
      <Field id={id('port')} name={`ssh-${hopKey}-port`} label={labels.port} error={errorOf(key('port'))}>
        <input {...text('port')} inputMode="numeric" />
      </Field>
      <Field id={id('user')} name={`ssh-${hopKey}-user`} label={labels.user} error={errorOf(key('user'))}>
        <input {...text('user')} />
      </Field>
      <Field
        id={id('auth')}
        name={`ssh-${hopKey}-auth`}
        label={labels.auth}
        error={errorOf(key('auth'))}
        hint={dropsSavedSecret ? 'Uses $SSH_AUTH_SOCK. The saved secret is removed when you save.' : hop.auth === 'agent' ? 'Uses the running ssh-agent ($SSH_AUTH_SOCK).' : undefined}
      >
        <select
          {...describedBy(id('auth'), errorOf(key('auth')), hop.auth === 'agent')}
          value={hop.auth}
          onChange={(e) => update(hopKey, { auth: e.target.value as SshAuth }, SECRET_OF[hopKey])}
        >
          <Options values={SSH_AUTH_METHODS} label={(auth) => AUTH_LABELS[auth]} />
        </select>
      </Field>
      {hop.auth === 'publickey' && (
        <Field
          id={id('privateKeyPath')}
          name={`ssh-${hopKey}-privateKeyPath`}
          label={labels.privateKeyPath}
          error={errorOf(key('privateKeyPath'))}
          hint="An absolute path on this machine."
        >
          <input {...text('privateKeyPath', true)} placeholder="/home/dba/.ssh/id_ed25519" />
        </Field>
      )}
      <SshSecretField hopKey={hopKey} hop={hop} labels={labels} error={errorOf(SECRET_OF[hopKey])} update={update} />
      <div className="field-wide">
        <PinnedHostKeyField
          id={id('hostKey')}
          name={`ssh-${hopKey}-hostKey`}
          label={labels.hostKey}
          hop={hop}
          error={errorOf(key('hostKey'))}
          onForget={() => update(hopKey, { hostKey: '', hostKeyFor: '' }, key('hostKey'))}
        />
      </div>
    </>
  )
}
