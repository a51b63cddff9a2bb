import { Command, CommanderError } from 'commander'
import { resolve } from 'node:path'
import { isAppError } from '../../shared/errors'
import { createApp, type LifeboatCore } from '../core/app'
import { toErrorInfo } from '../core/ipc/dispatch'
import { defaultHome } from '../core/paths'
import { LIFEBOAT_VERSION } from '../core/version'
import { EXIT, exitCodeFor, Output, processIo, type CliIo } from './io'
import { registerBackupCommands } from './backup-commands'
import { registerProfileCommands } from './profile-commands'
import { registerRestoreCommands } from './restore-commands'
import { registerJobCommands } from './job-commands'
import { registerScheduleCommands } from './schedule-commands'
import { registerDestCommands } from './dest-commands'

export interface CommandContext {
  core: LifeboatCore
  io: CliIo
  out: Output
}
export type CommandRunner = (command: (ctx: CommandContext) => Promise<number>) => Promise<void>

interface GlobalFlags {
  home?: string
  json?: boolean
}

/**
 * Runs one `lifeboat` invocation and returns its exit code: 0 ok, 1 failed, 2 usage, 3 unhealthy.
 * In-process and side-effect free apart from the data dir, so tests can call it directly.
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok
  const program = new Command('lifeboat')
    .description('Lifeboat: database backups you can restore by hand (PostgreSQL, MySQL/MariaDB, SQLite)')
    .version(LIFEBOAT_VERSION)
    .option('--home <dir>', 'data directory (default: $LIFEBOAT_HOME, else the desktop app’s data dir)')
    .option('--json', 'print exactly one JSON document on stdout')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })

  const run: CommandRunner = async (command) => {
    const globals = program.opts<GlobalFlags>()
    const out = new Output(io, globals.json === true)
    let core: LifeboatCore | undefined
    try {
      const home = globals.home ? resolve(io.cwd, globals.home) : io.env.LIFEBOAT_HOME ? resolve(io.cwd, io.env.LIFEBOAT_HOME) : defaultHome(io.env)
      core = createApp({ home, origin: 'cli' })
      await core.ready
      exitCode = await command({ core, io, out })
    } catch (e) {
      const info = toErrorInfo(e, core?.logger)
      out.error(info)
      exitCode = isAppError(e) ? exitCodeFor(info) : EXIT.failed
    } finally {
      core?.close()
    }
  }

  registerProfileCommands(program, run)
  registerBackupCommands(program, run)
  registerRestoreCommands(program, run)
  registerJobCommands(program, run)
  registerScheduleCommands(program, run)
  registerDestCommands(program, run)
  // Every subcommand reports its own usage errors the same way as the top level.
  for (const cmd of allCommands(program)) cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr })

  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) {
      // 'commander.help' (no subcommand given) is a usage error; --help and --version are not.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return EXIT.ok
      // commander already printed "error: unknown option '--x'" (naming the flag) to stderr.
      if (argv.includes('--json')) io.stdout(JSON.stringify({ error: { code: 'VALIDATION', message: e.message.replace(/^error: /, '') } }) + '\n')
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage
    }
    throw e
  }
  return exitCode
}

function allCommands(cmd: Command): Command[] {
  return cmd.commands.flatMap((c) => [c, ...allCommands(c)])
}
