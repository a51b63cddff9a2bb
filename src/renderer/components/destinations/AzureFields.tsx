import { DraftTextField } from './DraftTextField'
import type { DraftFieldsProps } from './draft-fields'
import { SecretField } from './SecretField'

export function AzureFields({ fields }: { fields: DraftFieldsProps }) {
  return (
    <>
      <DraftTextField fields={fields} field="container" label="Container" placeholder="db-backups" />
      <DraftTextField fields={fields} field="prefix" label="Prefix" hint="Optional folder inside the container." placeholder="prod/postgres" />
      <SecretField fields={fields} name="connectionString" hint="The storage account’s connection string, or an account URL with a SAS token." />
    </>
  )
}
