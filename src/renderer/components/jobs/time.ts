/** Wall-clock times in a named zone, and "in 3 h" for the next run. */

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(timeZone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'short',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      })
    } catch {
      return null // not a zone this runtime knows; the form says so next to the field
    }
    formatters.set(timeZone, f)
  }
  return f
}

/** "Mon 2026-01-05 09:00" as a clock in `timeZone` shows it (ISO order, like formatTimestamp). */
export function formatInZone(iso: string, timeZone: string): string {
  const f = formatterFor(timeZone)
  const d = new Date(iso)
  if (!f || Number.isNaN(d.getTime())) return iso
  const part = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]))
  return `${part.weekday} ${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`
}

/** "in 12 min", "in 3 h 05 min", "in 2 d 4 h"; a time already passed reads "due now" (the scheduler is on it). */
export function fromNow(iso: string, now: Date = new Date()): string {
  const s = Math.round((Date.parse(iso) - now.getTime()) / 1000)
  if (Number.isNaN(s)) return ''
  if (s <= 0) return 'due now'
  const min = Math.ceil(s / 60)
  if (min < 60) return `in ${min} min`
  if (min < 1440) return `in ${Math.floor(min / 60)} h${min % 60 ? ` ${String(min % 60).padStart(2, '0')} min` : ''}`
  const h = Math.floor(min / 60)
  return `in ${Math.floor(h / 24)} d${h % 24 ? ` ${h % 24} h` : ''}`
}

let zones: string[] | null = null

/** Every IANA zone this runtime knows, for the time zone datalist ("UTC" first: some runtimes omit it). */
export function knownTimeZones(): string[] {
  if (!zones) {
    const listed = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
    zones = ['UTC', ...listed.filter((z) => z !== 'UTC')]
  }
  return zones
}
