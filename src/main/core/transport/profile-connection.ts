import { AppError, isAppError } from '../../../shared/errors'
import type { ProfileConfig } from '../../../shared/model'
import { isAbsolutePath } from '../../../shared/paths'
import type { SshSettings } from '../../../shared/ssh-model'
import { hostPort } from '../destinations/sftp/sftp-errors'
import { hopLabel, openSsh, type SshSecrets, type SshSession } from './ssh'
import { openTunnel, type Tunnel } from './tunnel'

export type ServerProfile = Extract<ProfileConfig, { engine: 'postgres' | 'mysql' }>
export type SshProfile = ServerProfile & { ssh: SshSettings }

export function sshOf(profile: ProfileConfig): SshSettings | null {
  return profile.engine === 'sqlite' ? null : (profile.ssh ?? null)
}

/** An open SSH session with a tunnel to the profile's database, and the profile as the local tools must use it. */
export interface ProfileConnection {
  /** The original profile (host and port as the SSH host sees them). */
  readonly original: SshProfile
  /** host 127.0.0.1 and the tunnel's port, no ssh: what the drivers and local tools connect to. */
  readonly local: ServerProfile
  readonly session: SshSession
  readonly tunnel: Tunnel
  /** Rewrites an error about the tunnel's local end into one about the database behind the SSH host. */
  explain(e: unknown): unknown
  /** Closes the tunnel, then the SSH connection(s). Idempotent. */
  close(): Promise<void>
}

export async function connectProfile(profile: SshProfile, secrets: SshSecrets, signal?: AbortSignal): Promise<ProfileConnection> {
  if (isAbsolutePath(profile.host)) {
    throw new AppError('VALIDATION', `host: "${profile.host}" is a socket directory, which cannot be reached through SSH — use the address the SSH host reaches the server at (e.g. 127.0.0.1)`, 'host')
  }
  const session = await openSsh(profile.ssh, secrets, signal)
  let tunnel: Tunnel
  try {
    tunnel = await openTunnel(session, profile.host, profile.port)
  } catch (e) {
    await session.close()
    throw e
  }
  const local: ServerProfile = { ...profile, host: '127.0.0.1', port: tunnel.port, ssh: null }
  const behind = `${hostPort(profile.host, profile.port)} (through ${hopLabel('ssh', profile.ssh.hop)})`
  let closing: Promise<void> | undefined
  return {
    original: profile,
    local,
    session,
    tunnel,
    explain(e: unknown): unknown {
      if (!isAppError(e)) return e
      if (tunnel.lastForwardError && (e.code === 'UNREACHABLE' || e.code === 'TIMEOUT')) {
        return new AppError('UNREACHABLE', `${hopLabel('ssh', profile.ssh.hop)}: ${tunnel.lastForwardError}`, 'host')
      }
      const message = e.message.split(`127.0.0.1:${tunnel.port}`).join(behind).split(`port ${tunnel.port}`).join(`port ${profile.port}`)
      return message === e.message ? e : new AppError(e.code, message, e.field)
    },
    close: () =>
      (closing ??= (async () => {
        await tunnel.close()
        await session.close()
      })()),
  }
}

/** Runs fn with the database reachable through SSH, then closes the tunnel and the connection (also on failure). */
export async function withProfileConnection<T>(profile: SshProfile, secrets: SshSecrets, signal: AbortSignal | undefined, fn: (c: ProfileConnection) => Promise<T>): Promise<T> {
  const connection = await connectProfile(profile, secrets, signal)
  try {
    return await fn(connection)
  } catch (e) {
    throw connection.explain(e)
  } finally {
    await connection.close()
  }
}
