import { AppError, type ErrorInfo } from '../../shared/errors'

/** Everything the CLI touches of its process, injectable so commands run in-process in tests. */
export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  readStdin: () => Promise<string>
  env: NodeJS.ProcessEnv
  cwd: string
  /** Progress redraws one line on a terminal, and prints a line now and then otherwise. */
  stderrIsTTY: boolean
  /** Ctrl-C: returns the function that stops listening. */
  onInterrupt: (handler: () => void) => () => void
}

export const EXIT = { ok: 0, failed: 1, usage: 2, unhealthy: 3 } as const

/** A usage/validation problem: exit 2, message names the flag. */
export function usageError(flag: string, message: string): AppError {
  return new AppError('VALIDATION', `${flag}: ${message}`, flag)
}

export function exitCodeFor(error: ErrorInfo): number {
  return error.code === 'VALIDATION' || error.code === 'CONFLICT' ? EXIT.usage : EXIT.failed
}

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    readStdin: async () => {
      const chunks: Buffer[] = []
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
      return Buffer.concat(chunks).toString('utf8')
    },
    env: process.env,
    cwd: process.cwd(),
    stderrIsTTY: process.stderr.isTTY === true,
    onInterrupt: (handler) => {
      process.on('SIGINT', handler)
      process.on('SIGTERM', handler)
      return () => {
        process.off('SIGINT', handler)
        process.off('SIGTERM', handler)
      }
    },
  }
}

/** Text or exactly one JSON document on stdout, depending on --json. */
export class Output {
  constructor(
    private readonly io: CliIo,
    readonly json: boolean,
  ) {}

  result(value: unknown, text: string): void {
    this.io.stdout(this.json ? JSON.stringify(value, null, 2) + '\n' : text.endsWith('\n') ? text : text + '\n')
  }

  error(error: ErrorInfo, extra?: Record<string, unknown>): void {
    if (this.json) this.io.stdout(JSON.stringify({ ...extra, error }, null, 2) + '\n')
    this.io.stderr(`error: ${error.message}\n`)
  }

  note(text: string): void {
    this.io.stderr(text + '\n')
  }
}
