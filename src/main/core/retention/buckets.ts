/**
 * Calendar buckets for GFS retention. A "day" is the DBA's local day in the job's time zone, not
 * UTC's: a backup at 00:30 in Berlin belongs to that day even though UTC still says yesterday.
 */

export const GRANULARITIES = ['daily', 'weekly', 'monthly', 'yearly'] as const
export type Granularity = (typeof GRANULARITIES)[number]

export interface LocalDate {
  year: number
  month: number
  day: number
}

const DAY_MS = 86_400_000

/** A reader of the local calendar date in `timeZone`; throws a clear Error for an unknown zone. */
export function localDateReader(timeZone: string): (ms: number) => LocalDate {
  let format: Intl.DateTimeFormat
  try {
    // Gregorian calendar and Latin digits explicitly, so a host locale cannot change the numbers.
    format = new Intl.DateTimeFormat('en-US', { timeZone, calendar: 'gregory', numberingSystem: 'latn', year: 'numeric', month: 'numeric', day: 'numeric' })
  } catch {
    throw new Error(`invalid time zone ${JSON.stringify(timeZone)}: expected an IANA time zone such as Europe/Berlin or UTC`)
  }
  return (ms) => {
    const parts = format.formatToParts(ms)
    const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value)
    return { year: part('year'), month: part('month'), day: part('day') }
  }
}

/** ISO 8601 week: weeks start on Monday and belong to the year of their Thursday (2024-12-30 is 2025-W01). */
export function isoWeek({ year, month, day }: LocalDate): { year: number; week: number } {
  const date = Date.UTC(year, month - 1, day)
  const mondayBased = (new Date(date).getUTCDay() + 6) % 7
  const thursday = new Date(date + (3 - mondayBased) * DAY_MS)
  const weekYear = thursday.getUTCFullYear()
  const week = Math.floor((thursday.getTime() - Date.UTC(weekYear, 0, 1)) / (7 * DAY_MS)) + 1
  return { year: weekYear, week }
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

/** The bucket label, also shown to the user: 2026-11-20, 2026-W47, 2026-11, 2026. */
export function bucketKey(granularity: Granularity, date: LocalDate): string {
  switch (granularity) {
    case 'daily':
      return `${pad(date.year, 4)}-${pad(date.month)}-${pad(date.day)}`
    case 'weekly': {
      const w = isoWeek(date)
      return `${pad(w.year, 4)}-W${pad(w.week)}`
    }
    case 'monthly':
      return `${pad(date.year, 4)}-${pad(date.month)}`
    case 'yearly':
      return pad(date.year, 4)
  }
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/

/**
 * Milliseconds of an ISO 8601 instant with an explicit offset, or null. Stricter than Date.parse:
 * no local-time forms (they would depend on the host's zone) and no rolled-over dates (Feb 30).
 */
export function parseInstant(text: string): number | null {
  const m = ISO_INSTANT.exec(text)
  if (!m) return null
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const calendar = new Date(Date.UTC(year, month - 1, day))
  if (calendar.getUTCFullYear() !== year || calendar.getUTCMonth() !== month - 1 || calendar.getUTCDate() !== day) return null
  const ms = Date.parse(text)
  return Number.isFinite(ms) ? ms : null
}
