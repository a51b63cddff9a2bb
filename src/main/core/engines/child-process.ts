import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { AppError, isAppError, type ErrorCode } from '../../../shared/errors'
import type { DumpInfo, RunningDump } from './engine'

/** How much of the tool's stderr we keep for the error message. */
export const STDERR_TAIL_BYTES = 16 * 1024
/** Between SIGTERM and SIGKILL when a dump is cancelled or disposed. */
export const KILL_GRACE_MS = 2_000

export interface ToolRunOptions {
  /** Used in messages: "pg_dump". */
  name: string
  /** Absolute path of the executable. */
  file: string
  /** Passed as an array, never through a shell. */
  args: readonly string[]
  /** Added to the minimal environment, e.g. PGPASSFILE. Never a secret itself. */
  env?: Readonly<Record<string, string>>
  /** Masked in the stderr tail and in error messages (passwords). */
  secrets?: readonly (string | undefined)[]
  signal: AbortSignal
  /** The code of a non-zero exit or a signal (default DUMP_FAILED; restores use RESTORE_FAILED). */
  failureCode?: ErrorCode
  /** Give the tool a stdin pipe (restores); otherwise stdin is /dev/null. */
  input?: boolean
}

export interface ToolProcess {
  readonly pid: number | null
  /** The tool's stdout: the dump. */
  readonly stdout: Readable
  /** The tool's stdin when started with `input`, else null. Write errors (EPIPE) are swallowed: `done` has the verdict. */
  readonly stdin: Writable | null
  /**
   * Settles on 'close' (all output read, process gone): resolves on exit 0; rejects with DUMP_FAILED
   * (non-zero exit or a signal), TOOL_MISSING (could not start) or the abort reason (cancel).
   */
  readonly done: Promise<void>
  /** The last STDERR_TAIL_BYTES of stderr, secrets masked (warnings of a successful run). */
  stderrTail(): string
  /** Kills the tool if it still runs (SIGTERM, SIGKILL after KILL_GRACE_MS) and waits for it. Idempotent. */
  dispose(): Promise<void>
}

// Variables a tool may legitimately need. Everything else (PG*, MYSQL_PWD, cloud keys...) stays out:
// a stray PGPASSWORD or PGDATABASE in the app's environment must not change what gets dumped.
const PASS_THROUGH = ['PATH', 'HOME', 'TMPDIR', 'SYSTEMROOT', 'SystemRoot', 'WINDIR', 'TEMP', 'TMP', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA']

export function minimalEnv(extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const key of PASS_THROUGH) {
    const value = process.env[key]
    if (value !== undefined) env[key] = value
  }
  // English messages: they end up in history and support requests.
  env.LC_ALL = 'C'
  return { ...env, ...extra }
}

// Below this length masking would garble ordinary words more than it could protect (as in the probes).
const MIN_SECRET_LENGTH = 4

export function scrubSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let out = text
  // Longest first, so a secret containing another is masked whole.
  const masked = secrets.filter((s): s is string => !!s && s.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length)
  for (const s of masked) out = out.split(s).join('***')
  return out
}

/** Starts a dump tool: stdout is the dump, stderr is kept (bounded) for the error message. */
export function runTool(options: ToolRunOptions): ToolProcess {
  const { name, signal } = options
  signal.throwIfAborted()
  const secrets = options.secrets ?? []
  const child = spawn(options.file, [...options.args], {
    env: minimalEnv(options.env),
    stdio: [options.input ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    windowsHide: true,
  })
  const stdout = child.stdout as Readable
  const stderr = child.stderr as Readable
  const stdin = options.input ? (child.stdin as Writable) : null
  stdin?.on('error', () => {})

  // Keep a little more than the tail so a secret cut at the boundary is still masked whole.
  const keep = STDERR_TAIL_BYTES + 4_096
  let errBuf = Buffer.alloc(0)
  stderr.on('data', (chunk: Buffer) => {
    errBuf = Buffer.concat([errBuf, chunk])
    if (errBuf.length > keep) errBuf = errBuf.subarray(errBuf.length - keep)
  })
  stderr.on('error', () => {})
  // The tool's exit status (done) is the verdict; a stream error with no consumer must not crash us.
  stdout.on('error', () => {})
  const stderrTail = () => {
    const text = scrubSecrets(errBuf.toString('utf8'), secrets).trim()
    return text.length > STDERR_TAIL_BYTES ? `…${text.slice(text.length - STDERR_TAIL_BYTES)}` : text
  }

  let exited = false
  let stopping: 'abort' | 'dispose' | null = null
  let killTimer: NodeJS.Timeout | undefined
  const kill = () => {
    if (exited) return
    child.kill('SIGTERM')
    killTimer ??= setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
  }
  // Once we stop the tool nobody reads its output any more: drop it, or 'close' would never come.
  child.once('exit', () => {
    exited = true
    clearTimeout(killTimer)
    if (stopping) {
      stdin?.destroy()
      stdout.destroy()
      stderr.destroy()
    }
  })
  const onAbort = () => {
    stopping ??= 'abort'
    kill()
  }
  signal.addEventListener('abort', onAbort, { once: true })

  const done = new Promise<void>((resolve, reject) => {
    const finish = (err: AppError | null) => {
      signal.removeEventListener('abort', onAbort)
      clearTimeout(killTimer)
      if (err) reject(err)
      else resolve()
    }
    child.once('error', (err: NodeJS.ErrnoException) => {
      // Only a failed start ends here without 'close'; later errors (kill failing) are followed by 'close'.
      if (child.pid !== undefined) return
      exited = true
      stdin?.destroy()
      stdout.destroy()
      stderr.destroy()
      const code = err.code === 'ENOENT' ? 'TOOL_MISSING' : (options.failureCode ?? 'DUMP_FAILED')
      finish(new AppError(code, `${name} could not be started (${options.file}): ${err.message}`, 'clientBinDir'))
    })
    child.once('close', (code: number | null, sig: NodeJS.Signals | null) => {
      if (stopping === 'abort') return finish(cancelled(signal.reason, name))
      if (stopping === 'dispose') return finish(new AppError('CANCELLED', `${name} was stopped before it finished`))
      if (code === 0) return finish(null)
      const how = code !== null ? `exit ${code}` : `signal ${sig ?? 'unknown'}`
      const tail = stderrTail()
      finish(new AppError(options.failureCode ?? 'DUMP_FAILED', `${name} failed (${how})${tail ? `: ${tail}` : ''}`))
    })
  })
  done.catch(() => {}) // the caller may dispose without awaiting done

  let disposing: Promise<void> | undefined
  const dispose = () =>
    (disposing ??= (async () => {
      if (!exited) {
        stopping ??= 'dispose'
        kill()
      }
      await done.catch(() => {})
    })())

  return { pid: child.pid ?? null, stdout, stdin, done, stderrTail, dispose }
}

function cancelled(reason: unknown, name: string): AppError {
  // A deadline or size limit aborts with its own AppError; a plain abort() is a user cancel.
  return isAppError(reason) ? reason : new AppError('CANCELLED', `${name} was cancelled`)
}

/**
 * Writes a credential file readable by us only (0600 from the first byte), named so it cannot
 * collide; the caller removes it (see removeFiles).
 */
export async function writePrivateFile(dir: string, prefix: string, content: string): Promise<string> {
  const file = join(dir, `${prefix}-${randomBytes(6).toString('hex')}`)
  const handle = await open(file, 'wx', 0o600)
  try {
    await handle.writeFile(content, 'utf8')
  } catch (err) {
    await handle.close()
    await rm(file, { force: true })
    throw err
  }
  await handle.close()
  return file
}

export async function removeFiles(files: readonly string[]): Promise<void> {
  await Promise.all(files.map((f) => rm(f, { force: true })))
}

/** Runs `cleanup` once, however many times it is called. */
export function once(cleanup: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined
  return () => (running ??= cleanup())
}

/**
 * A started tool as a RunningDump: temp files (credential files) are removed when the tool closes
 * or is disposed, whichever comes first.
 */
export function toolDump(tool: ToolProcess, info: DumpInfo, cleanup: () => Promise<void>): RunningDump {
  const done = tool.done.finally(cleanup)
  done.catch(() => {}) // the caller awaits it; an early failure must not be an unhandled rejection
  return {
    info,
    pid: tool.pid,
    stdout: tool.stdout,
    done,
    dispose: once(async () => {
      await tool.dispose()
      await cleanup()
    }),
  }
}
