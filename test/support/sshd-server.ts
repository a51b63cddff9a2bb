import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, openSync } from 'node:fs'
import { access, chmod, constants, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { freePort } from './free-port'
import { run, stopChild, waitUntil } from './processes'

/**
 * A throwaway OpenSSH server on 127.0.0.1 (TEST-INFRA §3 recipe), for SFTP destinations and SSH
 * tunnels: key-only login as the current user, `internal-sftp`, TCP forwarding allowed. Everything
 * lives in one temp dir that stop() removes.
 */
export interface SshdServer {
  readonly host: '127.0.0.1'
  readonly port: number
  /** The user the server runs as (root in the test container): the only one it can log in. */
  readonly user: string
  /** Unencrypted ed25519 client key (authorized). */
  readonly clientKeyPath: string
  /** Passphrase-protected ed25519 client key (authorized), and its passphrase. */
  readonly encryptedClientKeyPath: string
  readonly encryptedClientKeyPassphrase: string
  /** The current host key's `SHA256:…` fingerprint (changes after restart({ newHostKey: true })). */
  readonly hostKeyFingerprint: string
  readonly hostKeyPath: string
  /** The temp dir holding keys, config and logs; also a handy place for "remote" folders. */
  readonly dir: string
  /** This start's sshd log (-e: sshd logs to stderr, which goes here). */
  readonly logFile: string
  /** The listener's pid (session processes are its children). */
  readonly pid: number
  /** Stops the listener and every session, then starts again on the same port — with a fresh host key if asked (a "re-installed server"). */
  restart(opts?: { newHostKey?: boolean }): Promise<void>
  /** Kills every open SSH session (the listener keeps running): clients see their connection drop. */
  dropConnections(): Promise<void>
  /** Stops sessions and listener, waits for the exit, removes the temp dir. */
  stop(): Promise<void>
}

export interface SshdOptions {
  /** Extra sshd_config lines (e.g. 'PasswordAuthentication yes', 'PermitOpen 127.0.0.1:5432'). */
  extraConfig?: readonly string[]
}

export const SSHD = '/usr/sbin/sshd' // absolute: "sshd re-exec requires execution with an absolute path"

/** null when sshd and ssh-keygen are there; otherwise why not. Under CI=true a missing binary is an error, not a skip. */
export async function sshdUnavailable(): Promise<string | null> {
  const missing: string[] = []
  if (!(await access(SSHD, constants.X_OK).then(() => true, () => false))) missing.push(`${SSHD} not found — install openssh-server`)
  if (!(await findOnPath('ssh-keygen'))) missing.push('ssh-keygen not found — install openssh-client')
  if (missing.length === 0) return null
  const reason = missing.join('; ')
  if (process.env.CI === 'true') throw new Error(reason)
  return reason
}

/**
 * A describe block with one sshd for all its tests (started in beforeAll, stopped in afterAll);
 * without sshd, one skipped test carries the reason.
 */
export async function describeWithSshd(name: string, body: (sshd: () => SshdServer) => void, opts: SshdOptions = {}): Promise<void> {
  const reason = await sshdUnavailable()
  if (reason) {
    describe(name, () => it.skip(`skipped: ${reason}`, () => {}))
    return
  }
  describe(name, () => {
    let server: SshdServer | undefined
    beforeAll(async () => {
      server = await startSshd(opts)
    })
    afterAll(async () => {
      await server?.stop()
    })
    body(() => {
      if (!server) throw new Error('sshd did not start (see beforeAll)')
      return server
    })
  })
}

export async function startSshd(opts: SshdOptions = {}): Promise<SshdServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-sshd-'))
  try {
    return await new Server(dir, await freePort(), opts).init()
  } catch (e) {
    await rm(dir, { recursive: true, force: true })
    throw e
  }
}

class Server implements SshdServer {
  readonly host = '127.0.0.1' as const
  readonly user = userInfo().username
  readonly clientKeyPath: string
  readonly encryptedClientKeyPath: string
  // A throwaway key for a throwaway server: passing this to ssh-keygen's argv is harmless (product code never does that).
  readonly encryptedClientKeyPassphrase = `pp-${randomBytes(9).toString('hex')}`
  readonly hostKeyPath: string
  hostKeyFingerprint = ''
  logFile = ''
  private child: ChildProcess | undefined
  private generation = 0

  constructor(
    readonly dir: string,
    readonly port: number,
    private readonly opts: SshdOptions,
  ) {
    this.clientKeyPath = join(dir, 'client_ed25519')
    this.encryptedClientKeyPath = join(dir, 'client_encrypted_ed25519')
    this.hostKeyPath = join(dir, 'host_ed25519')
  }

  get pid(): number {
    return this.child?.pid ?? 0
  }

  async init(): Promise<this> {
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 }).catch(() => {}) // privilege separation dir; missing by default
    await keygen(this.clientKeyPath, '')
    await keygen(this.encryptedClientKeyPath, this.encryptedClientKeyPassphrase)
    const authorized = (await Promise.all([this.clientKeyPath, this.encryptedClientKeyPath].map((k) => readFile(`${k}.pub`, 'utf8')))).join('')
    await writeFile(join(this.dir, 'authorized_keys'), authorized, { mode: 0o600 })
    await this.newHostKey()
    await writeFile(join(this.dir, 'sshd_config'), this.config())
    await this.start()
    return this
  }

  async restart(opts: { newHostKey?: boolean } = {}): Promise<void> {
    await this.stopProcesses()
    if (opts.newHostKey) await this.newHostKey()
    await this.start()
  }

  async dropConnections(): Promise<void> {
    if (this.child?.pid) await killTree(descendants(this.child.pid, await processTable()))
  }

  async stop(): Promise<void> {
    await this.stopProcesses()
    await rm(this.dir, { recursive: true, force: true })
  }

  private async stopProcesses(): Promise<void> {
    const child = this.child
    if (!child) return
    // Sessions first: each calls setsid(), so they outlive the listener unless killed by pid.
    await this.dropConnections()
    await stopChild(child, 'SIGTERM', 5_000)
    this.child = undefined
  }

  private async newHostKey(): Promise<void> {
    await rm(this.hostKeyPath, { force: true })
    await rm(`${this.hostKeyPath}.pub`, { force: true })
    await keygen(this.hostKeyPath, '')
    // "256 SHA256:xxxx comment (ED25519)"
    const out = await run('ssh-keygen', ['-lf', `${this.hostKeyPath}.pub`])
    const fingerprint = /SHA256:[A-Za-z0-9+/]{43}/.exec(out)?.[0]
    if (!fingerprint) throw new Error(`unexpected ssh-keygen -lf output: ${out}`)
    this.hostKeyFingerprint = fingerprint
  }

  private async start(): Promise<void> {
    const configFile = join(this.dir, 'sshd_config')
    await run(SSHD, ['-t', '-f', configFile]) // a config error, said plainly, before anything waits for a port
    this.logFile = join(this.dir, `sshd-${++this.generation}.log`)
    const log = openSync(this.logFile, 'w')
    // -D: stay in the foreground as our direct child (so stop() can await its exit); -e: log to stderr.
    const child = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', log, log] })
    closeSync(log)
    this.child = child
    try {
      // The log line instead of a TCP probe: a probe would itself open (and log) a pre-auth session.
      await waitUntil('sshd', async () => (await readFile(this.logFile, 'utf8').catch(() => '')).includes('Server listening on'), {
        child,
        logFile: this.logFile,
        deadlineMs: 10_000,
        intervalMs: 20,
      })
    } catch (e) {
      await stopChild(child, 'SIGKILL')
      this.child = undefined
      throw e
    }
  }

  private config(): string {
    return [
      `Port ${this.port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${this.hostKeyPath}`,
      `PidFile ${join(this.dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`,
      'StrictModes no', // the keys live under /tmp: strict modes would refuse them
      'PermitRootLogin prohibit-password',
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'AllowTcpForwarding yes',
      'Subsystem sftp internal-sftp',
      ...(this.opts.extraConfig ?? []),
      '',
    ].join('\n')
  }
}

async function keygen(file: string, passphrase: string): Promise<void> {
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'lifeboat-test', '-f', file])
  await chmod(file, 0o600)
}

async function findOnPath(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (await access(join(dir, name), constants.X_OK).then(() => true, () => false)) return true
  }
  return false
}

/** pid → ppid of every live process (Linux /proc; zombies count as gone). */
async function processTable(): Promise<Map<number, number>> {
  const table = new Map<number, number>()
  for (const entry of await readdir('/proc').catch(() => [])) {
    if (!/^\d+$/.test(entry)) continue
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '')
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (fields[0] && fields[0] !== 'Z') table.set(Number(entry), Number(fields[1]))
  }
  return table
}

function descendants(root: number, table: Map<number, number>): number[] {
  const out: number[] = []
  const queue = [root]
  while (queue.length > 0) {
    const parent = queue.shift()
    for (const [pid, ppid] of table) {
      if (ppid === parent) {
        out.push(pid)
        queue.push(pid)
      }
    }
  }
  return out
}

/** SIGTERM to each pid, then wait until all are gone (SIGKILL after 5 s). They are not our children: poll /proc. */
async function killTree(pids: readonly number[]): Promise<void> {
  const signal = (sig: NodeJS.Signals) => pids.forEach((pid) => {
    try {
      process.kill(pid, sig)
    } catch {
      // already gone
    }
  })
  signal('SIGTERM')
  const started = Date.now()
  let killed = false
  for (;;) {
    const table = await processTable()
    if (!pids.some((pid) => table.has(pid))) return
    if (!killed && Date.now() - started > 5_000) {
      signal('SIGKILL')
      killed = true
    }
    if (Date.now() - started > 10_000) throw new Error(`sshd sessions ${pids.join(', ')} did not exit`)
    await new Promise((r) => setTimeout(r, 20))
  }
}
