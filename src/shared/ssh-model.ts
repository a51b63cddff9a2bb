import { z } from 'zod'
import { isAbsolutePath } from './model'
import { sshFingerprintSchema } from './destination-model'

/** How a profile reaches its database through SSH (the SSH issue): a tunnel, or the dump tool run on the remote host. */

const sshHostSchema = z
  .string()
  .trim()
  .min(1, 'an SSH host is required')
  .max(253)
  .regex(/^[A-Za-z0-9._:%[\]-]+$/, 'a host name or IP address')
  .refine((h) => !h.startsWith('-'), 'must not start with "-"')

export const sshHopSchema = z
  .object({
    host: sshHostSchema,
    port: z.coerce.number().int().min(1).max(65535).default(22),
    user: z.string().min(1, 'an SSH user is required').max(128),
    /** publickey: a key file (passphrase in the SecretStore); agent: $SSH_AUTH_SOCK; password: in the SecretStore. */
    auth: z.enum(['publickey', 'agent', 'password']).default('publickey'),
    privateKeyPath: z.string().refine(isAbsolutePath, 'expected an absolute path').optional(),
    /** Pinned on first use after the user accepted it; an OpenSSH known_hosts file is consulted too. */
    hostKey: sshFingerprintSchema.optional(),
  })
  .strict()
  .refine((h) => h.auth !== 'publickey' || h.privateKeyPath !== undefined, { message: 'choose a private key file', path: ['privateKeyPath'] })
export type SshHop = z.output<typeof sshHopSchema>

export const sshSettingsSchema = z
  .object({
    mode: z.enum(['tunnel', 'exec']).default('tunnel'),
    hop: sshHopSchema,
    /** One optional jump host (ProxyJump) in front of the SSH host. */
    jump: sshHopSchema.optional(),
    /** An OpenSSH known_hosts file to trust besides the pinned key (default ~/.ssh/known_hosts). */
    knownHostsPath: z.string().refine(isAbsolutePath, 'expected an absolute path').optional(),
    keepaliveSeconds: z.number().int().min(0).max(3600).default(15),
    connectTimeoutSeconds: z.number().int().min(1).max(300).default(15),
  })
  .strict()
export type SshSettings = z.output<typeof sshSettingsSchema>
