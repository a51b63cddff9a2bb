import { describedBy } from '../Field'
import { DraftTextField } from './DraftTextField'
import { fieldId, type DraftFieldsProps } from './draft-fields'
import { SecretField } from './SecretField'

const NO_KEYS = 'Leave both keys empty to use the environment or the instance role.'

export function S3Fields({ fields }: { fields: DraftFieldsProps }) {
  const { draft, errorOf, update } = fields
  const id = fieldId('forcePathStyle')
  return (
    <>
      <DraftTextField fields={fields} field="bucket" label="Bucket" placeholder="acme-db-backups" />
      <DraftTextField fields={fields} field="prefix" label="Prefix" hint="Optional folder inside the bucket." placeholder="prod/postgres" />
      <DraftTextField fields={fields} field="region" label="Region" placeholder="us-east-1" />
      <DraftTextField
        fields={fields}
        field="endpoint"
        label="Endpoint"
        hint="Only for S3-compatibles (MinIO, R2, Wasabi…)."
        placeholder="https://<account>.r2.cloudflarestorage.com"
      />
      <div className="field field-checkbox">
        <label className="checkbox">
          <input
            {...describedBy(id, errorOf('forcePathStyle'))}
            type="checkbox"
            checked={draft.forcePathStyle}
            onChange={(e) => update('forcePathStyle', e.target.checked)}
          />
          Path-style URLs
        </label>
        <p className="hint">MinIO and most self-hosted S3s need the bucket in the path.</p>
      </div>
      <span className="grid-break" aria-hidden="true" />
      <SecretField fields={fields} name="accessKeyId" hint={NO_KEYS} />
      <SecretField fields={fields} name="secretAccessKey" hint={NO_KEYS} />
    </>
  )
}
