import { execFile, type ChildProcess } from 'node:child_process'
import { access, constants, readFile } from 'node:fs/promises'
import { delimiter, join } from 'node:path'

export interface RunOptions {
  cwd?: string
  uid?: number
  gid?: number
  timeoutMs?: number
  env?: NodeJS.ProcessEnv
}

/** Async execFile (never a shell, never the sync variants: see TEST-INFRA §0); rejects with stderr. */
export async function run(file: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { ...options, timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr.trim() || error.message}`))
        else resolve(stdout)
      },
    )
  })
}

/** Exit code of a command, for probes such as pg_isready (no rejection for non-zero). */
export async function exitCode(file: string, args: readonly string[], options: RunOptions = {}): Promise<number> {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, timeout: options.timeoutMs ?? 10_000 }, (error) => {
      const code = error ? (error as { code?: unknown }).code : 0
      resolve(typeof code === 'number' ? code : 1)
    })
  })
}

/** First executable `name` in PATH, then `extraDirs`. */
export async function findBinary(name: string, extraDirs: readonly string[] = []): Promise<string | null> {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs]
  for (const dir of dirs) {
    const file = join(dir, name)
    if (await access(file, constants.X_OK).then(() => true, () => false)) return file
  }
  return null
}

/**
 * Polls `ready` every `intervalMs` until it returns true; fails at the deadline or as soon as `child`
 * exits (with the tail of `logFile`, which usually says why).
 */
export async function waitUntil(
  what: string,
  ready: () => Promise<boolean>,
  options: { child: ChildProcess; logFile: string; deadlineMs?: number; intervalMs?: number },
): Promise<void> {
  const deadline = Date.now() + (options.deadlineMs ?? 30_000)
  let spawnError: Error | undefined
  options.child.once('error', (err) => (spawnError = err))
  while (Date.now() < deadline) {
    if (spawnError) throw new Error(`${what} could not be started: ${spawnError.message}`)
    if (options.child.exitCode !== null || options.child.signalCode !== null) {
      throw new Error(`${what} exited during start-up (${options.child.exitCode ?? options.child.signalCode}):\n${await tail(options.logFile)}`)
    }
    if (await ready()) return
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 50))
  }
  throw new Error(`${what} not ready within ${options.deadlineMs ?? 30_000} ms:\n${await tail(options.logFile)}`)
}

/** Sends `signal`, waits for the exit, escalates to SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, signal: NodeJS.Signals, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

export async function tail(file: string, bytes = 4_000): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '')
  return text.slice(-bytes)
}
