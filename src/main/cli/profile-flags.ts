import { isAbsolute, resolve } from 'node:path'
import { profileInputSchema, type ProfileInput } from '../../shared/model'
import { secretFromEnv } from './cli-values'
import { usageError, type CliIo } from './io'

export interface ProfileFlags {
  engine?: string
  host?: string
  port?: string
  user?: string
  database?: string
  file?: string
  tag?: string
  clientBinDir?: string
  passwordEnv?: string
  passwordStdin?: boolean
  clearPassword?: boolean
}

/** Field of the profile schema -> the flag a user typed, for error messages that name the flag. */
const FLAG_FOR_FIELD: Record<string, string> = {
  name: 'NAME',
  engine: '--engine',
  host: '--host',
  port: '--port',
  user: '--user',
  database: '--database',
  file: '--file',
  tag: '--tag',
  clientBinDir: '--client-bin-dir',
}
const SERVER_ONLY = ['host', 'port', 'user', 'database', 'clientBinDir', 'passwordEnv', 'passwordStdin'] as const
const FLAG_NAMES: Record<(typeof SERVER_ONLY)[number], string> = {
  host: '--host',
  port: '--port',
  user: '--user',
  database: '--database',
  clientBinDir: '--client-bin-dir',
  passwordEnv: '--password-env',
  passwordStdin: '--password-stdin',
}

/** Builds and validates a profile from flags; relative paths are taken from the current directory. */
export function profileFromFlags(name: string, flags: ProfileFlags, io: CliIo, base?: ProfileInput): ProfileInput {
  const engine = flags.engine ?? base?.engine
  const path = (p: string | undefined) => (p === undefined ? undefined : isAbsolute(p) ? p : resolve(io.cwd, p))
  let candidate: Record<string, unknown>
  if (engine === 'sqlite') {
    for (const key of SERVER_ONLY) {
      if (flags[key] !== undefined) throw usageError(FLAG_NAMES[key], 'does not apply to --engine sqlite (use --file)')
    }
    candidate = { name, engine, tag: flags.tag ?? base?.tag, file: path(flags.file) ?? (base?.engine === 'sqlite' ? base.file : undefined) }
  } else {
    if (flags.file !== undefined) throw usageError('--file', `applies only to --engine sqlite`)
    const prev = base && base.engine !== 'sqlite' && base.engine === engine ? base : undefined
    candidate = {
      name,
      engine,
      tag: flags.tag ?? base?.tag,
      host: flags.host ?? prev?.host,
      port: flags.port ?? prev?.port,
      user: flags.user ?? prev?.user,
      database: flags.database ?? prev?.database,
      clientBinDir: path(flags.clientBinDir) ?? prev?.clientBinDir,
    }
  }
  if (flags.tag === 'none') candidate.tag = null
  for (const key of Object.keys(candidate)) if (candidate[key] === undefined) delete candidate[key]

  const parsed = profileInputSchema.safeParse(candidate)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = String(issue.path[0] ?? 'engine')
    const flag = FLAG_FOR_FIELD[field] ?? `--${field}`
    const given = candidate[field]
    const missing = given === undefined
    const message = missing && field !== 'name' ? `is required for --engine ${String(engine ?? '?')}` : issue.message
    throw usageError(flag, missing ? message : `${message} (got ${JSON.stringify(given)})`)
  }
  return candidate as ProfileInput
}

/** --password-env VAR or --password-stdin; never a password on the command line. */
export async function passwordFromFlags(flags: ProfileFlags, io: CliIo): Promise<string | undefined> {
  if (flags.passwordEnv !== undefined && flags.passwordStdin) {
    throw usageError('--password-stdin', 'use either --password-env or --password-stdin, not both')
  }
  if (flags.passwordEnv !== undefined) return secretFromEnv('--password-env', flags.passwordEnv, io)
  if (flags.passwordStdin) {
    const value = (await io.readStdin()).replace(/\r?\n$/, '')
    if (value === '') throw usageError('--password-stdin', 'nothing was read from standard input')
    return value
  }
  return undefined
}
