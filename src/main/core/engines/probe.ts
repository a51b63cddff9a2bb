import type { ToolHost } from './tool-host'
import type { SshSecrets } from '../transport/ssh'
import type { ConnectionTestResult, ProfileConfig } from '../../../shared/model'

export interface ProbeOptions {
  /** Upper bound for reaching the server (connect + first query); unreachable hosts fail within it. */
  timeoutMs: number
  signal?: AbortSignal
  /** Extra places to look for client tools, searched before PATH (tests, unusual installs). */
  extraToolDirs?: string[]
  /** PATH to search for client tools instead of process.env.PATH ('' = none); lets tests hide tools. */
  toolPath?: string
  /** Also search the usual install locations for client tools (default true). */
  searchWellKnownDirs?: boolean
  /** Find the tools on another host (the SSH host in exec mode), for that host's platform. */
  toolHost?: Pick<ToolHost, 'discover' | 'platform'>
  /** The SSH hops' password or key passphrase, for profiles that connect through SSH. */
  sshSecrets?: SshSecrets
}

export const DEFAULT_PROBE_TIMEOUT_MS = 10_000

/**
 * "Test connection": reach the server (or open the file), report its version and the client tool a
 * backup would use, or one specific error. Never throws for a failed test; throws only on bugs.
 */
export type ConnectionProbe = (
  profile: ProfileConfig,
  password: string | undefined,
  options: ProbeOptions,
) => Promise<ConnectionTestResult>
