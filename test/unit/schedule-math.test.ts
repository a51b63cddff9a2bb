import { describe, expect, it } from 'vitest'
import type { Schedule } from '../../src/shared/job-model'
import { cronFor, describeSchedule, nextRunAfter, nextRunsAfter, previewSchedule, previousRuns, runsBetween, scheduleIntervalMs, validateCron } from '../../src/main/core/scheduler/schedule-math'

const H = 3_600_000
const daily = (time: string): Schedule => ({ kind: 'daily', time })
const iso = (dates: Date[]) => dates.map((d) => d.toISOString())
const z = (s: string) => `${s}:00.000Z`

/** Wall-clock date and time of an instant in a zone, independently of cron-parser. */
function local(d: Date, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(d)
      .map((x) => [x.type, x.value]),
  )
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

describe('daily 00:00 across DST changes: once per local day, at the right UTC instant', () => {
  const cases: [string, string, string[]][] = [
    // Berlin springs forward 2026-03-29 02:00 CET -> 03:00 CEST: midnight is 23:00Z before, 22:00Z after.
    ['Europe/Berlin', '2026-03-26T12:00:00Z', ['2026-03-26T23:00', '2026-03-27T23:00', '2026-03-28T23:00', '2026-03-29T22:00', '2026-03-30T22:00', '2026-03-31T22:00']],
    // Falls back 2026-10-25 03:00 CEST -> 02:00 CET.
    ['Europe/Berlin', '2026-10-22T12:00:00Z', ['2026-10-22T22:00', '2026-10-23T22:00', '2026-10-24T22:00', '2026-10-25T23:00', '2026-10-26T23:00', '2026-10-27T23:00']],
    // New York springs forward 2026-03-08 02:00 EST -> 03:00 EDT: midnight is 05:00Z before, 04:00Z after.
    ['America/New_York', '2026-03-05T12:00:00Z', ['2026-03-06T05:00', '2026-03-07T05:00', '2026-03-08T05:00', '2026-03-09T04:00', '2026-03-10T04:00', '2026-03-11T04:00']],
    // Falls back 2026-11-01 02:00 EDT -> 01:00 EST.
    ['America/New_York', '2026-10-29T12:00:00Z', ['2026-10-30T04:00', '2026-10-31T04:00', '2026-11-01T04:00', '2026-11-02T05:00', '2026-11-03T05:00', '2026-11-04T05:00']],
  ]
  it.each(cases)('%s from %s', (tz, from, expected) => {
    const runs = nextRunsAfter(daily('00:00'), tz, new Date(from), expected.length)
    expect(iso(runs)).toEqual(expected.map(z))
    const days = runs.map((d) => local(d, tz))
    expect(days.every((d) => d.endsWith(' 00:00'))).toBe(true)
    expect(new Set(days.map((d) => d.slice(0, 10))).size).toBe(days.length)
  })
})

describe('schedule math', () => {
  it('02:30 in Berlin: 03:30 on the spring-forward day, once (the first 02:30) on the fall-back day', () => {
    expect(iso(nextRunsAfter(daily('02:30'), 'Europe/Berlin', new Date('2026-03-27T12:00:00Z'), 3))).toEqual(['2026-03-28T01:30', '2026-03-29T01:30', '2026-03-30T00:30'].map(z))
    expect(local(new Date('2026-03-29T01:30:00Z'), 'Europe/Berlin')).toBe('2026-03-29 03:30')
    expect(iso(nextRunsAfter(daily('02:30'), 'Europe/Berlin', new Date('2026-10-23T12:00:00Z'), 3))).toEqual(['2026-10-24T00:30', '2026-10-25T00:30', '2026-10-26T01:30'].map(z))
  })

  it('weekly, monthly, last day of the month, 6-field cron with seconds; strictly after', () => {
    const jan1 = new Date('2026-01-01T00:00:00Z') // a Thursday
    expect(iso(nextRunsAfter({ kind: 'weekly', day: 'mon', time: '09:00' }, 'UTC', jan1, 3))).toEqual(['2026-01-05T09:00', '2026-01-12T09:00', '2026-01-19T09:00'].map(z))
    expect(iso(nextRunsAfter({ kind: 'weekly', day: 'sun', time: '03:15' }, 'UTC', jan1, 1))).toEqual([z('2026-01-04T03:15')])
    // 02:00 Berlin: 01:00Z in winter, 00:00Z from April.
    expect(iso(nextRunsAfter({ kind: 'monthly', day: 15, time: '02:00' }, 'Europe/Berlin', jan1, 4))).toEqual(['2026-01-15T01:00', '2026-02-15T01:00', '2026-03-15T01:00', '2026-04-15T00:00'].map(z))
    expect(iso(nextRunsAfter({ kind: 'monthly', day: 'last', time: '23:00' }, 'UTC', jan1, 4))).toEqual(['2026-01-31T23:00', '2026-02-28T23:00', '2026-03-31T23:00', '2026-04-30T23:00'].map(z))
    expect(nextRunAfter({ kind: 'monthly', day: 'last', time: '23:00' }, 'UTC', new Date('2028-02-01T00:00:00Z'))?.toISOString()).toBe(z('2028-02-29T23:00'))
    expect(iso(nextRunsAfter({ kind: 'cron', expression: '30 0 12 * * *' }, 'UTC', jan1, 2))).toEqual(['2026-01-01T12:00:30.000Z', '2026-01-02T12:00:30.000Z'])
    expect(nextRunAfter(daily('00:00'), 'UTC', jan1)?.toISOString()).toBe(z('2026-01-02T00:00'))
    expect(nextRunAfter({ kind: 'cron', expression: '@daily' }, 'UTC', jan1)?.toISOString()).toBe(z('2026-01-02T00:00'))
    expect(() => nextRunsAfter({ kind: 'cron', expression: '0 25 * * *' }, 'UTC', jan1, 1)).toThrow(/hour: 25 is out of range/)
    expect(() => nextRunsAfter(daily('00:00'), 'Mars/Olympus', jan1, 1)).toThrow(/unknown time zone/)
  })

  it('cronFor', () => {
    expect(cronFor(daily('02:30'))).toBe('30 2 * * *')
    expect(cronFor(daily('00:00'))).toBe('0 0 * * *')
    expect(cronFor({ kind: 'weekly', day: 'mon', time: '09:00' })).toBe('0 9 * * 1')
    expect(cronFor({ kind: 'weekly', day: 'sun', time: '23:59' })).toBe('59 23 * * 0')
    expect(cronFor({ kind: 'monthly', day: 'last', time: '23:00' })).toBe('0 23 L * *')
    expect(cronFor({ kind: 'monthly', day: 15, time: '02:05' })).toBe('5 2 15 * *')
    expect(cronFor({ kind: 'cron', expression: '*/15 * * * *' })).toBe('*/15 * * * *')
  })

  it('validateCron names the field, the range and the fix', () => {
    for (const ok of ['0 2 * * *', '30 0 12 * * *', '0 0 L * *', '0 0 29 2 *', '0 9 * * mon-fri', '0 0 30 2 1', '*/15 * * * *', '@daily', ' 0  2 * * * ']) expect(validateCron(ok), ok).toBeNull()
    expect(validateCron('* * * *')).toBe('expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got 4')
    expect(validateCron('0 0 0 0 * * *')).toMatch(/got 7$/)
    expect(validateCron('')).toMatch(/got 0$/)
    expect(validateCron('0 25 * * *')).toBe('hour: 25 is out of range 0–23')
    expect(validateCron('61 * * * *')).toBe('minute: 61 is out of range 0–59')
    expect(validateCron('60 0 0 * * *')).toBe('second: 60 is out of range 0–59')
    expect(validateCron('0 0 0 * *')).toBe('day of month: 0 is out of range 1–31')
    expect(validateCron('0 0 1-40 * *')).toBe('day of month: 1-40 is out of range 1–31')
    expect(validateCron('0 0 * 13 *')).toBe('month: 13 is out of range 1–12')
    expect(validateCron('0 0 * * 8')).toBe('day of week: 8 is out of range 0–7')
    expect(validateCron('0 x * * *')).toMatch(/^hour: "x" is not valid: expected 0–23/)
    expect(validateCron('5-1 * * * *')).toBe('minute: the range 5-1 runs backwards (5 is after 1)')
    expect(validateCron('*/0 * * * *')).toMatch(/^minute: .*step of 1 or more/)
    expect(validateCron('0 0 * * 1#6')).toMatch(/^day of week: the number after # must be 1–5/)
    expect(validateCron('0 0 30 2 *')).toBe('never runs: day 30 does not exist in February')
    expect(validateCron('0 0 31 feb,apr *')).toBe('never runs: day 31 does not exist in February or April')
    expect(validateCron('@often')).toMatch(/^unknown shorthand "@often": use @yearly/)
  })

  it('describeSchedule', () => {
    expect(describeSchedule(daily('00:00'), 'Europe/Berlin')).toBe('Every day at 00:00 (Europe/Berlin)')
    expect(describeSchedule({ kind: 'weekly', day: 'mon', time: '09:00' }, 'UTC')).toBe('Every Monday at 09:00 (UTC)')
    expect(describeSchedule({ kind: 'monthly', day: 'last', time: '23:00' }, 'UTC')).toBe('On the last day of every month at 23:00 (UTC)')
    expect(describeSchedule({ kind: 'monthly', day: 1, time: '02:00' }, 'UTC')).toBe('On the 1st of every month at 02:00 (UTC)')
    expect(describeSchedule({ kind: 'monthly', day: 22, time: '02:00' }, 'UTC')).toBe('On the 22nd of every month at 02:00 (UTC)')
    expect(describeSchedule({ kind: 'monthly', day: 13, time: '02:00' }, 'UTC')).toBe('On the 13th of every month at 02:00 (UTC)')
    expect(describeSchedule({ kind: 'cron', expression: '30 2 * * 1-5' }, 'America/New_York')).toBe('At 02:30, Monday through Friday (America/New_York)')
    expect(describeSchedule({ kind: 'cron', expression: '30 14 * * *' }, 'UTC')).toBe('At 14:30 (UTC)') // 24-hour clock
    expect(describeSchedule({ kind: 'cron', expression: '@daily' }, 'UTC')).toBe('At 00:00 (UTC)')
  })

  it('scheduleIntervalMs is the longest gap among the next runs', () => {
    expect(scheduleIntervalMs(daily('02:00'), 'UTC', new Date('2026-01-01T00:00:00Z'))).toBe(24 * H)
    // Spring forward makes one day 23 h: the longest is still 24 h. Fall back makes one 25 h.
    expect(scheduleIntervalMs(daily('00:00'), 'Europe/Berlin', new Date('2026-03-25T00:00:00Z'))).toBe(24 * H)
    expect(scheduleIntervalMs(daily('00:00'), 'Europe/Berlin', new Date('2026-10-20T00:00:00Z'))).toBe(25 * H)
    expect(scheduleIntervalMs({ kind: 'weekly', day: 'sun', time: '03:00' }, 'UTC', new Date('2026-01-01T00:00:00Z'))).toBe(7 * 24 * H)
    expect(scheduleIntervalMs({ kind: 'monthly', day: 15, time: '02:00' }, 'UTC', new Date('2026-01-01T00:00:00Z'))).toBe(31 * 24 * H)
    expect(scheduleIntervalMs({ kind: 'cron', expression: '0 */6 * * *' }, 'UTC', new Date('2026-01-01T00:00:00Z'))).toBe(6 * H)
    expect(scheduleIntervalMs({ kind: 'cron', expression: '0 99 * * *' }, 'UTC', new Date('2026-01-01T00:00:00Z'))).toBeNull()
  })

  it('runsBetween counts the slots a sleep missed', () => {
    expect(runsBetween(daily('00:00'), 'UTC', new Date('2026-01-12T00:00:00Z'), new Date('2026-01-14T08:00:00Z'))).toBe(2)
    expect(runsBetween({ kind: 'cron', expression: '* * * * *' }, 'UTC', new Date('2026-01-01T00:00:00Z'), new Date('2026-01-10T00:00:00Z'), 50)).toBe(50)
  })

  it('previewSchedule: description, next runs, interval; or the reason it is invalid', () => {
    const now = new Date('2026-01-01T10:00:00Z')
    expect(previewSchedule(daily('02:30'), 'UTC', now)).toEqual({
      ok: true,
      description: 'Every day at 02:30 (UTC)',
      nextRuns: ['2026-01-02T02:30', '2026-01-03T02:30', '2026-01-04T02:30', '2026-01-05T02:30', '2026-01-06T02:30'].map(z),
      intervalMs: 24 * H,
    })
    expect(previewSchedule(daily('02:30'), 'UTC', now, 2)).toMatchObject({ ok: true, nextRuns: ['2026-01-02T02:30', '2026-01-03T02:30'].map(z) })
    expect(previewSchedule({ kind: 'cron', expression: '0 25 * * *' }, 'UTC', now)).toEqual({ ok: false, error: 'hour: 25 is out of range 0–23' })
    expect(previewSchedule({ kind: 'cron', expression: '0 0 30 2 *' }, 'UTC', now)).toEqual({ ok: false, error: 'never runs: day 30 does not exist in February' })
    expect(previewSchedule({ kind: 'cron', expression: '0 0 *' }, 'UTC', now)).toMatchObject({ ok: false, error: expect.stringMatching(/expected 5 fields/) })
    expect(previewSchedule(daily('02:30'), 'Mars/Olympus', now)).toMatchObject({ ok: false, error: expect.stringMatching(/^unknown time zone "Mars\/Olympus"/) })
  })

  it('previousRuns: slots at or before an instant, newest first, across DST', () => {
    const at = new Date('2026-03-30T22:00:00Z') // Berlin midnight, summer time
    expect(previousRuns(daily('00:00'), 'Europe/Berlin', at, 3).map((d) => d.toISOString())).toEqual(['2026-03-30T22:00:00.000Z', '2026-03-29T22:00:00.000Z', '2026-03-28T23:00:00.000Z'])
    expect(previousRuns({ kind: 'cron', expression: '0 99 * * *' }, 'UTC', at, 1)).toEqual([])
  })
})
