import { z } from 'zod'
import { isAbsolutePath, profileNameSchema } from './model'
import { sshFingerprintSchema } from './ssh-model'

/** Where backups are stored: the built-in local folder, more folders, S3 (and compatibles), Azure Blob, SFTP. */

export const DESTINATION_TYPES = ['local', 's3', 'azure', 'sftp'] as const
export type DestinationType = (typeof DESTINATION_TYPES)[number]
export const DESTINATION_TYPE_LABELS: Record<DestinationType, string> = { local: 'Local folder', s3: 'S3 / S3-compatible', azure: 'Azure Blob', sftp: 'SFTP' }

export const BUILT_IN_DESTINATION = 'local'

/** A key prefix ("folder") inside a bucket/container: no leading slash, "/"-separated, no "..". */
const prefixSchema = z
  .string()
  .trim()
  .max(512)
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  .regex(/^(?!\/)(?!.*(^|\/)\.\.(\/|$))[^\\\u0000-\u001f]*$/, 'a key prefix like "backups/prod" (no leading "/", no "..")')
  .transform((p) => (p === '' || p.endsWith('/') ? p : `${p}/`))

const absolutePath = z.string().min(1, 'a folder is required').refine(isAbsolutePath, 'expected an absolute path')

export const localConfigSchema = z.object({ type: z.literal('local'), path: absolutePath }).strict()

export const s3ConfigSchema = z
  .object({
    type: z.literal('s3'),
    bucket: z.string().min(3, 'a bucket name has 3–63 characters').max(63, 'a bucket name has 3–63 characters').regex(/^[a-z0-9][a-z0-9.-]+[a-z0-9]$/, 'lowercase letters, digits, "." and "-"'),
    prefix: prefixSchema.default(''),
    /** For S3-compatibles (R2, MinIO, Wasabi...): https://<account>.r2.cloudflarestorage.com */
    endpoint: z.string().url('expected an http(s) URL').optional(),
    region: z.string().min(1).max(64).default('us-east-1'),
    /** Path-style URLs (bucket in the path): MinIO and most self-hosted S3s need it. */
    forcePathStyle: z.boolean().default(false),
  })
  .strict()

export const azureConfigSchema = z
  .object({
    type: z.literal('azure'),
    container: z.string().min(3, 'a container name has 3–63 characters').max(63, 'a container name has 3–63 characters').regex(/^[a-z0-9](?!.*--)[a-z0-9-]*[a-z0-9]$/, 'lowercase letters, digits and single "-"'),
    prefix: prefixSchema.default(''),
  })
  .strict()

export { sshFingerprintSchema }

export const sftpConfigSchema = z
  .object({
    type: z.literal('sftp'),
    host: z.string().trim().min(1, 'a host is required').max(253).regex(/^[A-Za-z0-9._:%[\]-]+$/, 'a host name or IP address').refine((h) => !h.startsWith('-'), 'must not start with "-"'),
    port: z.coerce.number().int().min(1).max(65535).default(22),
    user: z.string().min(1, 'a user is required').max(128),
    /** Absolute folder on the server. */
    path: z.string().min(1).refine((p) => p.startsWith('/'), 'expected an absolute path on the server'),
    /** The private key file on this machine (its passphrase, if any, is a secret). */
    privateKeyPath: z.string().refine(isAbsolutePath, 'expected an absolute path').optional(),
    /** The server's host key, pinned when the destination was added (trust on first use, shown to the user). */
    hostKey: sshFingerprintSchema,
  })
  .strict()

export const destinationConfigSchema = z.discriminatedUnion('type', [localConfigSchema, s3ConfigSchema, azureConfigSchema, sftpConfigSchema])
export type DestinationConfig = z.output<typeof destinationConfigSchema>
export type DestinationConfigInput = z.input<typeof destinationConfigSchema>

export const destinationInputSchema = z
  .object({
    name: profileNameSchema.refine((n) => n.toLowerCase() !== BUILT_IN_DESTINATION, `"${BUILT_IN_DESTINATION}" is the built-in destination`),
    config: destinationConfigSchema,
  })
  .strict()
export type DestinationInput = z.input<typeof destinationInputSchema>

/**
 * Write-only credentials kept in the SecretStore: undefined keeps, null removes, a string replaces.
 * s3: access key id + secret (none: the SDK's default chain — environment, instance role);
 * azure: a connection string (or an account URL with a SAS token); sftp: a password or a key passphrase.
 */
export const destinationSecretsSchema = z
  .object({
    accessKeyId: z.string().min(1).max(256).nullable().optional(),
    secretAccessKey: z.string().min(1).max(512).nullable().optional(),
    connectionString: z.string().min(1).max(4096).nullable().optional(),
    password: z.string().min(1).max(1024).nullable().optional(),
    keyPassphrase: z.string().min(1).max(1024).nullable().optional(),
  })
  .strict()
export type DestinationSecrets = z.infer<typeof destinationSecretsSchema>
export type DestinationSecretName = keyof DestinationSecrets

export const destinationSchema = z.object({
  name: z.string(),
  config: destinationConfigSchema,
  builtIn: z.boolean(),
  /** Names of the saved secrets (never their values). */
  secrets: z.array(z.string()),
  /** Where files go: a folder, s3://bucket/prefix, azure://container/prefix, sftp://user@host/path. */
  location: z.string(),
  createdAt: z.string().nullable(),
  updatedAt: z.string().nullable(),
})
export type DestinationView = z.infer<typeof destinationSchema>

export const destinationTestResultSchema = z.object({
  ok: z.boolean(),
  /** What was checked, or what failed and how to fix it. */
  message: z.string(),
  latencyMs: z.number(),
  /** SFTP: the server's host key fingerprint (to pin on first use). */
  hostKey: z.string().nullable(),
})
export type DestinationTestResult = z.infer<typeof destinationTestResultSchema>

export const scanResultSchema = z.object({
  destination: z.string(),
  manifests: z.number(),
  added: z.array(z.string()),
  copiesAdded: z.array(z.string()),
  alreadyKnown: z.number(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
})
export type ScanResult = z.infer<typeof scanResultSchema>

/** Where a destination's files go, for lists and logs (no secrets in it). */
export function describeLocation(c: DestinationConfig): string {
  switch (c.type) {
    case 'local':
      return c.path
    case 's3':
      return `s3://${c.bucket}/${c.prefix}`.replace(/\/$/, '') + (c.endpoint ? ` (${c.endpoint})` : '')
    case 'azure':
      return `azure://${c.container}/${c.prefix}`.replace(/\/$/, '')
    case 'sftp':
      return `sftp://${c.user}@${c.host}:${c.port}${c.path}`
  }
}
