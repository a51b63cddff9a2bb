import { randomBytes } from 'node:crypto'
import { PassThrough } from 'node:stream'
import type { Client, ClientChannel } from 'ssh2'
import { AppError } from '../../../shared/errors'
import { scrubSecrets, STDERR_TAIL_BYTES, type ToolProcess, type ToolRunOptions } from '../engines/child-process'
import type { ToolHost } from '../engines/tool-host'
import type { ToolCandidate, ToolSearchOptions, ToolSource } from '../engines/tools/search'

/** One word for a POSIX shell: single-quoted, so nothing in it is expanded. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

export interface ExecResult {
  code: number | null
  signal: string | null
  stdout: string
  stderr: string
}

/** Runs a short command on the SSH host and collects its output; `input` goes to its stdin (how secrets travel: never on a command line). */
export function execOnce(client: Client, command: string, input?: string): Promise<ExecResult> {
  return new Promise<ExecResult>((resolve, reject) => {
    client.exec(command, (err, channel) => {
      if (err) return reject(err)
      let stdout = ''
      let stderr = ''
      let code: number | null = null
      let signal: string | null = null
      channel.on('data', (c: Buffer) => (stdout += c.toString('utf8')))
      channel.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')))
      channel.on('exit', (c: number | null, s?: string) => {
        code = c
        signal = s ?? null
      })
      channel.on('close', () => resolve({ code, signal, stdout, stderr }))
      channel.end(input)
    })
  })
}

/** Fails unless the command exited 0; `what` names it in the error. */
async function execChecked(client: Client, command: string, what: string, input?: string): Promise<string> {
  const r = await execOnce(client, command, input)
  if (r.code !== 0) throw new AppError('DUMP_FAILED', `on the SSH host, ${what} failed (exit ${r.code ?? r.signal}): ${r.stderr.trim().slice(0, 500)}`)
  return r.stdout
}

const PID_LINE = /^lifeboat-pid (\d+)\n/

/**
 * The SSH host as a ToolHost (exec mode): tools are found there, credential files are written to a
 * private `mktemp -d` directory there through stdin (0600 by umask), and the tool's stdout streams
 * back over the SSH channel. The remote command line holds paths and options, never a secret.
 * POSIX hosts only (sh, mktemp, env, kill).
 */
export class RemoteToolHost implements ToolHost {
  readonly platform = 'linux' as const
  private dir: Promise<string> | undefined

  constructor(private readonly client: Client) {}

  discover = async (names: readonly string[], wellKnown: readonly string[], options: ToolSearchOptions) => {
    const out = await execChecked(this.client, discoveryScript(names, wellKnown, options), 'looking for the client tools')
    const candidates: ToolCandidate[] = []
    for (const line of out.split('\n')) {
      const [source, path, realPath, versionOutput] = line.split('\t')
      if (!source || !path || !realPath || versionOutput === undefined) continue
      const name = names.find((n) => path.endsWith(`/${n}`)) ?? path
      candidates.push({ name, path, realPath, source: source as ToolSource, versionOutput })
    }
    const dirs = [options.clientBinDir, '$PATH', ...(options.wellKnownDirs === false ? [] : wellKnown)].filter(Boolean)
    return { candidates, lookedIn: `${dirs.join(', ')} on the SSH host` }
  }

  async writePrivateFile(prefix: string, content: string): Promise<string> {
    const dir = await this.tempDir()
    const file = `${dir}/${prefix}-${randomBytes(6).toString('hex')}`
    await execChecked(this.client, `umask 077 && cat > ${shellQuote(file)}`, 'writing a credential file', content)
    return file
  }

  async removeFiles(files: readonly string[]): Promise<void> {
    if (files.length > 0) await execOnce(this.client, `rm -f -- ${files.map(shellQuote).join(' ')}`).catch(() => {})
  }

  /** Removes the private temp dir (and anything left in it). */
  async dispose(): Promise<void> {
    const dir = await this.dir?.catch(() => undefined)
    this.dir = undefined
    if (dir) await execOnce(this.client, `rm -rf -- ${shellQuote(dir)}`).catch(() => {})
  }

  run(options: ToolRunOptions): ToolProcess {
    return runRemote(this.client, options)
  }

  private tempDir(): Promise<string> {
    this.dir ??= execChecked(this.client, 'umask 077 && mktemp -d "${TMPDIR:-/tmp}/lifeboat-XXXXXXXX"', 'creating a private temp directory').then((out) => {
      const dir = out.trim()
      if (!dir.startsWith('/')) throw new AppError('DUMP_FAILED', `mktemp on the SSH host printed "${dir}", not a directory`)
      return dir
    })
    return this.dir
  }
}

function discoveryScript(names: readonly string[], wellKnown: readonly string[], options: ToolSearchOptions): string {
  // emit SOURCE FILE: one line "source<TAB>path<TAB>real path<TAB>first line of --version" per executable found
  const lines = [
    'seen=" "',
    'emit() { [ -f "$2" ] && [ -x "$2" ] || return 0; r=$(readlink -f "$2" 2>/dev/null || printf %s "$2"); case "$seen" in *" $r "*) return 0;; esac; seen="$seen$r "; printf \'%s\\t%s\\t%s\\t%s\\n\' "$1" "$2" "$r" "$("$2" --version 2>/dev/null | head -n 1)"; }',
  ]
  for (const name of names) {
    const n = shellQuote(name)
    if (options.clientBinDir) lines.push(`emit clientBinDir ${shellQuote(`${options.clientBinDir.replace(/\/+$/, '')}/${name}`)}`)
    for (const dir of options.extraDirs ?? []) lines.push(`emit extra ${shellQuote(`${dir.replace(/\/+$/, '')}/${name}`)}`)
    lines.push(`IFS=:; for d in $PATH; do IFS=' '; emit PATH "$d/"${n}; done; IFS=' '`)
    // our own fixed patterns (no user input): left unquoted so the remote shell expands the globs
    if (options.wellKnownDirs !== false) for (const pattern of wellKnown) lines.push(`for f in ${pattern}/${name}; do emit system "$f"; done`)
  }
  return lines.join('\n')
}

/** A tool run on the SSH host with the same contract as a local one (runTool). */
function runRemote(client: Client, options: ToolRunOptions): ToolProcess {
  const { name, signal } = options
  signal.throwIfAborted()
  if (options.input) throw new AppError('INTERNAL', 'remote tools are only used for dumps (restores go through the tunnel)')
  const stdout = new PassThrough()
  const secrets = options.secrets ?? []
  const env = Object.entries({ LC_ALL: 'C', ...options.env }).map(([k, v]) => `${k}=${shellQuote(v)}`)
  // $$ is the shell's pid, which `exec` hands to the tool: it is what a cancel kills.
  const command = `echo "lifeboat-pid $$" >&2; exec env -i PATH="$PATH" HOME="$HOME" ${env.join(' ')} ${[options.file, ...options.args].map(shellQuote).join(' ')}`
  let errBuf = ''
  let pid: number | null = null
  // The pid line comes first, but a cancel can come before it was read: kill waits for it (or the end).
  let pidKnown: () => void = () => {}
  const pidOrEnd = new Promise<void>((resolve) => (pidKnown = resolve))
  let channel: ClientChannel | undefined
  let exited = false
  let stopping = false
  const stderrTail = () => {
    const text = scrubSecrets(errBuf, secrets).trim()
    return text.length > STDERR_TAIL_BYTES ? `…${text.slice(text.length - STDERR_TAIL_BYTES)}` : text
  }
  let killing: Promise<void> | undefined
  const kill = () => (killing ??= stop())
  const stop = async () => {
    stopping = true
    if (exited) return
    // Nobody reads the output any more: drop it, or the channel (held by back-pressure) would never close.
    if (channel) {
      channel.unpipe(stdout)
      channel.resume()
      await pidOrEnd
    }
    if (pid !== null && !exited) {
      // SIGTERM, then SIGKILL if it is still there after ~2 s (as KILL_GRACE_MS locally)
      await execOnce(client, `kill -TERM ${pid} 2>/dev/null; for i in 1 2 3 4 5 6 7 8 9 10; do kill -0 ${pid} 2>/dev/null || exit 0; sleep 0.2; done; kill -KILL ${pid} 2>/dev/null; true`).catch(() => {})
    }
    channel?.close()
  }
  const onAbort = () => void kill()
  signal.addEventListener('abort', onAbort, { once: true })

  const done = new Promise<void>((resolve, reject) => {
    client.exec(command, (err, ch) => {
      if (err) {
        signal.removeEventListener('abort', onAbort)
        stdout.destroy()
        return reject(new AppError('DUMP_FAILED', `${name} could not be started on the SSH host: ${err.message}`))
      }
      channel = ch
      ch.pipe(stdout)
      if (signal.aborted || stopping) void kill()
      let code: number | null = null
      let sig: string | null = null
      ch.stderr.on('data', (c: Buffer) => {
        errBuf += c.toString('utf8')
        if (pid === null) {
          const m = PID_LINE.exec(errBuf)
          if (m?.[1]) {
            pid = Number(m[1])
            errBuf = errBuf.slice(m[0].length)
            pidKnown()
          }
        }
        if (errBuf.length > STDERR_TAIL_BYTES + 4_096) errBuf = errBuf.slice(errBuf.length - STDERR_TAIL_BYTES - 4_096)
      })
      ch.on('exit', (c: number | null, s?: string) => {
        exited = true
        code = c
        sig = s ?? null
      })
      ch.on('close', () => {
        exited = true
        pidKnown()
        if (stopping) stdout.destroy()
        signal.removeEventListener('abort', onAbort)
        if (signal.aborted || stopping) {
          const reason: unknown = signal.reason
          return reject(reason instanceof AppError ? reason : new AppError('CANCELLED', `${name} was cancelled`))
        }
        if (code === 0) return resolve()
        const tail = stderrTail()
        const how = code === null ? `was killed (${sig ?? 'connection closed'})` : code === 127 ? 'was not found on the SSH host' : `exited with code ${code}`
        reject(new AppError(options.failureCode ?? 'DUMP_FAILED', `${name} on the SSH host ${how}${tail ? `: ${tail}` : ''}`))
      })
    })
  })
  done.catch(() => {})
  let disposing: Promise<void> | undefined
  return {
    get pid() {
      return null // a remote pid means nothing on this machine
    },
    stdout,
    stdin: null,
    done,
    stderrTail,
    dispose: () =>
      (disposing ??= (async () => {
        await kill()
        await done.catch(() => {})
      })()),
  }
}
