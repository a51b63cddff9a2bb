import type { BackupFormat, Compression } from '../../shared/backup-model'
import { fieldErrors, type ErrorInfo } from '../../shared/errors'
import { jobInputSchema, webhookUrlSchema, type Job, type JobInput, type JobSecrets, type Retention, type Schedule, type Weekday } from '../../shared/job-model'

/** What the job form edits: every input as typed (strings), converted to a JobInput on save. */
export interface JobDraft {
  name: string
  profileId: string
  destinations: string[]
  scheduleKind: Schedule['kind']
  /** HH:MM, for daily, weekly and monthly. */
  time: string
  weekday: Weekday
  /** "1".."28" or "last". */
  monthDay: string
  cron: string
  timeZone: string
  enabled: boolean
  catchUp: boolean
  /** Retention counts; blank = that rule is off. */
  keepLast: string
  keepDays: string
  gfsDaily: string
  gfsWeekly: string
  gfsMonthly: string
  gfsYearly: string
  compression: Compression
  /** '' = the engine's default format. */
  format: BackupFormat | ''
  encryption: 'none' | 'passphrase' | 'recipient'
  recipient: string
  /** Write-only: blank keeps the saved passphrase. */
  passphrase: string
  passphraseAgain: string
  notifyDesktop: boolean
  notifyOnSuccess: boolean
  /** Write-only like passwords: blank keeps the saved URL, remove* deletes it. */
  slackWebhookUrl: string
  removeSlackWebhook: boolean
  webhookUrl: string
  removeWebhook: boolean
  /** Health: the newest good backup must be younger than this; blank = derived from the schedule. */
  maxAgeHours: string
  /** '' = no test restore. */
  testRestoreProfileId: string
}

export type JobField = keyof JobDraft | 'schedule' | '_'
export type JobFieldErrors = Partial<Record<JobField, string>>
/** How the form's sections change one field of the draft. */
export type DraftUpdate = <K extends keyof JobDraft>(field: K, value: JobDraft[K]) => void
/** The error to show next to a field: the server's answer, the preview's, or the schema's. */
export type ErrorOf = (field: JobField) => string | undefined

export const GFS_FIELDS = [
  ['gfsDaily', 'daily'],
  ['gfsWeekly', 'weekly'],
  ['gfsMonthly', 'monthly'],
  ['gfsYearly', 'yearly'],
] as const

const HOUR_MS = 3_600_000

/** This machine's zone: what a DBA means by "02:00" unless they say otherwise. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

export function emptyJobDraft(profileId = ''): JobDraft {
  return {
    name: '',
    profileId,
    destinations: ['local'],
    scheduleKind: 'daily',
    time: '02:00',
    weekday: 'sun',
    monthDay: '1',
    cron: '',
    timeZone: localTimeZone(),
    enabled: true,
    catchUp: true,
    keepLast: '',
    keepDays: '',
    gfsDaily: '',
    gfsWeekly: '',
    gfsMonthly: '',
    gfsYearly: '',
    compression: 'zstd',
    format: '',
    encryption: 'none',
    recipient: '',
    passphrase: '',
    passphraseAgain: '',
    notifyDesktop: true,
    notifyOnSuccess: false,
    slackWebhookUrl: '',
    removeSlackWebhook: false,
    webhookUrl: '',
    removeWebhook: false,
    maxAgeHours: '',
    testRestoreProfileId: '',
  }
}

const countText = (n: number | undefined) => (n === undefined ? '' : String(n))

export function draftFromJob(job: Job): JobDraft {
  const base = emptyJobDraft(job.profileId)
  const s = job.schedule
  const { gfs } = job.retention
  return {
    ...base,
    name: job.name,
    destinations: [...job.destinations],
    scheduleKind: s.kind,
    time: s.kind === 'cron' ? base.time : s.time,
    weekday: s.kind === 'weekly' ? s.day : base.weekday,
    monthDay: s.kind === 'monthly' ? String(s.day) : base.monthDay,
    cron: s.kind === 'cron' ? s.expression : '',
    timeZone: job.timeZone,
    enabled: job.enabled,
    catchUp: job.catchUp,
    keepLast: countText(job.retention.keepLast),
    keepDays: countText(job.retention.keepDays),
    gfsDaily: countText(gfs?.daily),
    gfsWeekly: countText(gfs?.weekly),
    gfsMonthly: countText(gfs?.monthly),
    gfsYearly: countText(gfs?.yearly),
    compression: job.options.compression,
    format: job.options.format ?? '',
    encryption: job.options.encryption?.kind ?? 'none',
    recipient: job.options.encryption?.kind === 'recipient' ? job.options.encryption.recipient : '',
    notifyDesktop: job.notify.desktop,
    notifyOnSuccess: job.notify.onSuccess,
    maxAgeHours: job.maxAgeMs === null ? '' : String(Math.round((job.maxAgeMs / HOUR_MS) * 100) / 100),
    testRestoreProfileId: job.testRestoreProfileId ?? '',
  }
}

/** The schedule as the preview and the save send it; the schema reports what is malformed. */
export function draftSchedule(d: JobDraft): Schedule {
  switch (d.scheduleKind) {
    case 'cron':
      return { kind: 'cron', expression: d.cron }
    case 'daily':
      return { kind: 'daily', time: d.time }
    case 'weekly':
      return { kind: 'weekly', day: d.weekday, time: d.time }
    case 'monthly':
      return { kind: 'monthly', day: d.monthDay === 'last' ? 'last' : Number(d.monthDay), time: d.time }
  }
}

/** Blank is "off"; anything else is sent as typed (NaN included) so the schema names the problem. */
const optionalCount = (text: string): number | undefined => (text.trim() === '' ? undefined : Number(text.trim()))

export function draftRetention(d: JobDraft): Retention {
  const retention: Retention = {}
  const keepLast = optionalCount(d.keepLast)
  const keepDays = optionalCount(d.keepDays)
  if (keepLast !== undefined) retention.keepLast = keepLast
  if (keepDays !== undefined) retention.keepDays = keepDays
  // GFS is one rule with four counts: any one filled turns it on, the blank ones count 0.
  if (GFS_FIELDS.some(([field]) => d[field].trim() !== '')) {
    const [daily, weekly, monthly, yearly] = GFS_FIELDS.map(([field]) => optionalCount(d[field]) ?? 0) as [number, number, number, number]
    retention.gfs = { daily, weekly, monthly, yearly }
  }
  return retention
}

export function draftToInput(d: JobDraft): JobInput {
  const hours = d.maxAgeHours.trim()
  return {
    name: d.name.trim(),
    profileId: d.profileId,
    destinations: d.destinations,
    schedule: draftSchedule(d),
    timeZone: d.timeZone.trim(),
    enabled: d.enabled,
    catchUp: d.catchUp,
    retention: draftRetention(d),
    options: {
      compression: d.compression,
      ...(d.format === '' ? {} : { format: d.format }),
      encryption: d.encryption === 'none' ? null : d.encryption === 'passphrase' ? { kind: 'passphrase' } : { kind: 'recipient', recipient: d.recipient.trim() },
    },
    notify: { desktop: d.notifyDesktop, onSuccess: d.notifyOnSuccess },
    maxAgeMs: hours === '' ? null : Math.round(Number(hours) * HOUR_MS),
    testRestoreProfileId: d.testRestoreProfileId === '' ? null : d.testRestoreProfileId,
  }
}

/** undefined keeps a saved secret, null removes it, a string replaces it (contract.ts). */
export function draftSecrets(d: JobDraft, job: Job | null): JobSecrets {
  const url = (typed: string, remove: boolean, saved: boolean): string | null | undefined => {
    if (remove && saved) return null
    return typed.trim() === '' ? undefined : typed.trim()
  }
  const secrets: JobSecrets = {
    slackWebhookUrl: url(d.slackWebhookUrl, d.removeSlackWebhook, job?.hasSlackWebhook ?? false),
    webhookUrl: url(d.webhookUrl, d.removeWebhook, job?.hasWebhook ?? false),
    // No longer encrypting with a passphrase: the saved one has no use left, so it goes.
    passphrase: d.encryption !== 'passphrase' ? (job?.hasPassphrase ? null : undefined) : d.passphrase === '' ? undefined : d.passphrase,
  }
  for (const key of Object.keys(secrets) as (keyof JobSecrets)[]) if (secrets[key] === undefined) delete secrets[key]
  return secrets
}

/** Where an error path ("job.schedule.expression", "secrets.passphrase", "retention.gfs.daily") belongs in the form. */
export function fieldOfPath(path: string, kind: Schedule['kind']): JobField {
  const p = path.replace(/^job\./, '')
  const exact: Record<string, JobField> = {
    name: 'name',
    profileId: 'profileId',
    timeZone: 'timeZone',
    schedule: 'schedule',
    'schedule.kind': 'schedule',
    'schedule.expression': 'cron',
    'schedule.time': 'time',
    'schedule.day': kind === 'weekly' ? 'weekday' : 'monthDay',
    'retention.keepLast': 'keepLast',
    'retention.keepDays': 'keepDays',
    'retention.gfs.daily': 'gfsDaily',
    'retention.gfs.weekly': 'gfsWeekly',
    'retention.gfs.monthly': 'gfsMonthly',
    'retention.gfs.yearly': 'gfsYearly',
    'options.compression': 'compression',
    'options.format': 'format',
    'options.encryption': 'recipient',
    'options.encryption.recipient': 'recipient',
    'secrets.passphrase': 'passphrase',
    'secrets.slackWebhookUrl': 'slackWebhookUrl',
    'secrets.webhookUrl': 'webhookUrl',
    maxAgeMs: 'maxAgeHours',
    testRestoreProfileId: 'testRestoreProfileId',
  }
  if (exact[p]) return exact[p]
  if (p.startsWith('destinations')) return 'destinations'
  return '_'
}

/** A server error placed next to its field, without the "field: " prefix it repeats. */
export function serverFieldError(error: ErrorInfo, kind: Schedule['kind']): { field: JobField; message: string } {
  const path = error.field ?? ''
  const field = fieldOfPath(path, kind)
  if (field === '_') return { field, message: error.message }
  const message = error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message
  return { field, message }
}

const WHOLE_NUMBER = /^\d+$/
const COUNT_FIELDS = ['keepLast', 'keepDays', 'gfsDaily', 'gfsWeekly', 'gfsMonthly', 'gfsYearly'] as const

/**
 * The shared schema main validates with (so both agree on every message), plus what only the form
 * knows: whole numbers in the count boxes, the repeated passphrase, a passphrase for a new job.
 */
export function validateJobDraft(d: JobDraft, job: Job | null): JobFieldErrors {
  const errors: JobFieldErrors = {}
  const parsed = jobInputSchema.safeParse(draftToInput(d))
  if (!parsed.success) {
    for (const [path, message] of Object.entries(fieldErrors(parsed.error))) {
      const field = fieldOfPath(path, d.scheduleKind)
      errors[field] ??= message
    }
  }
  for (const field of COUNT_FIELDS) {
    if (d[field].trim() !== '' && !WHOLE_NUMBER.test(d[field].trim())) errors[field] = 'expected a whole number, or blank for off'
  }
  const hours = d.maxAgeHours.trim()
  if (hours !== '' && !(Number(hours) > 0)) errors.maxAgeHours = 'expected a number of hours above 0, or blank'
  if (d.scheduleKind === 'cron' && d.cron.trim() === '') errors.cron = 'a cron expression is required'
  if (d.encryption === 'passphrase') {
    const saved = job?.hasPassphrase === true && job.options.encryption?.kind === 'passphrase'
    if (d.passphrase === '' && !saved) errors.passphrase = 'type a passphrase: scheduled runs need it'
    else if (d.passphrase.length > 1024) errors.passphrase = 'at most 1024 characters'
    else if (d.passphrase !== '' && d.passphraseAgain !== d.passphrase) errors.passphraseAgain = 'the two passphrases differ'
  }
  for (const field of ['slackWebhookUrl', 'webhookUrl'] as const) {
    const typed = d[field].trim()
    if (typed === '') continue
    const url = webhookUrlSchema.safeParse(typed)
    if (!url.success) errors[field] = url.error.issues[0]?.message ?? 'expected an http(s) URL'
  }
  if (d.destinations.length === 0) errors.destinations = 'choose at least one destination'
  return errors
}

/** "Keep the last 7 · 30 days · 7 daily, 4 weekly, 12 monthly" — no rule at all keeps everything. */
export function describeRetention(r: Retention): string {
  const parts: string[] = []
  if (r.keepLast !== undefined) parts.push(`last ${r.keepLast}`)
  if (r.keepDays !== undefined) parts.push(`${r.keepDays} ${r.keepDays === 1 ? 'day' : 'days'}`)
  if (r.gfs) {
    const gfs = (['daily', 'weekly', 'monthly', 'yearly'] as const).filter((k) => r.gfs![k] > 0).map((k) => `${r.gfs![k]} ${k}`)
    if (gfs.length > 0) parts.push(gfs.join(', '))
  }
  return parts.length === 0 ? 'Keep everything' : `Keep ${parts.join(' · ')}`
}
