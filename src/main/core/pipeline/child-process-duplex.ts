import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, isAbsolute, join } from 'node:path'
import { Duplex } from 'node:stream'
import { AppError, type ErrorCode } from '../../../shared/errors'

const STDERR_TAIL_CHARS = 2_000
/** After SIGKILL a process is gone within milliseconds; this only bounds a wait that should never be needed. */
const CLOSE_WAIT_MS = 5_000

/**
 * First executable `name` on PATH, or null. Synchronous on purpose: a handful of stat calls, and it
 * lets the pipeline be built synchronously (a missing tool then fails before any byte flows).
 */
export function findOnPath(name: string, pathEnv = process.env.PATH ?? ''): string | null {
  const file = process.platform === 'win32' ? `${name}.exe` : name
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue
    const candidate = join(dir, file)
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  return null
}

export interface ChildFailure {
  /** What the tool was doing, for messages: "zstd compression". */
  what: string
  /** Code of the AppError a failed run ends with. */
  code: ErrorCode
}

/**
 * A child process as a Duplex: writes go to its stdin, reads come from its stdout, with backpressure
 * both ways (stdout is paused while our reader is full). The readable side ends only after the process
 * closed with exit code 0; any other ending destroys the stream with the tail of its stderr. Destroying
 * the stream SIGKILLs the process and completes only once it is gone (so 'close' means no child left).
 */
export class ChildProcessDuplex extends Duplex {
  readonly pid: number | undefined
  private readonly child: ChildProcessWithoutNullStreams
  private stderr = ''
  private exited = false
  private readonly childClosed: Promise<void>

  constructor(file: string, args: readonly string[], private readonly failure: ChildFailure) {
    super({ highWaterMark: 256 * 1024 })
    this.child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true })
    this.pid = this.child.pid
    this.childClosed = new Promise((resolve) => this.child.once('close', () => resolve()))
    this.child.once('error', (e) => this.fail(new AppError(this.failure.code, `${this.failure.what}: cannot run ${file}: ${e.message}`)))
    this.child.once('close', (code, signal) => {
      this.exited = true
      if (this.destroyed) return
      if (code === 0) this.push(null)
      else this.fail(new AppError(this.failure.code, `${this.failure.what} failed (${code === null ? `killed by ${signal}` : `exit code ${code}`})${this.stderrTail()}`))
    })
    this.child.stdout.on('data', (chunk: Buffer) => {
      if (!this.push(chunk)) this.child.stdout.pause()
    })
    this.child.stderr.setEncoding('utf8')
    this.child.stderr.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_TAIL_CHARS)
    })
    // EPIPE when the process died early: its exit status (above) is the better message.
    this.child.stdin.on('error', () => {})
  }

  override _read(): void {
    this.child.stdout.resume()
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.child.stdin.write(chunk)) callback()
    else this.child.stdin.once('drain', () => callback())
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end(() => callback())
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.exited || this.pid === undefined) {
      callback(error)
      return
    }
    this.child.stdin.destroy()
    this.child.stdout.destroy()
    this.child.kill('SIGKILL')
    const timer = setTimeout(() => callback(error), CLOSE_WAIT_MS)
    void this.childClosed.then(() => {
      clearTimeout(timer)
      callback(error)
    })
  }

  private fail(error: AppError): void {
    if (!this.destroyed) this.destroy(error)
  }

  private stderrTail(): string {
    const text = this.stderr.trim()
    return text ? `: ${text}` : ''
  }
}
