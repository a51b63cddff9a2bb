import { statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Command } from 'commander'
import type { Backup, BackupOptionsInput, BackupProgress } from '../../shared/backup-model'
import { BACKUP_STATUSES, COMPRESSIONS, FORMATS } from '../../shared/backup-model'
import { AppError } from '../../shared/errors'
import type { DecryptKey } from '../core/services/backup-service'
import { formatBytes, formatDuration } from '../../shared/format'
import { formatTable, parseDuration, parseRecipient, parseSize, readIdentity, secretFromEnv } from './cli-values'
import { EXIT, usageError, type CliIo, type Output } from './io'
import type { CommandRunner } from './run'

interface BackupFlags {
  dest: string[]
  compress?: string
  format?: string
  schemaOnly?: boolean
  dataOnly?: boolean
  tables?: string[]
  label?: string
  encryptPassphraseEnv?: string
  encryptRecipient?: string
  timeout?: string
  maxSize?: string
}

const collect = (value: string, previous: string[]) => [...previous, value]
const collectList = (value: string, previous: string[] = []) => [...previous, ...value.split(',').map((t) => t.trim()).filter(Boolean)]

function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw usageError(flag, `expected ${allowed.join('|')} (got ${JSON.stringify(value)})`)
  return value as T
}

/** The JSON document DESIGN.md §4 promises for `backup --json`. */
function backupResult(b: Backup) {
  return {
    id: b.id,
    status: b.status,
    fileName: b.fileName,
    sizeBytes: b.sizeBytes,
    sha256: b.sha256,
    durationMs: b.durationMs,
    destinations: b.copies.map((c) => ({ name: c.destination, status: c.status, location: c.location })),
    ...(b.error ? { error: b.error } : {}),
  }
}

function progressLine(p: BackupProgress): string {
  const pct = p.fraction === null ? '' : `${Math.round(p.fraction * 100)}% `
  return `${p.phase} ${pct}${formatBytes(p.rawBytes)} dumped -> ${formatBytes(p.storedBytes)} stored, ${formatBytes(Math.round(p.rate))}/s, ${formatDuration(p.elapsedMs)}`
}

/** Progress on stderr: one redrawn line on a terminal, a line every 5 s in logs. */
function progressPrinter(io: CliIo) {
  let last = 0
  return {
    show(p: BackupProgress) {
      if (io.stderrIsTTY) return io.stderr(`\r\x1b[2K${progressLine(p)}`)
      if (Date.now() - last >= 5000 || p.phase === 'finishing') {
        last = Date.now()
        io.stderr(progressLine(p) + '\n')
      }
    },
    end() {
      if (io.stderrIsTTY) io.stderr('\r\x1b[2K')
    },
  }
}

function reportBackup(out: Output, b: Backup): number {
  if (b.status === 'success') {
    const where = b.copies.map((c) => `${c.destination}: ${c.location}`).join(', ')
    out.result(backupResult(b), `ok: ${b.fileName} (${formatBytes(b.sizeBytes)}, ${formatDuration(b.durationMs)}) sha256 ${b.sha256}\n  ${where}`)
    return EXIT.ok
  }
  out.error({ code: b.status === 'cancelled' ? 'CANCELLED' : 'DUMP_FAILED', message: `backup ${b.status}: ${b.error ?? 'no reason recorded'}` }, backupResult(b))
  return EXIT.failed
}

export function registerBackupCommands(program: Command, run: CommandRunner): void {
  program
    .command('backup <PROFILE>')
    .description('back up a profile now')
    .option('--dest <name>', 'destination (repeatable; default: the built-in "local")', collect, [])
    .option('--compress <c>', `${COMPRESSIONS.join('|')} (default zstd)`)
    .option('--format <f>', `${FORMATS.join('|')} (default: custom for PostgreSQL, plain for MySQL, sqlite for SQLite)`)
    .option('--schema-only', 'structure only, no rows')
    .option('--data-only', 'rows only, no structure')
    .option('--tables <list>', 'only these tables, comma-separated (repeatable)', collectList)
    .option('--label <text>', 'shown in history and added to the file name')
    .option('--encrypt-passphrase-env <var>', 'encrypt with age, passphrase from this environment variable')
    .option('--encrypt-recipient <age-pubkey>', 'encrypt with age to this public key (age1…)')
    .option('--timeout <duration>', 'fail when the backup takes longer, e.g. 30m, 2h')
    .option('--max-size <size>', 'fail when the stored file would exceed this, e.g. 50G')
    .action((profileName: string, flags: BackupFlags) =>
      run(async ({ core, io, out }) => {
        if (flags.schemaOnly && flags.dataOnly) throw usageError('--data-only', 'cannot be combined with --schema-only')
        if (flags.encryptPassphraseEnv !== undefined && flags.encryptRecipient !== undefined) {
          throw usageError('--encrypt-recipient', 'use either --encrypt-passphrase-env or --encrypt-recipient, not both')
        }
        const passphrase = flags.encryptPassphraseEnv === undefined ? undefined : secretFromEnv('--encrypt-passphrase-env', flags.encryptPassphraseEnv, io)
        const options: BackupOptionsInput = {
          compression: oneOf('--compress', flags.compress, COMPRESSIONS),
          format: oneOf('--format', flags.format, FORMATS),
          schemaOnly: flags.schemaOnly === true,
          dataOnly: flags.dataOnly === true,
          tables: flags.tables,
          label: flags.label,
          encryption: passphrase !== undefined ? { kind: 'passphrase' } : flags.encryptRecipient ? { kind: 'recipient', recipient: parseRecipient('--encrypt-recipient', flags.encryptRecipient) } : null,
          timeoutMs: flags.timeout === undefined ? undefined : parseDuration('--timeout', flags.timeout),
          maxBytes: flags.maxSize === undefined ? undefined : parseSize('--max-size', flags.maxSize),
        }
        const profile = core.profiles.resolve(profileName)
        const started = await core.backups.start({ profileId: profile.id, options, passphrase, destinations: flags.dest }).catch((e: unknown) => {
          throw mapOptionError(e)
        })
        const printer = progressPrinter(io)
        const off = core.events.subscribe((e) => {
          if (e.type === 'backup.progress' && e.progress.backupId === started.id) printer.show(e.progress)
        })
        const stopListening = io.onInterrupt(() => {
          out.note('\ncancelling…')
          started.cancel()
        })
        try {
          const backup = await started.finished
          printer.end()
          return reportBackup(out, backup)
        } finally {
          off()
          stopListening()
        }
      }),
    )

  program
    .command('history')
    .description('list backups, newest first')
    .option('--profile <name>', 'only this profile')
    .option('--status <status>', BACKUP_STATUSES.join('|'))
    .option('--limit <n>', 'at most this many rows (default 50)')
    .action((flags: { profile?: string; status?: string; limit?: string }) =>
      run(async ({ core, out }) => {
        const limit = flags.limit === undefined ? 50 : Number(flags.limit)
        if (!Number.isInteger(limit) || limit < 1) throw usageError('--limit', `expected a whole number ≥ 1 (got ${JSON.stringify(flags.limit)})`)
        const status = oneOf('--status', flags.status, BACKUP_STATUSES)
        const profileId = flags.profile === undefined ? undefined : core.profiles.resolve(flags.profile).id
        const rows = core.backups.list({ profileId, status, limit })
        const table = [['ID', 'STARTED (UTC)', 'PROFILE', 'STATUS', 'SIZE', 'DURATION', 'FILE / ERROR']]
        for (const b of rows) {
          const note = b.status === 'success' ? b.fileName : (b.error ?? b.fileName).replace(/\s+/g, ' ').slice(0, 100)
          table.push([b.id.slice(0, 8), b.startedAt.slice(0, 19).replace('T', ' '), b.profileName, b.status, formatBytes(b.sizeBytes), formatDuration(b.durationMs), note])
        }
        out.result(rows, rows.length === 0 ? 'No backups yet. Run one with: lifeboat backup PROFILE' : formatTable(table))
        return EXIT.ok
      }),
    )

  program
    .command('verify <BACKUP_ID>')
    .description('re-read the stored file and check its SHA-256')
    .action((id: string) =>
      run(async ({ core, out }) => {
        const result = await core.backups.verify(core.backups.resolveId(id))
        if (!result.ok) {
          out.error({ code: 'INTEGRITY', message: result.error ?? 'the stored file does not match its checksum' }, result)
          return EXIT.failed
        }
        out.result(result, `ok: ${formatBytes(result.sizeBytes)} at ${result.destination}, sha256 ${result.sha256Actual}`)
        return EXIT.ok
      }),
    )

  program
    .command('export <BACKUP_ID> <PATH>')
    .description('save a copy of the backup file (as stored, or decrypted with --decrypt)')
    .option('--decrypt', 'remove the age encryption (the file stays compressed)')
    .option('--decrypt-passphrase-env <var>', 'the passphrase, from this environment variable')
    .option('--identity <path>', 'an age identity file (AGE-SECRET-KEY-1…)')
    .action((idArg: string, pathArg: string, flags: { decrypt?: boolean; decryptPassphraseEnv?: string; identity?: string }) =>
      run(async ({ core, io, out }) => {
        const id = core.backups.resolveId(idArg)
        const backup = core.backups.get(id)
        let decrypt: DecryptKey | undefined
        if (flags.decrypt) {
          if (flags.decryptPassphraseEnv !== undefined && flags.identity !== undefined) throw usageError('--identity', 'use either --decrypt-passphrase-env or --identity, not both')
          if (flags.decryptPassphraseEnv !== undefined) decrypt = { passphrase: secretFromEnv('--decrypt-passphrase-env', flags.decryptPassphraseEnv, io) }
          else if (flags.identity !== undefined) decrypt = { identity: readIdentity('--identity', flags.identity, io) }
          else throw usageError('--decrypt', 'needs --decrypt-passphrase-env VAR or --identity PATH')
        } else if (flags.decryptPassphraseEnv !== undefined || flags.identity !== undefined) {
          throw usageError(flags.identity !== undefined ? '--identity' : '--decrypt-passphrase-env', 'only with --decrypt')
        }
        const outName = decrypt ? backup.fileName.replace(/\.age$/, '') : backup.fileName
        let path = resolve(io.cwd, pathArg)
        if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) path = join(path, outName)
        const result = await core.backups.export(id, path, { decrypt })
        out.result({ id, ...result }, `ok: saved ${formatBytes(result.sizeBytes)} to ${result.path}`)
        return EXIT.ok
      }),
    )

  program
    .command('delete <BACKUP_ID>')
    .description('delete the stored file(s) and the history row')
    .requiredOption('--confirm <BACKUP_ID>', 'repeat the id to confirm')
    .action((idArg: string, flags: { confirm: string }) =>
      run(async ({ core, out }) => {
        if (flags.confirm !== idArg) throw usageError('--confirm', `must repeat the backup id exactly (${idArg})`)
        const id = core.backups.resolveId(idArg)
        const backup = core.backups.get(id)
        await core.backups.delete(id)
        out.result({ deleted: id, fileName: backup.fileName }, `Deleted backup ${id} (${backup.fileName})`)
        return EXIT.ok
      }),
    )
}

/** Option errors from the service name contract fields; on the command line, name the flag. */
function mapOptionError(e: unknown): unknown {
  if (!(e instanceof AppError) || e.code !== 'VALIDATION' || !e.field) return e
  const flag: Record<string, string> = {
    'options.format': '--format',
    'options.tables': '--tables',
    'options.label': '--label',
    'options.dataOnly': '--data-only',
    'options.encryption.recipient': '--encrypt-recipient',
    destination: '--dest',
  }
  const name = flag[e.field]
  return name ? usageError(name, e.message.replace(/^[\w.]+: /, '')) : e
}
