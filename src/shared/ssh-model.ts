import { z } from 'zod'
import { isAbsolutePath } from './paths'

/** How a profile reaches its database through SSH: a tunnel, or the dump tool run on the SSH host. */

export const sshFingerprintSchema = z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'expected a host key fingerprint as ssh-keygen -lf prints it (SHA256:…)')

const sshHostSchema = z
  .string()
  .trim()
  .min(1, 'an SSH host is required')
  .max(253)
  .regex(/^[A-Za-z0-9._:%[\]-]+$/, 'a host name or IP address')
  .refine((h) => !h.startsWith('-'), 'must not start with "-"')

export const SSH_AUTH_METHODS = ['publickey', 'agent', 'password'] as const
export type SshAuth = (typeof SSH_AUTH_METHODS)[number]

export const sshHopSchema = z
  .object({
    host: sshHostSchema,
    port: z.coerce.number().int().min(1, 'expected a port between 1 and 65535').max(65535, 'expected a port between 1 and 65535').default(22),
    user: z.string().min(1, 'an SSH user is required').max(128).regex(/^[^\s@]+$/, 'no spaces or "@"'),
    /** publickey: a key file (its passphrase in the SecretStore); agent: $SSH_AUTH_SOCK; password: in the SecretStore. */
    auth: z.enum(SSH_AUTH_METHODS).default('publickey'),
    privateKeyPath: z.string().refine(isAbsolutePath, 'expected an absolute path').optional(),
    /** Pinned after the user accepted it (trust on first use); an OpenSSH known_hosts file is consulted too. */
    hostKey: sshFingerprintSchema.optional(),
  })
  .strict()
  .refine((h) => h.auth !== 'publickey' || h.privateKeyPath !== undefined, { message: 'choose a private key file', path: ['privateKeyPath'] })
export type SshHop = z.output<typeof sshHopSchema>
export type SshHopInput = z.input<typeof sshHopSchema>

export const SSH_MODES = ['tunnel', 'exec'] as const
export type SshMode = (typeof SSH_MODES)[number]

export const sshSettingsSchema = z
  .object({
    /** tunnel: local tools connect through a forwarded port; exec: the dump tool runs on the SSH host. */
    mode: z.enum(SSH_MODES).default('tunnel'),
    hop: sshHopSchema,
    /** One optional jump host (like OpenSSH's ProxyJump) in front of the SSH host. */
    jump: sshHopSchema.nullable().default(null),
    /** An OpenSSH known_hosts file trusted besides the pinned keys (default ~/.ssh/known_hosts). */
    knownHostsPath: z.string().refine(isAbsolutePath, 'expected an absolute path').nullable().default(null),
    keepaliveSeconds: z.number().int().min(0).max(3600).default(15),
    connectTimeoutSeconds: z.number().int().min(1).max(300).default(15),
  })
  .strict()
export type SshSettings = z.output<typeof sshSettingsSchema>
export type SshSettingsInput = z.input<typeof sshSettingsSchema>

/** Which hop of a connection: the jump host, the SSH host, or the database behind them. */
export const HOPS = ['jump', 'ssh', 'database'] as const
export type HopName = (typeof HOPS)[number]

/** A host key seen while connecting, and whether it is trusted. */
export const hostKeyCheckSchema = z.object({
  hop: z.enum(['jump', 'ssh']),
  host: z.string(),
  port: z.number(),
  fingerprint: z.string(),
  /** pinned / known_hosts: trusted; unknown: ask the user; changed: refused. */
  status: z.enum(['pinned', 'known_hosts', 'unknown', 'changed']),
  /** For changed: the key that was expected. */
  expected: z.string().optional(),
})
export type HostKeyCheck = z.infer<typeof hostKeyCheckSchema>
