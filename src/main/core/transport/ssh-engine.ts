import { AppError } from '../../../shared/errors'
import type { ConnectionTestResult, ProfileConfig } from '../../../shared/model'
import type { DumpRequest, RestoreRequest, RunningDump, RunningRestore } from '../engines/engine'
import type { ConnectionProbe, ProbeOptions } from '../engines/probe'
import type { Engine } from '../engines/registry'
import { connectProfile, sshOf, withProfileConnection, type ProfileConnection, type SshProfile } from './profile-connection'
import { RemoteToolHost } from './remote-exec'
import { SshHopError, type SshSecrets } from './ssh'

const asSsh = (profile: ProfileConfig): SshProfile | null => (sshOf(profile) ? (profile as SshProfile) : null)

/**
 * An engine that reaches profiles with SSH settings through SSH: every call opens the SSH
 * connection and a tunnel, runs the plain engine against the tunnel's local end, and closes both
 * when the call (or the dump/restore) ends, also on failure and cancel. In exec mode the dump tool
 * runs on the SSH host; its metadata queries and restores still use the tunnel. Profiles without
 * SSH go straight to the plain engine.
 */
export function sshAwareEngine(engine: Engine, secrets: () => Promise<SshSecrets>): Engine {
  const using = async <T>(profile: ProfileConfig, signal: AbortSignal | undefined, direct: () => Promise<T>, viaSsh: (local: ProfileConfig) => Promise<T>): Promise<T> => {
    const ssh = asSsh(profile)
    if (!ssh) return direct()
    return withProfileConnection(ssh, await secrets(), signal, (c) => viaSsh(c.local))
  }
  return Object.freeze({
    ...engine,
    listTables: (profile, password, signal) =>
      using(profile, signal, () => engine.listTables(profile, password, signal), (local) => engine.listTables(local, password, signal)),
    databaseExists: (profile, password, database, signal) =>
      using(profile, signal, () => engine.databaseExists(profile, password, database, signal), (local) => engine.databaseExists(local, password, database, signal)),
    createDatabase: (profile, password, database, signal) =>
      using(profile, signal, () => engine.createDatabase(profile, password, database, signal), (local) => engine.createDatabase(local, password, database, signal)),
    async restoreCommands(request) {
      const ssh = asSsh(request.profile)
      if (!ssh) return engine.restoreCommands(request)
      // The plan names the database as the SSH host reaches it; Lifeboat opens the tunnel itself.
      const commands = await engine.restoreCommands({ ...request, profile: { ...ssh, ssh: null }, password: undefined })
      const hop = ssh.ssh.hop
      return [`# through an SSH tunnel: ssh -N -L <local port>:${ssh.host}:${ssh.port} -p ${hop.port} ${hop.user}@${hop.host}, then -h 127.0.0.1 -p <local port>`, ...commands]
    },
    async startDump(request: DumpRequest): Promise<RunningDump> {
      const ssh = asSsh(request.profile)
      if (!ssh) return engine.startDump(request)
      const connection = await connectProfile(ssh, await secrets(), request.signal)
      let remote: RemoteToolHost | undefined
      try {
        if (ssh.ssh.mode === 'exec') {
          remote = new RemoteToolHost(connection.session.client)
          // Tools found and run on the SSH host, with the host and port as it sees them; queries through the tunnel.
          const dump = await engine.startDump({ ...request, profile: connection.local, host: remote, tools: { ...request.tools, toolHost: remote }, toolProfile: { ...ssh, ssh: null } })
          return lifetime(dump, connection, () => remote?.dispose())
        }
        return lifetime(await engine.startDump({ ...request, profile: connection.local }), connection)
      } catch (e) {
        await remote?.dispose()
        await connection.close()
        throw connection.explain(e)
      }
    },
    async startRestore(request: RestoreRequest): Promise<RunningRestore> {
      const ssh = asSsh(request.profile)
      if (!ssh) return engine.startRestore(request)
      const connection = await connectProfile(ssh, await secrets(), request.signal)
      try {
        return lifetime(await engine.startRestore({ ...request, profile: connection.local }), connection)
      } catch (e) {
        await connection.close()
        throw connection.explain(e)
      }
    },
  } satisfies Engine)
}

/** The connection lives exactly as long as the dump or restore: closed once it settled or was disposed. */
function lifetime<T extends RunningDump | RunningRestore>(running: T, connection: ProfileConnection, before?: () => Promise<void> | undefined): T {
  let closing: Promise<void> | undefined
  const close = () => (closing ??= (async () => {
    await before?.()
    await connection.close()
  })())
  const done = running.done.then(
    async () => close(),
    async (e: unknown) => {
      await close()
      throw connection.explain(e)
    },
  )
  done.catch(() => {})
  return {
    ...running,
    done,
    dispose: async () => {
      await running.dispose()
      await close()
    },
  }
}

/**
 * "Test connection" through SSH: each hop in turn (jump host, SSH host, then the database through
 * the tunnel); the result names the hop that failed and the host keys seen (an unknown one is for
 * the user to accept). In exec mode the tool reported is the one on the SSH host.
 */
export function sshAwareProbe(probe: ConnectionProbe): ConnectionProbe {
  return async (profile, password, options: ProbeOptions): Promise<ConnectionTestResult> => {
    const ssh = asSsh(profile)
    if (!ssh) return probe(profile, password, options)
    const startedAt = performance.now()
    let connection: ProfileConnection
    try {
      connection = await connectProfile(ssh, options.sshSecrets ?? {}, options.signal)
    } catch (e) {
      if (!(e instanceof SshHopError) && !(e instanceof AppError)) throw e
      return {
        ok: false,
        engine: profile.engine,
        server: null,
        tool: null,
        durationMs: Math.round(performance.now() - startedAt),
        error: e.toInfo(),
        warnings: [],
        ssh: { hostKeys: e instanceof SshHopError ? e.hostKeys : [], failedHop: e instanceof SshHopError ? e.hop : 'ssh' },
      }
    }
    try {
      const toolHost = ssh.ssh.mode === 'exec' ? new RemoteToolHost(connection.session.client) : undefined
      const result = await probe(connection.local, password, { ...options, ...(toolHost ? { toolHost } : {}) })
      const error = result.error && (connection.explain(new AppError(result.error.code, result.error.message, result.error.field)) as AppError).toInfo()
      return {
        ...result,
        error,
        durationMs: Math.round(performance.now() - startedAt),
        ssh: { hostKeys: connection.session.hostKeys, failedHop: result.server ? null : 'database' },
      }
    } finally {
      await connection.close()
    }
  }
}
