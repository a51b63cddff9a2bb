import { PassThrough, type Duplex } from 'node:stream'
import { AppError, isAppError } from '../../../shared/errors'
import { errorMessage } from './net-errors'
import { once, type ToolProcess } from './child-process'
import type { RunningRestore } from './engine'

export interface ToolRestoreOptions {
  /** Written to the tool before the dump (e.g. MySQL's drop statements). */
  prefix?: Buffer
  /** The dump passes through this on its way to the tool (MySQL's DEFINER rewrite). */
  filter?: Duplex
  signal: AbortSignal
  /**
   * The tool may finish successfully without reading all of its input (pg_restore with a table
   * selection stops once it has what it needs): the rest is then read and discarded.
   */
  mayStopReading?: boolean
}

/**
 * A restore tool started with `input` as a RunningRestore. The tool sees end-of-input only when the
 * dump ended normally: when the input breaks off (an upstream error, a cancel, dispose) the tool is
 * killed first, so psql/pg_restore never commit a partial dump and the server rolls back.
 */
export function toolRestore(tool: ToolProcess, cleanup: () => Promise<void>, options: ToolRestoreOptions): RunningRestore {
  const child = tool.stdin
  if (!child) throw new AppError('INTERNAL', 'a restore tool was started without a stdin pipe')
  // Whatever the tool prints (psql notices, result rows) is not read: drain it so it cannot block.
  tool.stdout.resume()
  const entry: Duplex = options.filter ?? new PassThrough()
  let ended = false
  let brokenOff: AppError | null = null
  entry.once('end', () => (ended = true))
  entry.on('error', () => {}) // reported through done
  if (options.prefix && options.prefix.length > 0) child.write(options.prefix)
  entry.pipe(child)
  entry.once('close', () => {
    if (ended) return
    const reason = entry.errored
    brokenOff = isAppError(reason) ? reason : new AppError('RESTORE_FAILED', `the restore input broke off${reason ? `: ${errorMessage(reason)}` : ''}`)
    void tool.dispose()
  })

  const done = tool.done.then(
    () => {
      if (ended || (options.mayStopReading && !brokenOff)) return
      // A tool that exits 0 before all input arrived (it stopped reading) did not restore everything.
      throw brokenOff ?? new AppError('RESTORE_FAILED', 'the restore tool exited before reading the whole backup')
    },
    (err: unknown) => {
      if (!options.signal.aborted && brokenOff) throw brokenOff
      throw err
    },
  )
  const settled = done.then(
    async () => {
      if (!ended) {
        // Finished early (mayStopReading): drain the rest so the writer completes normally.
        entry.unpipe(child)
        entry.resume()
      }
      await cleanup()
    },
    async (err: unknown) => {
      // With the tool's own error, so whoever pipes into stdin sees that rather than "premature close".
      if (!entry.destroyed && !ended) entry.destroy(err instanceof Error ? err : undefined)
      await cleanup()
      throw err
    },
  )
  settled.catch(() => {})
  return {
    stdin: entry,
    pid: tool.pid,
    done: settled,
    dispose: once(async () => {
      if (!ended && !entry.readableFlowing) entry.destroy()
      await tool.dispose()
      await settled.catch(() => {})
      await cleanup()
    }),
  }
}

/** Stands for a credential file's path in displayed commands. */
export const CREDENTIALS_PLACEHOLDER = '<0600 credentials file>'

/** argv for reading (dry-run plans): arguments with spaces or quotes single-quoted, shell style. */
export function displayCommand(argv: readonly string[]): string {
  return argv.map((a) => (a.includes(CREDENTIALS_PLACEHOLDER) || /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ')
}
