import { describe, expect, it } from 'vitest'
import { bucketKey, isoWeek, parseInstant } from '../../src/main/core/retention/buckets'
import { describeRetention, planRetention, retentionIsEmpty, type RetentionCandidate, type RetentionPlan } from '../../src/main/core/retention/plan'
import type { Retention } from '../../src/shared/job-model'

const DAY = 86_400_000
const NOW = new Date('2026-11-20T12:00:00Z')

const backup = (id: string, startedAt: string, status: RetentionCandidate['status'] = 'success'): RetentionCandidate => ({ id, fileName: `${id}.dump.zst`, startedAt, status })

/** `count` successful backups one `step` apart, newest first: n00 at `newest`, n01 one step earlier… */
function series(count: number, newest = '2026-11-20T02:00:00Z', prefix = 'n', step = DAY): RetentionCandidate[] {
  const start = Date.parse(newest)
  return Array.from({ length: count }, (_, i) => backup(`${prefix}${String(i).padStart(3, '0')}`, new Date(start - i * step).toISOString()))
}

/** Ids n{from}..n{to} inclusive, as `series` names them. */
const ids = (from: number, to: number, prefix = 'n'): string[] => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${String(from + i).padStart(3, '0')}`)

const deletedIds = (plan: RetentionPlan): string[] =>
  plan.decisions
    .filter((d) => d.action === 'delete')
    .map((d) => d.backupId)
    .sort()
const reasonsOf = (plan: RetentionPlan, id: string): string[] | undefined => plan.decisions.find((d) => d.backupId === id)?.reasons

// 400 daily backups ending on Friday 2026-11-20 (2026-W47), for the full GFS case.
const year = series(400)
const byDate = (date: string): string => year.find((b) => b.startedAt.startsWith(date))!.id
const gfsKept = [
  ...['2026-11-20', '2026-11-19', '2026-11-18', '2026-11-17', '2026-11-16', '2026-11-15', '2026-11-14'], // 7 daily (11-15 is also W46)
  ...['2026-11-08', '2026-11-01'], // weekly W45, W44 (W47 and W46 already kept)
  ...['2026-10-31', '2026-09-30', '2026-08-31', '2026-07-31', '2026-06-30', '2026-05-31', '2026-04-30', '2026-03-31', '2026-02-28', '2026-01-31', '2025-12-31'], // monthly
].map(byDate)

interface Case {
  name: string
  backups: RetentionCandidate[]
  policy: Retention
  now?: Date
  timeZone?: string
  /** The exact deleted ids, or the exact kept ids (then everything else successful is deleted). */
  deleted?: string[]
  kept?: string[]
  reasons?: Record<string, string[]>
  refused?: string | RegExp
}

const cases: Case[] = [
  { name: 'empty history', backups: [], policy: { keepLast: 5 }, deleted: [] },
  {
    name: 'all failed: nothing to decide',
    backups: [backup('f1', '2026-11-20T02:00:00Z', 'failed'), backup('f2', '2026-11-19T02:00:00Z', 'failed')],
    policy: { keepDays: 1 },
    deleted: [],
  },
  {
    name: 'running, failed, cancelled and interrupted runs are never deleted nor counted as copies',
    backups: [
      backup('run', '2026-11-20T11:00:00Z', 'running'),
      backup('fail', '2026-11-20T10:00:00Z', 'failed'),
      backup('s1', '2026-11-20T09:00:00Z'),
      backup('cancel', '2026-11-20T08:00:00Z', 'cancelled'),
      backup('intr', '2026-11-20T07:00:00Z', 'interrupted'),
      backup('s2', '2026-11-19T09:00:00Z'),
      backup('old-fail', '2026-01-01T09:00:00Z', 'failed'),
      backup('s3', '2026-11-18T09:00:00Z'),
    ],
    policy: { keepLast: 2 },
    deleted: ['s3'],
    reasons: { s1: ['one of the 2 newest', 'newest successful backup'], s2: ['one of the 2 newest'], s3: ['not selected by any rule'] },
  },
  {
    name: 'keepLast 5 (the seeds\' policy)',
    backups: series(8),
    policy: { keepLast: 5 },
    deleted: ids(5, 7),
    reasons: { n000: ['one of the 5 newest', 'newest successful backup'], n004: ['one of the 5 newest'], n005: ['not selected by any rule'] },
  },
  {
    name: 'keepDays 7',
    backups: series(40),
    policy: { keepDays: 7 },
    deleted: ids(7, 39),
    reasons: { n006: ['within 7 days'], n007: ['older than 7 days and not selected by any rule'] },
  },
  { name: 'keepDays 10', backups: series(40), policy: { keepDays: 10 }, deleted: ids(10, 39) },
  { name: 'keepDays 30', backups: series(40), policy: { keepDays: 30 }, deleted: ids(30, 39) },
  { name: 'keepDays 7: the cut-off instant itself is kept', backups: series(10), policy: { keepDays: 7 }, now: new Date('2026-11-20T02:00:00Z'), deleted: ids(8, 9) },
  { name: 'keepDays 1 says "1 day"', backups: series(3), policy: { keepDays: 1 }, deleted: ids(1, 2), reasons: { n001: ['older than 1 day and not selected by any rule'] } },
  {
    name: 'keepLast + keepDays is a union: keepLast reaches further back',
    backups: [...series(2, '2026-11-19T12:00:00Z'), ...series(3, '2026-10-31T12:00:00Z', 'o')],
    policy: { keepLast: 3, keepDays: 7 },
    deleted: ['o001', 'o002'],
    reasons: { n000: ['one of the 3 newest', 'within 7 days', 'newest successful backup'], o000: ['one of the 3 newest'], o001: ['older than 7 days and not selected by any rule'] },
  },
  { name: 'keepLast + keepDays is a union: keepDays reaches further back', backups: series(10), policy: { keepLast: 2, keepDays: 5 }, deleted: ids(5, 9) },
  {
    name: 'clock skew: `now` earlier than every backup (the clock went back) keeps them all',
    backups: series(10),
    policy: { keepDays: 7 },
    now: new Date('2026-01-01T00:00:00Z'),
    deleted: [],
    reasons: { n009: ['within 7 days', 'dated after now (clock skew)'] },
  },
  { name: 'clock skew: keepLast alone keeps future-dated backups too', backups: series(6), policy: { keepLast: 2 }, now: new Date('2026-01-01T00:00:00Z'), deleted: [] },
  {
    name: 'clock skew: a future-dated backup (another machine) is newest in the keepLast order',
    backups: [backup('future', '2026-11-25T02:00:00Z'), ...series(5)],
    policy: { keepLast: 3 },
    deleted: ids(2, 4),
    reasons: { future: ['one of the 3 newest', 'dated after now (clock skew)', 'newest successful backup'], n001: ['one of the 3 newest'] },
  },
  {
    name: 'GFS month edge in Europe/Berlin: 23:30 Jan 31 and 00:30 Feb 1 are different days',
    backups: [backup('feb1', '2026-01-31T23:30:00Z'), backup('jan31', '2026-01-31T22:30:00Z'), backup('jan30', '2026-01-30T12:00:00Z')],
    policy: { gfs: { daily: 2, weekly: 0, monthly: 0, yearly: 0 } },
    timeZone: 'Europe/Berlin',
    deleted: ['jan30'],
    reasons: { feb1: ['daily 2026-02-01', 'newest successful backup'], jan31: ['daily 2026-01-31'] },
  },
  {
    name: 'GFS month edge in UTC: the same two backups share a day',
    backups: [backup('feb1', '2026-01-31T23:30:00Z'), backup('jan31', '2026-01-31T22:30:00Z'), backup('jan30', '2026-01-30T12:00:00Z')],
    policy: { gfs: { daily: 2, weekly: 0, monthly: 0, yearly: 0 } },
    timeZone: 'UTC',
    deleted: ['jan31'],
    reasons: { feb1: ['daily 2026-01-31', 'newest successful backup'], jan30: ['daily 2026-01-30'] },
  },
  {
    name: 'GFS monthly in Europe/Berlin: February and January',
    backups: [backup('feb1', '2026-01-31T23:30:00Z'), backup('jan31', '2026-01-31T22:30:00Z'), backup('jan30', '2026-01-30T12:00:00Z')],
    policy: { gfs: { daily: 0, weekly: 0, monthly: 2, yearly: 0 } },
    timeZone: 'Europe/Berlin',
    deleted: ['jan30'],
    reasons: { feb1: ['monthly 2026-02', 'newest successful backup'], jan31: ['monthly 2026-01'] },
  },
  {
    name: 'GFS monthly in UTC: all three are January',
    backups: [backup('feb1', '2026-01-31T23:30:00Z'), backup('jan31', '2026-01-31T22:30:00Z'), backup('jan30', '2026-01-30T12:00:00Z')],
    policy: { gfs: { daily: 0, weekly: 0, monthly: 2, yearly: 0 } },
    timeZone: 'UTC',
    deleted: ['jan30', 'jan31'],
  },
  {
    name: 'GFS weekly at the year edge: 2024-12-30 and 2024-12-31 are in 2025-W01',
    backups: [backup('jan1', '2025-01-01T10:00:00Z'), backup('dec31', '2024-12-31T10:00:00Z'), backup('dec30', '2024-12-30T10:00:00Z'), backup('dec29', '2024-12-29T10:00:00Z')],
    policy: { gfs: { daily: 0, weekly: 2, monthly: 0, yearly: 0 } },
    deleted: ['dec30', 'dec31'],
    reasons: { jan1: ['weekly 2025-W01', 'newest successful backup'], dec29: ['weekly 2024-W52'] },
  },
  {
    name: 'GFS yearly at the year edge: Dec 31 vs Jan 1',
    backups: [backup('jan1', '2025-01-01T10:00:00Z'), backup('dec31', '2024-12-31T10:00:00Z'), backup('dec30', '2024-12-30T10:00:00Z')],
    policy: { gfs: { daily: 0, weekly: 0, monthly: 0, yearly: 2 } },
    deleted: ['dec30'],
    reasons: { jan1: ['yearly 2025', 'newest successful backup'], dec31: ['yearly 2024'] },
  },
  {
    name: 'GFS yearly in America/New_York: 03:00 UTC on Jan 1 is still New Year\'s Eve',
    backups: [backup('jan1utc', '2025-01-01T03:00:00Z'), backup('dec31', '2024-12-31T10:00:00Z')],
    policy: { gfs: { daily: 0, weekly: 0, monthly: 0, yearly: 2 } },
    timeZone: 'America/New_York',
    deleted: ['dec31'],
    reasons: { jan1utc: ['yearly 2024', 'newest successful backup'] },
  },
  {
    name: 'DST start in Europe/Berlin (2026-03-29, 23 hours) is one daily bucket',
    backups: [backup('late', '2026-03-29T21:30:00Z'), backup('early', '2026-03-28T23:30:00Z'), backup('prev', '2026-03-28T12:00:00Z')],
    policy: { gfs: { daily: 2, weekly: 0, monthly: 0, yearly: 0 } },
    timeZone: 'Europe/Berlin',
    deleted: ['early'],
    reasons: { late: ['daily 2026-03-29', 'newest successful backup'], prev: ['daily 2026-03-28'] },
  },
  {
    name: 'DST end in Europe/Berlin (2026-10-25, 25 hours) is one daily bucket',
    backups: [backup('late', '2026-10-25T22:30:00Z'), backup('early', '2026-10-24T22:30:00Z'), backup('prev', '2026-10-24T12:00:00Z')],
    policy: { gfs: { daily: 2, weekly: 0, monthly: 0, yearly: 0 } },
    timeZone: 'Europe/Berlin',
    deleted: ['early'],
    reasons: { late: ['daily 2026-10-25', 'newest successful backup'], prev: ['daily 2026-10-24'] },
  },
  {
    name: 'daily count larger than the days available keeps the newest of each day',
    backups: [...series(5), ...series(2, '2026-11-20T01:00:00Z', 'x'), backup('x-mid', '2026-11-18T00:30:00Z')],
    policy: { gfs: { daily: 30, weekly: 0, monthly: 0, yearly: 0 } },
    deleted: ['x-mid', 'x000', 'x001'],
  },
  {
    name: 'daily counts days that have a backup, not calendar days (restic)',
    backups: ['2026-11-20', '2026-11-19', '2026-11-10', '2026-10-31', '2026-10-21'].map((d) => backup(d, `${d}T02:00:00Z`)),
    policy: { gfs: { daily: 3, weekly: 0, monthly: 0, yearly: 0 } },
    deleted: ['2026-10-21', '2026-10-31'],
    reasons: { '2026-11-10': ['daily 2026-11-10'] },
  },
  {
    name: 'full GFS 7 daily, 4 weekly, 12 monthly, 1 yearly over 400 daily backups',
    backups: year,
    policy: { gfs: { daily: 7, weekly: 4, monthly: 12, yearly: 1 } },
    kept: gfsKept,
    reasons: {
      [byDate('2026-11-20')]: ['daily 2026-11-20', 'weekly 2026-W47', 'monthly 2026-11', 'yearly 2026', 'newest successful backup'],
      [byDate('2026-11-15')]: ['daily 2026-11-15', 'weekly 2026-W46'],
      [byDate('2025-12-31')]: ['monthly 2025-12'],
    },
  },
  {
    name: 'refused: keepDays 7 and every backup is older (the machine was off for a month)',
    backups: series(12, '2026-01-02T00:00:00Z'),
    policy: { keepDays: 7 },
    now: new Date('2026-02-15T00:00:00Z'),
    deleted: [],
    refused: 'refused: the policy would delete all 12 backups (the newest is from 2026-01-02T00:00:00.000Z, older than 7 days); nothing is deleted — check the clock and the policy',
    reasons: { n000: ['plan refused'], n011: ['plan refused'] },
  },
  {
    name: 'refused: a far-future `now` (the clock jumped years ahead)',
    backups: series(30),
    policy: { keepDays: 30 },
    now: new Date('2031-06-01T00:00:00Z'),
    deleted: [],
    refused: /^refused: the policy would delete all 30 backups \(the newest is from 2026-11-20T02:00:00.000Z, older than 30 days\)/,
  },
  {
    name: 'refused: a single old backup',
    backups: series(1, '2026-01-02T00:00:00Z'),
    policy: { keepDays: 7 },
    deleted: [],
    refused: 'refused: the policy would delete the only backup (from 2026-01-02T00:00:00.000Z, older than 7 days); nothing is deleted — check the clock and the policy',
  },
  {
    name: 'refused: a recent failed run does not count as a kept copy',
    backups: [backup('fail', '2026-11-20T02:00:00Z', 'failed'), ...series(3, '2026-10-01T02:00:00Z')],
    policy: { keepDays: 7 },
    deleted: [],
    refused: /would delete all 3 backups/,
  },
  { name: 'far-future `now` with keepLast too: keepLast still keeps, no refusal', backups: series(10), policy: { keepLast: 3, keepDays: 7 }, now: new Date('2031-06-01T00:00:00Z'), deleted: ids(3, 9) },
  { name: 'empty policy keeps everything', backups: series(5), policy: {}, deleted: [], reasons: { n000: ['no retention policy'], n004: ['no retention policy'] } },
  { name: 'all-zero policy is empty too', backups: series(5), policy: { keepLast: 0, keepDays: 0, gfs: { daily: 0, weekly: 0, monthly: 0, yearly: 0 } }, deleted: [], reasons: { n004: ['no retention policy'] } },
  {
    name: 'unreadable start times are kept and listed last',
    backups: [backup('garbage', 'yesterday'), backup('feb30', '2026-02-30T00:00:00Z'), backup('local', '2026-11-01T00:00:00'), ...series(3)],
    policy: { keepLast: 1 },
    deleted: ['n001', 'n002'],
    reasons: { garbage: ['unreadable start time; kept'], feb30: ['unreadable start time; kept'], local: ['unreadable start time; kept'] },
  },
  {
    name: 'equal start times: the tie is broken by id, not input order',
    backups: [backup('b', '2026-11-20T02:00:00Z'), backup('c', '2026-11-20T02:00:00Z'), backup('a', '2026-11-20T02:00:00Z')],
    policy: { keepLast: 1 },
    deleted: ['b', 'c'],
  },
]

describe('planRetention', () => {
  it.each(cases)('$name', (c) => {
    const plan = planRetention(c.backups, c.policy, c.now ?? NOW, c.timeZone ?? 'UTC')
    const successes = c.backups.filter((b) => b.status === 'success')
    const expected = c.kept ? successes.map((b) => b.id).filter((id) => !c.kept!.includes(id)) : c.deleted!
    expect(deletedIds(plan)).toEqual([...expected].sort())
    for (const [id, reasons] of Object.entries(c.reasons ?? {})) expect(reasonsOf(plan, id), id).toEqual(reasons)
    if (c.refused === undefined) expect(plan.refused).toBeNull()
    else if (typeof c.refused === 'string') expect(plan.refused).toBe(c.refused)
    else expect(plan.refused).toMatch(c.refused)
    if (plan.refused) expect(plan.decisions.every((d) => d.action === 'keep' && d.reasons[0] === 'plan refused')).toBe(true)

    // Invariants of every case: exactly the successful backups, newest first, the newest one kept.
    expect(plan.decisions.map((d) => d.backupId).sort()).toEqual(successes.map((b) => b.id).sort())
    const readable = plan.decisions.filter((d) => parseInstant(d.startedAt) !== null)
    const times = readable.map((d) => parseInstant(d.startedAt)!)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    if (readable[0]) expect(readable[0].action).toBe('keep')
    if (readable[0] && !plan.refused && !retentionIsEmpty(c.policy)) expect(readable[0].reasons).toContain('newest successful backup')
    expect(plan.decisions.every((d) => d.reasons.length > 0)).toBe(true)
  })

  it('is deterministic: the input order does not change the plan', () => {
    const backups = [...series(20), backup('dup', '2026-11-15T02:00:00Z'), backup('f', '2026-11-16T02:00:00Z', 'failed')]
    const policy: Retention = { keepLast: 3, gfs: { daily: 0, weekly: 2, monthly: 1, yearly: 0 } }
    const plan = planRetention(backups, policy, NOW, 'Europe/Berlin')
    expect(planRetention([...backups].reverse(), policy, NOW, 'Europe/Berlin')).toEqual(plan)
    expect(planRetention([...backups].sort((a, b) => a.fileName.localeCompare(b.fileName)), policy, NOW, 'Europe/Berlin')).toEqual(plan)
  })

  it('rejects an unknown time zone, an invalid `now` and malformed counts with clear errors', () => {
    expect(() => planRetention([], { keepLast: 1 }, NOW, 'Mars/Olympus_Mons')).toThrow('invalid time zone "Mars/Olympus_Mons": expected an IANA time zone such as Europe/Berlin or UTC')
    expect(() => planRetention([], { keepLast: 1 }, NOW, '')).toThrow(/invalid time zone ""/)
    expect(() => planRetention(series(2), {}, new Date('not a date'), 'UTC')).toThrow(/`now` is an invalid Date/)
    expect(() => planRetention(series(2), { keepLast: -1 }, NOW, 'UTC')).toThrow(/keepLast must be a whole number/)
    expect(() => planRetention(series(2), { keepDays: 1.5 }, NOW, 'UTC')).toThrow(/keepDays must be a whole number/)
  })
})

describe('retention buckets', () => {
  it.each([
    ['2024-12-30', '2025-W01'],
    ['2024-12-29', '2024-W52'],
    ['2021-01-03', '2020-W53'],
    ['2027-01-01', '2026-W53'],
    ['2008-12-29', '2009-W01'],
    ['2026-11-20', '2026-W47'],
    ['2026-01-01', '2026-W01'],
  ])('ISO week of %s is %s', (date, week) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number]
    const w = isoWeek({ year: y, month: m, day: d })
    expect(`${w.year}-W${String(w.week).padStart(2, '0')}`).toBe(week)
    expect(bucketKey('weekly', { year: y, month: m, day: d })).toBe(week)
  })

  it.each([
    ['2026-11-20T02:00:00Z', true],
    ['2026-11-20T02:00:00.123Z', true],
    ['2026-11-20T02:00+01:00', true],
    ['2026-11-20T02:00:00', false], // local time: would depend on the host's zone
    ['2026-02-30T00:00:00Z', false],
    ['2026-11-20', false],
    ['', false],
  ])('parseInstant(%j) readable: %s', (text, readable) => {
    expect(parseInstant(text) !== null).toBe(readable)
  })
})

describe('describeRetention / retentionIsEmpty', () => {
  it.each<[Retention, string, boolean]>([
    [{}, 'keep everything', true],
    [{ keepLast: 0, gfs: { daily: 0, weekly: 0, monthly: 0, yearly: 0 } }, 'keep everything', true],
    [{ keepLast: 5 }, 'keep the 5 newest', false],
    [{ keepLast: 1 }, 'keep the newest', false],
    [{ keepDays: 1 }, 'keep 1 day', false],
    [{ keepLast: 5, keepDays: 30, gfs: { daily: 7, weekly: 4, monthly: 12, yearly: 1 } }, 'keep the 5 newest; keep 30 days; GFS 7 daily, 4 weekly, 12 monthly, 1 yearly', false],
    [{ gfs: { daily: 7, weekly: 0, monthly: 12, yearly: 0 } }, 'GFS 7 daily, 12 monthly', false],
  ])('%j → %s', (policy, text, empty) => {
    expect(describeRetention(policy)).toBe(text)
    expect(retentionIsEmpty(policy)).toBe(empty)
  })
})
