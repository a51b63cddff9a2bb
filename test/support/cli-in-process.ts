import type { CliIo } from '../../src/main/cli/io'
import { runCli } from '../../src/main/cli/run'
import { tempDir } from './temp-home'

/** Runs the CLI in-process with captured output (fast; no child process). */
export async function cli(args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv; home?: string; cwd?: string } = {}) {
  let stdout = ''
  let stderr = ''
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    readStdin: async () => opts.stdin ?? '',
    env: { ...opts.env, LIFEBOAT_HOME: opts.home ?? tempDir() },
    cwd: opts.cwd ?? '/work',
    stderrIsTTY: false,
    onInterrupt: () => () => {},
  }
  const code = await runCli(args, io)
  return { code, stdout, stderr }
}
