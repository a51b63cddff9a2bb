import { sshSecretSchema } from '../../shared/model'
import type { HostKeyCheck, SshAuth, SshHopInput, SshMode, SshSettings, SshSettingsInput } from '../../shared/ssh-model'

/** The two SSH hops a profile may have, named as in its settings: ssh.hop (the SSH host) and ssh.jump. */
export type HopKey = 'hop' | 'jump'
export type HopField = 'host' | 'port' | 'user' | 'auth' | 'privateKeyPath' | 'hostKey'
/** Where the write-only secret of each hop travels in profiles.create / update / test. */
export const SECRET_OF: Record<HopKey, 'sshSecret' | 'jumpSecret'> = { hop: 'sshSecret', jump: 'jumpSecret' }
/** Error keys of the SSH inputs: the settings' zod paths below "profile.". */
export type SshErrorKey =
  | `ssh.${HopKey}.${HopField}`
  | 'ssh.mode'
  | 'ssh.knownHostsPath'
  | 'ssh.keepaliveSeconds'
  | 'ssh.connectTimeoutSeconds'
  | 'sshSecret'
  | 'jumpSecret'

export const SSH_ERROR_KEYS: readonly SshErrorKey[] = [
  ...(['hop', 'jump'] as const).flatMap((hop) =>
    (['host', 'port', 'user', 'auth', 'privateKeyPath', 'hostKey'] as const).map((f) => `ssh.${hop}.${f}` as const),
  ),
  'ssh.mode',
  'ssh.knownHostsPath',
  'ssh.keepaliveSeconds',
  'ssh.connectTimeoutSeconds',
  'sshSecret',
  'jumpSecret',
]

/** One hop as typed. */
export interface HopDraft {
  host: string
  port: string
  user: string
  auth: SshAuth
  privateKeyPath: string
  /** The pinned fingerprint ('' when none), and the "host:port" it was pinned for: it only vouches for that endpoint. */
  hostKey: string
  hostKeyFor: string
  /** Write-only key passphrase or SSH password: empty means "none" on create and "keep the saved one" on edit. */
  secret: string
  removeSecret: boolean
  /** The auth method the saved secret belongs to; null when none is saved. */
  savedSecretAuth: SshAuth | null
}

export interface SshDraft {
  enabled: boolean
  mode: SshMode
  hop: HopDraft
  useJump: boolean
  jump: HopDraft
  knownHostsPath: string
  keepaliveSeconds: string
  connectTimeoutSeconds: string
}

export function emptyHop(): HopDraft {
  return { host: '', port: '22', user: '', auth: 'publickey', privateKeyPath: '', hostKey: '', hostKeyFor: '', secret: '', removeSecret: false, savedSecretAuth: null }
}

export function emptySshDraft(): SshDraft {
  return { enabled: false, mode: 'tunnel', hop: emptyHop(), useJump: false, jump: emptyHop(), knownHostsPath: '', keepaliveSeconds: '15', connectTimeoutSeconds: '15' }
}

export const endpointOf = (hop: Pick<HopDraft, 'host' | 'port'>): string => `${hop.host.trim()}:${hop.port.trim()}`

/** The pinned key of a hop, if it was pinned for the host and port now typed. */
export function pinnedKey(hop: HopDraft): string {
  return hop.hostKey !== '' && hop.hostKeyFor === endpointOf(hop) ? hop.hostKey : ''
}

function hopFromSettings(hop: SshSettings['hop'], hasSecret: boolean): HopDraft {
  return {
    host: hop.host,
    port: String(hop.port),
    user: hop.user,
    auth: hop.auth,
    privateKeyPath: hop.privateKeyPath ?? '',
    hostKey: hop.hostKey ?? '',
    hostKeyFor: hop.hostKey ? endpointOf({ host: hop.host, port: String(hop.port) }) : '',
    secret: '',
    removeSecret: false,
    savedSecretAuth: hasSecret ? hop.auth : null,
  }
}

export function sshDraftFromSettings(ssh: SshSettings | null | undefined, saved: { hasSshSecret: boolean; hasJumpSecret: boolean }): SshDraft {
  if (!ssh) return emptySshDraft()
  return {
    enabled: true,
    mode: ssh.mode,
    hop: hopFromSettings(ssh.hop, saved.hasSshSecret),
    useJump: ssh.jump !== null,
    jump: ssh.jump ? hopFromSettings(ssh.jump, saved.hasJumpSecret) : emptyHop(),
    knownHostsPath: ssh.knownHostsPath ?? '',
    keepaliveSeconds: String(ssh.keepaliveSeconds),
    connectTimeoutSeconds: String(ssh.connectTimeoutSeconds),
  }
}

/** An empty number is sent as NaN so the schema reports it instead of silently using the default. */
const number = (s: string): number => (s.trim() === '' ? Number.NaN : Number(s))

function hopToInput(hop: HopDraft): SshHopInput {
  const key = pinnedKey(hop)
  const path = hop.privateKeyPath.trim()
  return {
    host: hop.host,
    port: number(hop.port),
    user: hop.user,
    auth: hop.auth,
    ...(hop.auth === 'publickey' && path !== '' ? { privateKeyPath: path } : {}),
    ...(key !== '' ? { hostKey: key } : {}),
  }
}

export function sshDraftToInput(ssh: SshDraft): SshSettingsInput | null {
  if (!ssh.enabled) return null
  return {
    mode: ssh.mode,
    hop: hopToInput(ssh.hop),
    jump: ssh.useJump ? hopToInput(ssh.jump) : null,
    knownHostsPath: ssh.knownHostsPath.trim() === '' ? null : ssh.knownHostsPath.trim(),
    keepaliveSeconds: number(ssh.keepaliveSeconds),
    connectTimeoutSeconds: number(ssh.connectTimeoutSeconds),
  }
}

/** The hops in use, with their keys. */
export function activeHops(ssh: SshDraft): HopKey[] {
  if (!ssh.enabled) return []
  return ssh.useJump ? ['hop', 'jump'] : ['hop']
}

/** Whether the hop's auth method takes a secret at all (ssh-agent does not). */
export const takesSecret = (hop: HopDraft): boolean => hop.auth !== 'agent'

/** A saved secret still applies: one is saved, for the auth method chosen now, and is not being removed. */
export function keepsSavedSecret(hop: HopDraft): boolean {
  return hop.savedSecretAuth !== null && hop.savedSecretAuth === hop.auth && takesSecret(hop) && !hop.removeSecret
}

/** The typed secret to send, if any. */
export function typedSecret(hop: HopDraft): string | undefined {
  return takesSecret(hop) && !hop.removeSecret && hop.secret !== '' ? hop.secret : undefined
}

/**
 * For profiles.update: a typed secret replaces the saved one; a saved one that was removed, or that
 * belongs to another auth method than the one chosen now, is removed (null); otherwise it is kept.
 */
export function secretForUpdate(hop: HopDraft): string | null | undefined {
  const typed = typedSecret(hop)
  if (typed !== undefined) return typed
  if (hop.savedSecretAuth !== null && !keepsSavedSecret(hop)) return null
  return undefined
}

/** The secrets of the hops in use, as profiles.create or profiles.update take them. */
export function sshSecrets<T>(ssh: SshDraft, pick: (hop: HopDraft) => T | undefined): { sshSecret?: T; jumpSecret?: T } {
  const out: { sshSecret?: T; jumpSecret?: T } = {}
  for (const key of activeHops(ssh)) {
    const value = pick(ssh[key])
    if (value !== undefined) out[SECRET_OF[key]] = value
  }
  return out
}

/** Client-side check of the typed secrets (the settings themselves are checked by the profile schema). */
export function secretErrors(ssh: SshDraft): Partial<Record<'sshSecret' | 'jumpSecret', string>> {
  const errors: Partial<Record<'sshSecret' | 'jumpSecret', string>> = {}
  for (const key of activeHops(ssh)) {
    const typed = typedSecret(ssh[key])
    if (typed === undefined) continue
    const parsed = sshSecretSchema.safeParse(typed)
    if (!parsed.success) errors[SECRET_OF[key]] = parsed.error.issues[0]?.message ?? 'invalid secret'
  }
  return errors
}

/** A test result's hop names ('ssh' / 'jump') as draft keys. */
export const hopKeyOf = (hop: HostKeyCheck['hop']): HopKey => (hop === 'jump' ? 'jump' : 'hop')

/** Pins an accepted fingerprint into the draft, for the host and port now typed. */
export function withPinnedKey(ssh: SshDraft, key: HopKey, fingerprint: string): SshDraft {
  const hop = ssh[key]
  return { ...ssh, [key]: { ...hop, hostKey: fingerprint, hostKeyFor: endpointOf(hop) } }
}
