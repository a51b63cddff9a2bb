import type { DestinationSecretName, DestinationView } from '../../../shared/destination-model'
import type { DestinationDraft, DraftField } from '../../lib/destination-draft'

/** Draft fields edited as plain text inputs. */
export type TextField = 'name' | 'folder' | 'bucket' | 'prefix' | 'region' | 'endpoint' | 'container' | 'host' | 'port' | 'user' | 'remotePath' | 'privateKeyPath'

/** What every group of type-specific fields gets from the form. */
export interface DraftFieldsProps {
  draft: DestinationDraft
  /** The saved destination being edited, or null when adding one. */
  saved: DestinationView | null
  errorOf(field: DraftField): string | undefined
  update<K extends Exclude<keyof DestinationDraft, 'secrets' | 'removeSecrets'>>(field: K, value: DestinationDraft[K]): void
  updateSecret(name: DestinationSecretName, value: string): void
  setRemovingSecret(name: DestinationSecretName, removing: boolean): void
}

/** Element ids are derived from the draft field, so labels, hints and errors line up. */
export const fieldId = (field: DraftField): string => `destination-${field}`
