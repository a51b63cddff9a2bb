import {
  DESTINATION_TYPES,
  destinationConfigSchema,
  destinationInputSchema,
  type DestinationConfigInput,
  type DestinationSecretName,
  type DestinationSecrets,
  type DestinationType,
  type DestinationView,
} from '../../shared/destination-model'
import { fieldErrors, type ErrorInfo } from '../../shared/errors'

export { DESTINATION_TYPES }

/** What the destination form edits: every input as typed, so half-typed values survive type switches. */
export interface DestinationDraft {
  type: DestinationType
  name: string
  /** local: an absolute folder on this machine. */
  folder: string
  bucket: string
  /** s3 and azure: a key prefix inside the bucket or container. */
  prefix: string
  region: string
  endpoint: string
  forcePathStyle: boolean
  container: string
  host: string
  port: string
  user: string
  /** sftp: an absolute folder on the server. */
  remotePath: string
  privateKeyPath: string
  /** sftp: the fingerprint the user accepted ('' until then); only an accepted one is ever sent. */
  hostKey: string
  /** Write-only credentials: empty means "none" on create and "keep the saved one" on edit. */
  secrets: Record<DestinationSecretName, string>
  /** Saved credentials to delete on save. */
  removeSecrets: Record<DestinationSecretName, boolean>
}

export type DraftField = Exclude<keyof DestinationDraft, 'secrets' | 'removeSecrets'> | DestinationSecretName
export type FieldErrors = Partial<Record<DraftField | '_', string>>

/** Which credentials each type uses (the server refuses the others). */
export const SECRETS_FOR: Record<DestinationType, readonly DestinationSecretName[]> = {
  local: [],
  s3: ['accessKeyId', 'secretAccessKey'],
  azure: ['connectionString'],
  sftp: ['password', 'keyPassphrase'],
}

export const SECRET_LABELS: Record<DestinationSecretName, string> = {
  accessKeyId: 'Access key ID',
  secretAccessKey: 'Secret access key',
  connectionString: 'Connection string',
  password: 'Password',
  keyPassphrase: 'Key passphrase',
}

const DEFAULT_SFTP_PORT = '22'
const DEFAULT_REGION = 'us-east-1'
const noSecrets = (): Record<DestinationSecretName, string> => ({ accessKeyId: '', secretAccessKey: '', connectionString: '', password: '', keyPassphrase: '' })
const keepAll = (): Record<DestinationSecretName, boolean> => ({ accessKeyId: false, secretAccessKey: false, connectionString: false, password: false, keyPassphrase: false })

export function emptyDraft(type: DestinationType = 'local'): DestinationDraft {
  return {
    type,
    name: '',
    folder: '',
    bucket: '',
    prefix: '',
    region: DEFAULT_REGION,
    endpoint: '',
    forcePathStyle: false,
    container: '',
    host: '',
    port: DEFAULT_SFTP_PORT,
    user: '',
    remotePath: '',
    privateKeyPath: '',
    hostKey: '',
    secrets: noSecrets(),
    removeSecrets: keepAll(),
  }
}

export function draftFromDestination(view: DestinationView): DestinationDraft {
  const base = { ...emptyDraft(view.config.type), name: view.name }
  const c = view.config
  switch (c.type) {
    case 'local':
      return { ...base, folder: c.path }
    case 's3':
      return { ...base, bucket: c.bucket, prefix: c.prefix, region: c.region, endpoint: c.endpoint ?? '', forcePathStyle: c.forcePathStyle }
    case 'azure':
      return { ...base, container: c.container, prefix: c.prefix }
    case 'sftp':
      return { ...base, host: c.host, port: String(c.port), user: c.user, remotePath: c.path, privateKeyPath: c.privateKeyPath ?? '', hostKey: c.hostKey }
  }
}

/**
 * A host key is pinned to one host and port: changing either drops the accepted key (it vouched for
 * another server); going back to the saved host and port restores the saved key.
 */
export function withEndpoint(draft: DestinationDraft, change: { host?: string; port?: string }, saved: DestinationView | null): DestinationDraft {
  const next = { ...draft, ...change }
  const savedConfig = saved?.config.type === 'sftp' ? saved.config : null
  const backToSaved = savedConfig !== null && next.host.trim() === savedConfig.host && Number(next.port) === savedConfig.port
  const sameEndpoint = next.host.trim() === draft.host.trim() && next.port.trim() === draft.port.trim()
  return { ...next, hostKey: backToSaved ? savedConfig.hostKey : sameEndpoint ? draft.hostKey : '' }
}

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim())

export function draftToConfig(draft: DestinationDraft): DestinationConfigInput {
  switch (draft.type) {
    case 'local':
      return { type: 'local', path: draft.folder.trim() }
    case 's3':
      return {
        type: 's3',
        bucket: draft.bucket.trim(),
        prefix: draft.prefix,
        region: draft.region.trim(),
        forcePathStyle: draft.forcePathStyle,
        ...(optional(draft.endpoint) ? { endpoint: optional(draft.endpoint) } : {}),
      }
    case 'azure':
      return { type: 'azure', container: draft.container.trim(), prefix: draft.prefix }
    case 'sftp':
      return {
        type: 'sftp',
        host: draft.host.trim(),
        // An empty port is sent as NaN so the schema reports it instead of silently using 22.
        port: draft.port.trim() === '' ? Number.NaN : Number(draft.port),
        user: draft.user.trim(),
        path: draft.remotePath.trim(),
        hostKey: draft.hostKey,
        ...(optional(draft.privateKeyPath) ? { privateKeyPath: optional(draft.privateKeyPath) } : {}),
      }
  }
}

/** Where a config key lives in the draft: `path` is the folder here or on the server, by type. */
function draftFieldOfConfig(type: DestinationType, key: string): DraftField | undefined {
  if (key === 'path') return type === 'sftp' ? 'remotePath' : 'folder'
  const known: readonly string[] = ['bucket', 'prefix', 'region', 'endpoint', 'forcePathStyle', 'container', 'host', 'port', 'user', 'privateKeyPath', 'hostKey']
  return known.includes(key) ? (key as DraftField) : undefined
}

/**
 * A field path from zod or from the server ("destination.config.bucket", "config.path",
 * "secrets.connectionString", "name") to the draft field it belongs to, or undefined.
 */
export function draftFieldOf(type: DestinationType, path: string): DraftField | undefined {
  const parts = path.replace(/^destination\./, '').split('.')
  const [head, key = ''] = parts
  if (head === 'name' && parts.length === 1) return 'name'
  if (head === 'config') return draftFieldOfConfig(type, key)
  if (head === 'secrets' && (SECRETS_FOR[type] as readonly string[]).includes(key)) return key as DestinationSecretName
  return undefined
}

/** Messages worded for this form, where the schema's wording would not say what to do. */
function friendlier(field: DraftField, message: string, draft: DestinationDraft): string {
  if (field === 'hostKey' && draft.hostKey === '') return 'fetch the server’s host key and accept it'
  if (field === 'port') return 'expected a port between 1 and 65535'
  if (field === 'region' && draft.region.trim() === '') return 'a region is required, e.g. us-east-1 (S3-compatibles often accept any)'
  if (field === 'remotePath' && draft.remotePath.trim() === '') return 'a folder on the server is required'
  return message
}

/** The same schemas main validates with, so the form and the server agree on every message. */
export function validateDraft(draft: DestinationDraft, editing: boolean): FieldErrors {
  const config = draftToConfig(draft)
  const parsed = editing ? destinationConfigSchema.safeParse(config) : destinationInputSchema.safeParse({ name: draft.name.trim(), config })
  if (parsed.success) return {}
  const errors: FieldErrors = {}
  for (const [path, message] of Object.entries(fieldErrors(parsed.error))) {
    if (path === '_') {
      errors._ ??= message
      continue
    }
    const field = draftFieldOf(draft.type, editing ? `config.${path}` : path)
    if (field) errors[field] ??= friendlier(field, message, draft)
    else errors._ ??= `${path}: ${message}`
  }
  return errors
}

/** For save: undefined keeps a saved secret, null removes it, a string replaces it (see contract.ts). */
export function secretsToSave(draft: DestinationDraft): DestinationSecrets {
  const out: DestinationSecrets = {}
  for (const name of SECRETS_FOR[draft.type]) {
    if (draft.removeSecrets[name]) out[name] = null
    else if (draft.secrets[name] !== '') out[name] = draft.secrets[name]
  }
  return out
}

/**
 * The server's error, placed next to its field when the form has one, without the "field: " prefix
 * (it is shown beside that field). Anything else goes to "_", above the form.
 */
export function serverFieldError(error: ErrorInfo, type: DestinationType): { field: DraftField | '_'; message: string } {
  const path = error.field ?? ''
  const field = path === '' ? undefined : draftFieldOf(type, path)
  if (!field) return { field: '_', message: error.message }
  const message = error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message
  return { field, message }
}

/** The saved credentials in words for the list: "access key saved", "password, key passphrase saved". */
export function savedCredentials(view: DestinationView): string | null {
  const names = new Set(view.secrets)
  if (names.size === 0) return null
  const words: string[] = []
  // An S3 key pair is one credential to a DBA.
  if (names.has('accessKeyId') && names.has('secretAccessKey')) {
    words.push('access key')
    names.delete('accessKeyId')
    names.delete('secretAccessKey')
  }
  for (const name of names) words.push((SECRET_LABELS[name as DestinationSecretName] ?? name).toLowerCase())
  return `${words.join(', ')} saved`
}
