import type { ConnectionTestResult, Profile, ProfileInput } from '../../shared/model'
import { sshFingerprintSchema, type HopName, type HostKeyCheck } from '../../shared/ssh-model'

/** How a profile's connection goes, in words per hop: "root@bastion:22", "127.0.0.1:5432". */
export interface SshRoute {
  ssh: string
  jump: string | null
  database: string
}

type HopLike = { user: string; host: string; port?: unknown }
const userAtHost = (hop: HopLike): string => `${hop.user}@${hop.host.trim()}:${String(hop.port ?? 22)}`

/** null for direct connections (and SQLite). */
export function sshRoute(profile: Profile | ProfileInput): SshRoute | null {
  if (profile.engine === 'sqlite' || !profile.ssh) return null
  return {
    ssh: userAtHost(profile.ssh.hop),
    jump: profile.ssh.jump ? userAtHost(profile.ssh.jump) : null,
    database: `${(profile.host ?? 'localhost').trim()}:${String(profile.port)}`,
  }
}

/** "via SSH root@db1" (the port only when not 22), for the profile list. */
export function viaSsh(profile: Profile): string | null {
  if (profile.engine === 'sqlite' || !profile.ssh) return null
  const at = (hop: HopLike) => `${hop.user}@${hop.host}${hop.port === 22 ? '' : `:${String(hop.port)}`}`
  const jump = profile.ssh.jump ? ` through ${at(profile.ssh.jump)}` : ''
  return `via SSH ${at(profile.ssh.hop)}${jump}`
}

const HOP_LABELS: Record<HopName, string> = { jump: 'Jump host', ssh: 'SSH host', database: 'Database' }

/** "SSH host root@127.0.0.1:2222 failed:" — which hop of the connection went wrong. */
export function failedHopLabel(hop: HopName, route: SshRoute | null): string {
  const where = route ? (hop === 'database' ? `${route.database} (through SSH)` : hop === 'jump' ? (route.jump ?? '') : route.ssh) : ''
  return `${HOP_LABELS[hop]}${where ? ` ${where}` : ''} failed:`
}

export const HOST_KEY_STATUS_LABELS: Record<HostKeyCheck['status'], string> = {
  pinned: 'pinned',
  known_hosts: 'in known_hosts',
  unknown: 'not trusted yet',
  changed: 'changed — refused',
}

export const hostKeyHopLabel = (check: HostKeyCheck): string => `${HOP_LABELS[check.hop]} ${check.host}:${check.port}`

/**
 * The host key to offer for trust: only when the test stopped at an unknown key, for the hop the
 * error names, and only a well-formed fingerprint. Changed keys are never offered.
 */
export function hostKeyToTrust(result: ConnectionTestResult): HostKeyCheck | null {
  if (result.ok || result.error?.code !== 'HOST_KEY_UNKNOWN') return null
  const field = result.error.field ?? ''
  const hop = field.endsWith('ssh.jump.hostKey') ? 'jump' : field.endsWith('ssh.hop.hostKey') ? 'ssh' : null
  const check = result.ssh?.hostKeys.find((k) => k.status === 'unknown' && (hop === null || k.hop === hop))
  return check && sshFingerprintSchema.safeParse(check.fingerprint).success ? check : null
}
