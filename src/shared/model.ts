import { z } from 'zod'
import type { ORIGINS } from './activity-model'
import { errorInfoSchema } from './errors'
import { isAbsolutePath } from './paths'
import { HOPS, hostKeyCheckSchema, sshSettingsSchema } from './ssh-model'

/** Domain types shared by core, CLI, preload and renderer. Zod schemas are the source of truth. */

export const ENGINES = ['postgres', 'mysql', 'sqlite'] as const
export type Engine = (typeof ENGINES)[number]
export const ENGINE_LABELS: Record<Engine, string> = {
  postgres: 'PostgreSQL',
  mysql: 'MySQL / MariaDB',
  sqlite: 'SQLite',
}
export const DEFAULT_PORTS = { postgres: 5432, mysql: 3306 } as const

export const TAGS = ['production', 'staging', 'dev'] as const
export type Tag = (typeof TAGS)[number]

// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/
const noControlChars = (s: string) => !CONTROL_CHARS.test(s)
const utf8Length = (s: string) => new TextEncoder().encode(s).length
export { isAbsolutePath }

export const profileNameSchema = z
  .string()
  .min(1, 'a name is required')
  .max(64, 'at most 64 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only, starting with a letter or digit')

const hostSchema = z
  .string()
  .trim()
  .min(1, 'a host is required')
  .max(253, 'at most 253 characters')
  .refine((h) => !h.startsWith('-'), 'must not start with "-"')
  .refine((h) => isAbsolutePath(h) || /^[A-Za-z0-9._:%[\]-]+$/.test(h), 'a host name, an IP address, or a socket directory')

const portSchema = z.coerce
  .number({ message: 'expected a number' })
  .int('expected a whole number')
  .min(1, 'expected a port between 1 and 65535')
  .max(65535, 'expected a port between 1 and 65535')

const userSchema = z
  .string()
  .min(1, 'a user is required')
  .max(128, 'at most 128 characters')
  .refine(noControlChars, 'must not contain control characters')

/** Database names: any identifier a server accepts, so only what no server accepts is refused here. */
const databaseSchema = (maxBytes: number) =>
  z
    .string()
    .min(1, 'a database name is required')
    .refine(noControlChars, 'must not contain control characters')
    .refine((d) => utf8Length(d) <= maxBytes, `at most ${maxBytes} bytes`)

const absolutePathSchema = (what: string) =>
  z
    .string()
    .trim()
    .min(1, `${what} is required`)
    .refine(isAbsolutePath, 'expected an absolute path')
    .refine(noControlChars, 'must not contain control characters')

const common = {
  name: profileNameSchema,
  tag: z.enum(TAGS, { message: 'expected production, staging or dev' }).nullable().default(null),
}
const serverFields = {
  host: hostSchema.default('localhost'),
  user: userSchema,
  /** Directory holding pg_dump/mariadb-dump to prefer over the ones found on the system. */
  clientBinDir: absolutePathSchema('the client tools directory').nullable().default(null),
  /** Reach the server through SSH: a tunnel, or the dump tool run on the SSH host (null = direct). */
  ssh: sshSettingsSchema.nullable().optional(),
}

export const postgresProfileInput = z.object({
  engine: z.literal('postgres'),
  ...common,
  ...serverFields,
  port: portSchema.default(DEFAULT_PORTS.postgres),
  database: databaseSchema(63), // NAMEDATALEN - 1
})
export const mysqlProfileInput = z.object({
  engine: z.literal('mysql'),
  ...common,
  ...serverFields,
  port: portSchema.default(DEFAULT_PORTS.mysql),
  database: databaseSchema(64),
})
export const sqliteProfileInput = z.object({
  engine: z.literal('sqlite'),
  ...common,
  file: absolutePathSchema('the database file'),
})

export const profileInputSchema = z.discriminatedUnion('engine', [postgresProfileInput, mysqlProfileInput, sqliteProfileInput], {
  message: 'expected engine postgres, mysql or sqlite',
})
/** What a caller sends (defaults optional). */
export type ProfileInput = z.input<typeof profileInputSchema>
/** What the core works with (defaults applied). */
export type ProfileConfig = z.output<typeof profileInputSchema>

const profileMeta = {
  id: z.string(),
  hasPassword: z.boolean(),
  /** A saved SSH password or key passphrase for the SSH host / the jump host (never the value). */
  hasSshSecret: z.boolean().default(false),
  hasJumpSecret: z.boolean().default(false),
  createdAt: z.string(),
  updatedAt: z.string(),
}
export const profileSchema = z.discriminatedUnion('engine', [
  postgresProfileInput.extend(profileMeta),
  mysqlProfileInput.extend(profileMeta),
  sqliteProfileInput.extend(profileMeta),
])
export type Profile = z.output<typeof profileSchema>
export type ServerProfile = Extract<Profile, { engine: 'postgres' | 'mysql' }>

/** Secrets are write-only: they go in, never come back out. */
export const passwordSchema = z.string().min(1, 'the password must not be empty').max(4096, 'at most 4096 characters')
/** The SSH password or key passphrase of a hop (per the hop's auth method). */
export const sshSecretSchema = z.string().min(1, 'the SSH password or passphrase must not be empty').max(4096, 'at most 4096 characters')

export const connectionTestResultSchema = z.object({
  ok: z.boolean(),
  engine: z.enum(ENGINES),
  /** e.g. { product: 'PostgreSQL', version: '15.19' } */
  server: z.object({ product: z.string(), version: z.string() }).nullable(),
  /** The client tool a backup would use. */
  tool: z.object({ name: z.string(), path: z.string(), version: z.string() }).nullable(),
  durationMs: z.number(),
  error: errorInfoSchema.nullable(),
  warnings: z.array(z.string()),
  /** Through SSH: the host keys seen on the way, and which hop failed (null: none did). Absent for direct connections. */
  ssh: z.object({ hostKeys: z.array(hostKeyCheckSchema), failedHop: z.enum(HOPS).nullable() }).optional(),
})
export type ConnectionTestResult = z.infer<typeof connectionTestResultSchema>

export const appInfoSchema = z.object({
  version: z.string(),
  /** How secrets are kept: a 0600 file (CLI), or the OS keychain through safeStorage (desktop). */
  secretStorage: z.object({ kind: z.enum(['file', 'keychain', 'plaintext']), description: z.string() }),
})
export type AppInfo = z.infer<typeof appInfoSchema>

export type Origin = (typeof ORIGINS)[number]
