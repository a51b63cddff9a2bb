import { DraftTextField } from './DraftTextField'
import type { DraftFieldsProps } from './draft-fields'
import { HostKeyField } from './HostKeyField'
import { SecretField } from './SecretField'

export function SftpFields({ fields }: { fields: DraftFieldsProps }) {
  const { draft, saved, errorOf, update } = fields
  const port = draft.port.trim() === '' ? Number.NaN : Number(draft.port)
  const savedConfig = saved?.config.type === 'sftp' ? saved.config : null
  // The saved key only vouches for the saved host and port.
  const savedHostKey = savedConfig && savedConfig.host === draft.host.trim() && savedConfig.port === port ? savedConfig.hostKey : undefined
  return (
    <>
      <DraftTextField fields={fields} field="host" label="Host" placeholder="backup.example.com" />
      <DraftTextField fields={fields} field="port" label="Port" numeric />
      <DraftTextField fields={fields} field="user" label="User" placeholder="lifeboat" />
      <DraftTextField fields={fields} field="remotePath" label="Remote folder" hint="An absolute folder on the server." placeholder="/srv/backups/lifeboat" />
      <DraftTextField
        fields={fields}
        field="privateKeyPath"
        label="Private key file"
        hint="Optional. An absolute path on this machine; give it or a password."
        placeholder="/home/dba/.ssh/id_ed25519"
      />
      <SecretField fields={fields} name="password" hint="Optional with a private key." />
      <SecretField fields={fields} name="keyPassphrase" hint="Only if the private key is encrypted." />
      <div className="field-wide">
        {/* Remounted on a new host or port: a key fetched for another endpoint must not be offered. */}
        <HostKeyField
          key={`${draft.host.trim()}:${draft.port.trim()}`}
          host={draft.host}
          port={port}
          hostKey={draft.hostKey}
          savedHostKey={savedHostKey}
          error={errorOf('hostKey')}
          onAccept={(fingerprint) => update('hostKey', fingerprint)}
        />
      </div>
    </>
  )
}
