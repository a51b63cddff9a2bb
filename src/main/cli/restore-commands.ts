import { resolve } from 'node:path'
import type { Command } from 'commander'
import { AppError } from '../../shared/errors'
import { formatBytes, formatDuration } from '../../shared/format'
import type { RestoreOptionsInput, RestorePlan, RestoreProgress } from '../../shared/restore-model'
import { readIdentity, secretFromEnv } from './cli-values'
import { EXIT, usageError } from './io'
import type { CommandRunner } from './run'

interface RestoreFlags {
  to?: string
  database?: string
  createDatabase?: boolean
  dropExisting?: boolean
  schemaOnly?: boolean
  dataOnly?: boolean
  tables?: string[]
  dryRun?: boolean
  safetyBackup: boolean
  decryptPassphraseEnv?: string
  identity?: string
  confirm?: string
  confirmProduction?: boolean
}

const collectList = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((t) => t.trim()).filter(Boolean)]

/** Service fields -> the flags a user typed, so every refusal names the flag. */
const FLAG_FOR_FIELD: Record<string, string> = {
  confirm: '--confirm',
  confirmProduction: '--confirm-production',
  database: '--database',
  targetProfileId: '--to',
  decrypt: '--decrypt-passphrase-env / --identity',
  'options.tables': '--tables',
  'options.dataOnly': '--data-only',
  format: '--format',
  tables: '--tables',
  dropExisting: '--drop-existing',
  schemaOnly: '--schema-only',
  dataOnly: '--data-only',
}

function asFlagError(e: unknown): unknown {
  if (!(e instanceof AppError) || !e.field) return e
  const flag = FLAG_FOR_FIELD[e.field]
  if (!flag) return e
  const message = e.message.replace(/^[\w.]+: /, '')
  return e.code === 'VALIDATION' ? usageError(flag, message) : new AppError(e.code, `${flag}: ${message}`, flag)
}

function planText(plan: RestorePlan): string {
  const lines = [
    `Restore plan (dry run — nothing was changed)`,
    `  source: ${plan.backup.fileName} (${plan.backup.profileName}, ${plan.backup.startedAt}, ${formatBytes(plan.backup.sizeBytes)})`,
    `  target: ${plan.target.profileName}${plan.target.tag ? ` [${plan.target.tag}]` : ''} database ${JSON.stringify(plan.target.database)}${plan.target.exists ? '' : ' (to be created)'}`,
    `  estimated size: ${formatBytes(plan.estimatedBytes)}`,
    'Steps:',
    ...plan.steps.map((s, i) => `  ${i + 1}. ${s}`),
    'Commands:',
    ...plan.commands.map((c) => `  $ ${c}`),
    ...plan.warnings.map((w) => `warning: ${w}`),
  ]
  return lines.join('\n')
}

function progressLine(p: RestoreProgress): string {
  const total = p.totalBytes ? ` of ${formatBytes(p.totalBytes)}` : ''
  return `${p.phase} ${p.bytes ? formatBytes(p.bytes) + total : ''} ${formatDuration(p.elapsedMs)}`.replace(/\s+/g, ' ')
}

export function registerRestoreCommands(program: Command, run: CommandRunner): void {
  program
    .command('restore <BACKUP_ID>')
    .description('restore a backup into a profile (the same or another one of the same engine)')
    .option('--to <profile>', 'target profile (required)')
    .option('--database <name>', "target database (default: the profile's; SQLite: a file path)")
    .option('--create-database', 'create the target database first')
    .option('--drop-existing', 'drop the objects the backup contains before re-creating them')
    .option('--schema-only', 'restore the structure only')
    .option('--data-only', 'restore the rows only')
    .option('--tables <list>', 'only these tables (as listed in the backup), comma-separated', collectList)
    .option('--dry-run', 'print the plan and the exact commands; change nothing')
    .option('--no-safety-backup', 'skip the backup of the target taken before restoring')
    .option('--decrypt-passphrase-env <var>', 'passphrase of an encrypted backup, from this environment variable')
    .option('--identity <path>', 'age identity file of an encrypted backup')
    .option('--confirm <database>', 'the target database name, typed out (required unless --dry-run)')
    .option('--confirm-production', 'also required when the target profile is tagged production')
    .action((idArg: string, flags: RestoreFlags) =>
      run(async ({ core, io, out }) => {
        if (!flags.to) throw usageError('--to', 'required: the target profile')
        if (flags.schemaOnly && flags.dataOnly) throw usageError('--data-only', 'cannot be combined with --schema-only')
        if (flags.decryptPassphraseEnv !== undefined && flags.identity !== undefined) throw usageError('--identity', 'use either --decrypt-passphrase-env or --identity, not both')
        if (!flags.dryRun && flags.confirm === undefined) throw usageError('--confirm', 'required: type the target database name to confirm the restore')
        const decrypt =
          flags.decryptPassphraseEnv !== undefined
            ? { passphrase: secretFromEnv('--decrypt-passphrase-env', flags.decryptPassphraseEnv, io) }
            : flags.identity !== undefined
              ? { identity: readIdentity('--identity', flags.identity, io) }
              : undefined
        const target = core.profiles.resolve(flags.to)
        const database = flags.database !== undefined && target.engine === 'sqlite' ? resolve(io.cwd, flags.database) : flags.database
        const options: RestoreOptionsInput = {
          database,
          createDatabase: flags.createDatabase === true,
          dropExisting: flags.dropExisting === true,
          schemaOnly: flags.schemaOnly === true,
          dataOnly: flags.dataOnly === true,
          tables: flags.tables,
          safetyBackup: flags.safetyBackup,
        }
        const request = { backupId: core.backups.resolveId(idArg), targetProfileId: target.id, options, decrypt, confirmProduction: flags.confirmProduction === true }
        try {
          if (flags.dryRun) {
            const plan = await core.restores.plan(request)
            out.result(plan, planText(plan))
            return EXIT.ok
          }
          const started = await core.restores.start({ ...request, confirm: flags.confirm ?? '' })
          const off = core.events.subscribe((e) => {
            if (e.type === 'restore.progress' && e.progress.restoreId === started.id && (io.stderrIsTTY || e.progress.phase !== 'restoring')) {
              io.stderr(io.stderrIsTTY ? `\r\x1b[2K${progressLine(e.progress)}` : progressLine(e.progress) + '\n')
            }
          })
          const stop = io.onInterrupt(() => started.cancel())
          const result = await started.finished.finally(() => {
            off()
            stop()
            if (io.stderrIsTTY) io.stderr('\r\x1b[2K')
          })
          if (result.status !== 'success') {
            out.error({ code: result.errorCode ?? 'RESTORE_FAILED', message: `restore ${result.status}: ${result.error ?? ''}` }, result)
            return EXIT.failed
          }
          const safety = result.safetyBackupId ? `; safety backup ${result.safetyBackupId}` : ''
          out.result(result, `ok: restored into ${target.name} in ${formatDuration(result.durationMs)}${safety}`)
          return EXIT.ok
        } catch (e) {
          throw asFlagError(e)
        }
      }),
    )
}
