import type { Command } from 'commander'
import { COMPRESSIONS, FORMATS } from '../../shared/backup-model'
import { jobInputSchema, WEEKDAYS, type JobDefinition, type JobInput, type JobSecrets, type Retention, type Schedule, type Weekday } from '../../shared/job-model'
import { parseDuration, parseRecipient, parseSize, secretFromEnv } from './cli-values'
import { usageError, type CliIo } from './io'
import type { LifeboatCore } from '../core/app'

export interface JobFlags {
  profile?: string
  dest?: string[]
  cron?: string
  daily?: string
  weekly?: string[]
  monthly?: string[]
  tz?: string
  keepLast?: string
  keepDays?: string
  gfs?: string
  keepAll?: boolean
  catchUp?: boolean
  compress?: string
  format?: string
  encryptRecipient?: string
  encryptPassphraseEnv?: string
  unencrypted?: boolean
  timeout?: string
  maxSize?: string
  maxAge?: string
  slackWebhookEnv?: string
  webhookEnv?: string
  clearSlackWebhook?: boolean
  clearWebhook?: boolean
  notifySuccess?: boolean
  desktopNotify?: boolean
  testRestoreTo?: string
  enabled?: boolean
  disabled?: boolean
}

const collect = (value: string, previous: string[] = []) => [...previous, value]

/** The flags of `job add` and `job edit` (edit changes only what is given). */
export function withJobFlags(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'the profile to back up')
    .option('--dest <name>', 'destination (repeatable; default: the built-in "local")', collect)
    .option('--cron <expr>', 'cron expression: "m h dom mon dow", or 6 fields with seconds first')
    .option('--daily <HH:MM>', 'every day at this time')
    .option('--weekly <DAY HH:MM...>', `every week on DAY (${WEEKDAYS.join('|')}) at HH:MM`)
    .option('--monthly <D HH:MM...>', 'every month on day D (1–28 or "last") at HH:MM')
    .option('--tz <zone>', 'IANA time zone of the schedule (default: this machine’s)')
    .option('--keep-last <n>', 'retention: keep the N newest backups')
    .option('--keep-days <n>', 'retention: keep backups of the last N days')
    .option('--gfs <D,W,M,Y>', 'retention: grandfather-father-son daily,weekly,monthly,yearly counts, e.g. 7,4,12,3')
    .option('--keep-all', 'retention: clear every rule (keep everything)')
    .option('--catch-up', 'after downtime, run once at start-up (default)')
    .option('--no-catch-up', 'after downtime, wait for the next slot')
    .option('--compress <c>', `${COMPRESSIONS.join('|')} (default zstd)`)
    .option('--format <f>', FORMATS.join('|'))
    .option('--encrypt-recipient <age-pubkey>', 'encrypt with age to this public key')
    .option('--encrypt-passphrase-env <var>', 'encrypt with age; the passphrase (from this variable) is kept in the secret store')
    .option('--unencrypted', 'store backups unencrypted (drops a saved passphrase)')
    .option('--timeout <duration>', 'fail a run that takes longer, e.g. 2h')
    .option('--max-size <size>', 'fail a run whose file would exceed this, e.g. 50G')
    .option('--max-age <duration>', 'health: the newest good backup must be younger than this, e.g. 26h or 8d')
    .option('--slack-webhook-env <var>', 'Slack incoming webhook URL, from this variable (kept as a secret)')
    .option('--webhook-env <var>', 'generic JSON webhook URL, from this variable (kept as a secret)')
    .option('--clear-slack-webhook', 'remove the Slack webhook')
    .option('--clear-webhook', 'remove the generic webhook')
    .option('--notify-success', 'notify on success too (failures always notify)')
    .option('--desktop-notify', 'desktop notifications for this job (default)')
    .option('--no-desktop-notify', 'no desktop notifications for this job')
    .option('--test-restore-to <profile>', 'after each success, restore into a scratch database on this profile and compare row counts ("none" to stop)')
    .option('--disabled', 'save the job without scheduling it')
    .option('--enabled', 'schedule the job')
}

function count(flag: string, value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw usageError(flag, `expected a whole number ≥ 0 (got ${JSON.stringify(value)})`)
  return n
}

/** "26h", "8d", "90m" -> ms (days allowed here: health ages are often days). */
function age(flag: string, value: string): number {
  const days = /^(\d+(?:\.\d+)?)d$/.exec(value.trim())
  return days ? Math.round(Number(days[1]) * 86_400_000) : parseDuration(flag, value)
}

function scheduleFrom(flags: JobFlags): Schedule | undefined {
  const given = (['cron', 'daily', 'weekly', 'monthly'] as const).filter((k) => flags[k] !== undefined)
  if (given.length > 1) throw usageError(`--${given[1]}`, `choose one of --cron, --daily, --weekly, --monthly (also got --${given[0]})`)
  if (flags.cron !== undefined) return { kind: 'cron', expression: flags.cron }
  if (flags.daily !== undefined) return { kind: 'daily', time: flags.daily }
  if (flags.weekly !== undefined) {
    const [day, time, ...rest] = flags.weekly
    const weekday = day?.toLowerCase().slice(0, 3)
    if (rest.length || !time || !WEEKDAYS.includes(weekday as never)) throw usageError('--weekly', `expected DAY HH:MM, e.g. --weekly sun 02:00 (got ${JSON.stringify(flags.weekly.join(' '))})`)
    return { kind: 'weekly', day: weekday as Weekday, time }
  }
  if (flags.monthly !== undefined) {
    const [day, time, ...rest] = flags.monthly
    const d = day === 'last' ? 'last' : Number(day)
    if (rest.length || !time || (d !== 'last' && !Number.isInteger(d))) throw usageError('--monthly', `expected D HH:MM with D 1–28 or "last", e.g. --monthly 1 03:00 (got ${JSON.stringify(flags.monthly.join(' '))})`)
    return { kind: 'monthly', day: d, time }
  }
  return undefined
}

function retentionFrom(flags: JobFlags, base: Retention): Retention {
  if (flags.keepAll) {
    if (flags.keepLast !== undefined || flags.keepDays !== undefined || flags.gfs !== undefined) throw usageError('--keep-all', 'cannot be combined with --keep-last, --keep-days or --gfs')
    return {}
  }
  const next: Retention = { ...base }
  if (flags.keepLast !== undefined) next.keepLast = count('--keep-last', flags.keepLast)
  if (flags.keepDays !== undefined) next.keepDays = count('--keep-days', flags.keepDays)
  if (flags.gfs !== undefined) {
    const parts = flags.gfs.split(',').map((p) => p.trim())
    if (parts.length !== 4) throw usageError('--gfs', `expected four counts daily,weekly,monthly,yearly, e.g. 7,4,12,3 (got ${JSON.stringify(flags.gfs)})`)
    const [daily, weekly, monthly, yearly] = parts.map((p) => count('--gfs', p)) as [number, number, number, number]
    next.gfs = { daily, weekly, monthly, yearly }
  }
  return next
}

/** Field of the job schema -> the flag, so validation errors name what the user typed. */
const FLAG_FOR_FIELD: Record<string, string> = {
  name: 'NAME',
  profileId: '--profile',
  destinations: '--dest',
  schedule: '--cron/--daily/--weekly/--monthly',
  'schedule.expression': '--cron',
  'schedule.time': '--daily/--weekly/--monthly',
  'schedule.day': '--weekly/--monthly',
  timeZone: '--tz',
  'retention.keepLast': '--keep-last',
  'retention.keepDays': '--keep-days',
  maxAgeMs: '--max-age',
  'options.format': '--format',
  'options.compression': '--compress',
  'secrets.passphrase': '--encrypt-passphrase-env',
  testRestoreProfileId: '--test-restore-to',
}

export function flagForField(field: string | undefined): string | undefined {
  if (!field) return undefined
  return FLAG_FOR_FIELD[field] ?? (field.startsWith('retention.gfs') ? '--gfs' : undefined)
}

/** Builds a job from flags, on top of an existing one for `job edit`. */
export function jobFromFlags(name: string, flags: JobFlags, io: CliIo, core: LifeboatCore, existing?: JobDefinition): { job: JobDefinition; secrets: JobSecrets } {
  const schedule = scheduleFrom(flags) ?? existing?.schedule
  if (!schedule) throw usageError('--cron', 'a schedule is required: --cron EXPR, --daily HH:MM, --weekly DAY HH:MM or --monthly D HH:MM')
  const profileName = flags.profile
  if (!profileName && !existing) throw usageError('--profile', 'required: the profile to back up')
  if (flags.enabled && flags.disabled) throw usageError('--enabled', 'cannot be combined with --disabled')
  if (flags.encryptRecipient !== undefined && flags.encryptPassphraseEnv !== undefined) throw usageError('--encrypt-recipient', 'use either --encrypt-recipient or --encrypt-passphrase-env, not both')
  const secrets: JobSecrets = {}
  if (flags.slackWebhookEnv !== undefined) secrets.slackWebhookUrl = secretFromEnv('--slack-webhook-env', flags.slackWebhookEnv, io)
  if (flags.webhookEnv !== undefined) secrets.webhookUrl = secretFromEnv('--webhook-env', flags.webhookEnv, io)
  if (flags.clearSlackWebhook) secrets.slackWebhookUrl = null
  if (flags.clearWebhook) secrets.webhookUrl = null
  const base = existing?.options ?? { compression: 'zstd' as const, encryption: null }
  let encryption = base.encryption
  if (flags.encryptRecipient !== undefined) encryption = { kind: 'recipient', recipient: parseRecipient('--encrypt-recipient', flags.encryptRecipient) }
  if (flags.encryptPassphraseEnv !== undefined) {
    encryption = { kind: 'passphrase' }
    secrets.passphrase = secretFromEnv('--encrypt-passphrase-env', flags.encryptPassphraseEnv, io)
  }
  if (flags.unencrypted) {
    if (flags.encryptRecipient !== undefined || flags.encryptPassphraseEnv !== undefined) throw usageError('--unencrypted', 'cannot be combined with --encrypt-recipient or --encrypt-passphrase-env')
    encryption = null
    secrets.passphrase = null
  }
  const testRestore = flags.testRestoreTo === undefined ? existing?.testRestoreProfileId ?? null : flags.testRestoreTo === 'none' ? null : core.profiles.resolve(flags.testRestoreTo).id
  const input: JobInput = {
    name,
    profileId: profileName ? core.profiles.resolve(profileName).id : existing!.profileId,
    destinations: flags.dest ?? existing?.destinations ?? ['local'],
    schedule,
    timeZone: flags.tz ?? existing?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
    enabled: flags.disabled ? false : flags.enabled ? true : (existing?.enabled ?? true),
    catchUp: flags.catchUp ?? existing?.catchUp ?? true,
    retention: retentionFrom(flags, existing?.retention ?? {}),
    options: {
      compression: (flags.compress as never) ?? base.compression,
      format: (flags.format as never) ?? base.format,
      encryption,
      timeoutMs: flags.timeout === undefined ? base.timeoutMs : parseDuration('--timeout', flags.timeout),
      maxBytes: flags.maxSize === undefined ? base.maxBytes : parseSize('--max-size', flags.maxSize),
    },
    notify: {
      desktop: flags.desktopNotify ?? existing?.notify.desktop ?? true,
      onSuccess: flags.notifySuccess ?? existing?.notify.onSuccess ?? false,
    },
    maxAgeMs: flags.maxAge === undefined ? (existing?.maxAgeMs ?? null) : age('--max-age', flags.maxAge),
    testRestoreProfileId: testRestore,
  }
  const parsed = jobInputSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.join('.')
    throw usageError(flagForField(field) ?? field, issue.message)
  }
  return { job: parsed.data, secrets }
}
