import { CronExpressionParser } from 'cron-parser'
import cronstrue from 'cronstrue'
import { AppError } from '../../../shared/errors'
import { WEEKDAYS, type Schedule, type SchedulePreview } from '../../../shared/job-model'
import { parserExpression, validateCron } from './cron-check'

/**
 * Schedules as pure math: every function takes the time it works from, so the scheduler (and the
 * tests) decide what "now" is. Wall-clock times are in the job's IANA zone; cron-parser applies the
 * zone's DST rules (a 02:30 slot on a spring-forward day runs at 03:30, on a fall-back day once).
 */

export { validateCron } from './cron-check'

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
/** How many runs scheduleIntervalMs looks at: enough to meet a DST change in a daily schedule's next weeks. */
const INTERVAL_SAMPLE = 12

function hourMinute(time: string): [number, number] {
  const [h, m] = time.split(':').map(Number)
  return [h ?? 0, m ?? 0]
}

/** The cron expression a schedule stands for: daily 02:30 -> "30 2 * * *". */
export function cronFor(s: Schedule): string {
  if (s.kind === 'cron') return s.expression
  const [h, m] = hourMinute(s.time)
  switch (s.kind) {
    case 'daily':
      return `${m} ${h} * * *`
    case 'weekly':
      return `${m} ${h} * * ${WEEKDAYS.indexOf(s.day)}`
    case 'monthly':
      return `${m} ${h} ${s.day === 'last' ? 'L' : s.day} * *`
  }
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return tz.length > 0
  } catch {
    return false
  }
}

/** Throws VALIDATION for an invalid cron or zone; a valid schedule that never runs gives []. */
export function nextRunsAfter(s: Schedule, timeZone: string, after: Date, count: number): Date[] {
  if (!isTimeZone(timeZone)) throw new AppError('VALIDATION', `unknown time zone "${timeZone}": expected an IANA name such as Europe/Berlin or UTC`, 'timeZone')
  if (s.kind === 'cron') {
    const problem = validateCron(s.expression)
    if (problem) throw new AppError('VALIDATION', problem, 'schedule.expression')
  }
  const expr = CronExpressionParser.parse(parserExpression(cronFor(s)), { tz: timeZone, currentDate: after })
  const runs: Date[] = []
  for (let i = 0; i < count; i++) {
    try {
      runs.push(expr.next().toDate()) // strictly after the previous one (or `after`)
    } catch {
      break // the parser's search limit: no further date matches
    }
  }
  return runs
}

export function nextRunAfter(s: Schedule, timeZone: string, after: Date): Date | null {
  return nextRunsAfter(s, timeZone, after, 1)[0] ?? null
}

/** The last `count` slots at or before `at`, newest first (health: which run should have happened). */
export function previousRuns(s: Schedule, timeZone: string, at: Date, count: number): Date[] {
  if (!isTimeZone(timeZone) || (s.kind === 'cron' && validateCron(s.expression))) return []
  const expr = CronExpressionParser.parse(parserExpression(cronFor(s)), { tz: timeZone, currentDate: new Date(at.getTime() + 1) })
  const runs: Date[] = []
  for (let i = 0; i < count; i++) {
    try {
      runs.push(expr.prev().toDate())
    } catch {
      break
    }
  }
  return runs
}

const ordinal = (n: number) => {
  const teen = n % 100 >= 11 && n % 100 <= 13
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'
  return `${n}${suffix}`
}

/** "Every day at 00:00 (Europe/Berlin)"; cron in cronstrue's words. */
export function describeSchedule(s: Schedule, timeZone: string): string {
  const zone = ` (${timeZone})`
  switch (s.kind) {
    case 'cron':
      try {
        return cronstrue.toString(parserExpression(s.expression), { use24HourTimeFormat: true }) + zone
      } catch {
        return `cron "${s.expression}"${zone}` // an invalid expression still gets a label
      }
    case 'daily':
      return `Every day at ${s.time}${zone}`
    case 'weekly':
      return `Every ${DAY_NAMES[WEEKDAYS.indexOf(s.day)]} at ${s.time}${zone}`
    case 'monthly':
      return `${s.day === 'last' ? 'On the last day' : `On the ${ordinal(s.day)}`} of every month at ${s.time}${zone}`
  }
}

function longestGap(runs: Date[]): number | null {
  let longest: number | null = null
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest ?? 0, runs[i]!.getTime() - runs[i - 1]!.getTime())
  return longest
}

/**
 * The longest gap among the next runs (daily: 24 h, 25 h when a fall-back day is among them), so
 * "a good backup within the interval" never flags a schedule for its own DST change. null when it
 * does not run at least twice or is invalid.
 */
export function scheduleIntervalMs(s: Schedule, timeZone: string, now: Date): number | null {
  try {
    return longestGap(nextRunsAfter(s, timeZone, now, INTERVAL_SAMPLE + 1))
  } catch {
    return null
  }
}

export function previewSchedule(s: Schedule, timeZone: string, now: Date, count = 5): SchedulePreview {
  let runs: Date[]
  try {
    runs = nextRunsAfter(s, timeZone, now, Math.max(count, INTERVAL_SAMPLE + 1))
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) }
  }
  if (runs.length === 0) return { ok: false, error: 'never runs: no date matches this schedule' }
  return { ok: true, description: describeSchedule(s, timeZone), nextRuns: runs.slice(0, count).map((d) => d.toISOString()), intervalMs: longestGap(runs.slice(0, INTERVAL_SAMPLE + 1)) }
}

/** How many runs fall in (after, until], counting at most `cap` (how many slots a sleep missed). */
export function runsBetween(s: Schedule, timeZone: string, after: Date, until: Date, cap = 1000): number {
  const expr = CronExpressionParser.parse(parserExpression(cronFor(s)), { tz: timeZone, currentDate: after })
  let n = 0
  try {
    while (n < cap && expr.next().getTime() <= until.getTime()) n++
  } catch {
    // the parser's search limit: no further date matches
  }
  return n
}
