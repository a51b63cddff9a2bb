import type { Command } from 'commander'
import { AppError } from '../../shared/errors'
import { describeProfile, describeSsh, describeTarget, describeTestSuccess } from '../../shared/format'
import { ENGINES, TAGS, type Profile, type ProfileInput } from '../../shared/model'
import type { SshSettings } from '../../shared/ssh-model'
import { formatTable } from './cli-values'
import { EXIT } from './io'
import { passwordFromFlags, profileFromFlags, type ProfileFlags } from './profile-flags'
import type { CommandRunner } from './run'
import { resolveHostKeys, sshFromFlags, sshSecretsFromFlags, withSshFlags, type SshFlags } from './ssh-flags'


function withProfileFlags(cmd: Command, engineRequired: boolean): Command {
  return withSshFlags(cmd)
    .option(`--engine <engine>`, `${ENGINES.join('|')}${engineRequired ? ' (required)' : ''}`)
    .option('--host <host>', 'server host name or IP (default localhost)')
    .option('--port <port>', 'server port (default 5432 / 3306)')
    .option('--user <user>', 'database user')
    .option('--database <db>', 'database name')
    .option('--file <path>', 'database file (sqlite)')
    .option('--password-env <var>', 'read the password from this environment variable')
    .option('--password-stdin', 'read the password from standard input')
    .option('--tag <tag>', `${TAGS.join('|')}|none`)
    .option('--client-bin-dir <dir>', 'directory of pg_dump / mariadb-dump to prefer')
}

function withSsh(input: ProfileInput, ssh: SshSettings | null | undefined): ProfileInput {
  if (ssh === undefined) return input
  if (input.engine === 'sqlite') {
    if (ssh === null) return input
    throw new AppError('VALIDATION', '--ssh: does not apply to --engine sqlite (a file on this machine)', '--ssh')
  }
  return { ...input, ssh }
}

const hasSsh = (input: ProfileInput): boolean => input.engine !== 'sqlite' && !!input.ssh

export function registerProfileCommands(program: Command, run: CommandRunner): void {
  const profile = program.command('profile').description('manage connection profiles')

  withProfileFlags(profile.command('add <NAME>').description('add a connection profile'), true).action((name: string, flags: ProfileFlags & SshFlags) =>
    run(async ({ core, io, out }) => {
      if (flags.engine === undefined) throw new AppError('VALIDATION', `--engine: required (${ENGINES.join('|')})`, '--engine')
      let input = withSsh(profileFromFlags(name, flags, io), sshFromFlags(flags, io, undefined))
      const password = await passwordFromFlags(flags, io)
      const secrets = sshSecretsFromFlags(flags, io)
      if (hasSsh(input)) input = await resolveHostKeys(core, input, { password, ...secrets }, flags)
      const created = await core.profiles.create({ profile: input as never, password, ...secrets })
      out.result(created, `Added profile "${created.name}": ${describeProfile(created)}${created.hasPassword ? ', password saved' : ''}`)
      return EXIT.ok
    }),
  )

  withProfileFlags(profile.command('edit <NAME>').description('change a profile (flags not given stay as they are)'), false)
    .option('--rename <new-name>', 'give the profile a new name')
    .option('--clear-password', 'remove the saved password')
    .action((name: string, flags: ProfileFlags & SshFlags & { rename?: string }) =>
      run(async ({ core, io, out }) => {
        const existing = core.profiles.resolve(name)
        const base = existing.engine === 'sqlite' ? undefined : existing.ssh
        const ssh = sshFromFlags(flags, io, base)
        let input = withSsh(profileFromFlags(flags.rename ?? existing.name, flags, io, existing), ssh === undefined ? base : ssh)
        const secrets = sshSecretsFromFlags(flags, io)
        let password: string | null | undefined = await passwordFromFlags(flags, io)
        if (flags.clearPassword) {
          if (password !== undefined) throw new AppError('VALIDATION', '--clear-password: cannot be combined with a new password', '--clear-password')
          password = null
        }
        if (hasSsh(input) && ssh !== undefined) input = await resolveHostKeys(core, input, { ...(password ? { password } : {}), ...secrets }, flags, existing.id)
        const updated = await core.profiles.update({ id: existing.id, profile: input as never, password, ...secrets })
        out.result(updated, `Updated profile "${updated.name}": ${describeProfile(updated)}`)
        return EXIT.ok
      }),
    )

  profile
    .command('list')
    .description('list profiles')
    .action(() =>
      run(async ({ core, out }) => {
        const profiles: Profile[] = core.profiles.list()
        const rows = [['NAME', 'ENGINE', 'TARGET', 'TAG', 'PASSWORD']]
        for (const p of profiles) rows.push([p.name, p.engine, `${describeTarget(p)}${describeSsh(p)}`, p.tag ?? '-', p.hasPassword ? 'saved' : '-'])
        out.result(profiles, profiles.length === 0 ? 'No profiles yet. Add one with: lifeboat profile add NAME --engine postgres ...' : formatTable(rows))
        return EXIT.ok
      }),
    )

  profile
    .command('test <NAME>')
    .description('connect to the database and find the client tools a backup needs')
    .action((name: string) =>
      run(async ({ core, out }) => {
        const { id } = core.profiles.resolve(name)
        const result = await core.profiles.test({ id })
        if (!result.ok) {
          out.error(result.error ?? { code: 'INTERNAL', message: 'the connection test failed without saying why' }, { ...result, error: undefined })
          return EXIT.failed
        }
        out.result(result, [`ok: ${describeTestSuccess(result)}`, ...result.warnings.map((w) => `warning: ${w}`)].join('\n'))
        return EXIT.ok
      }),
    )

  profile
    .command('remove <NAME>')
    .description('remove a profile and its saved password (backups are kept)')
    .action((name: string) =>
      run(async ({ core, out }) => {
        const existing = core.profiles.resolve(name)
        await core.profiles.remove(existing.id)
        out.result({ removed: existing.name, id: existing.id }, `Removed profile "${existing.name}"`)
        return EXIT.ok
      }),
    )
}
