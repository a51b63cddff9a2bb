import { CronExpressionParser } from 'cron-parser'

/**
 * Cron validation with messages a DBA can act on. cron-parser finds the problems but its messages
 * name neither the field nor the fix ("Constraint error, got value 25 expected range 0-23"), and it
 * quietly accepts a wrong field count (4 fields parse as 5), so we count fields ourselves and parse
 * each field on its own to say which one is wrong.
 */

interface Field {
  name: string
  range: string
}

const SECOND: Field = { name: 'second', range: '0–59' }
const FIVE: Field[] = [
  { name: 'minute', range: '0–59' },
  { name: 'hour', range: '0–23' },
  { name: 'day of month', range: '1–31 or L' },
  { name: 'month', range: '1–12 or jan–dec' },
  { name: 'day of week', range: '0–7 or sun–sat (0 and 7 are Sunday)' },
]

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/** The usual shorthands, as 5 fields (cronstrue does not read them). */
const SHORTHANDS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@hourly': '0 * * * *',
}

/** The expression as cron-parser and cronstrue take it: whitespace normalised, @daily & co. expanded. */
export function parserExpression(expr: string): string {
  const e = expr.trim().replace(/\s+/g, ' ')
  return SHORTHANDS[e.toLowerCase()] ?? e
}

function explain(field: Field, token: string, message: string): string {
  const where = `${field.name}: `
  let m: RegExpMatchArray | null
  if ((m = message.match(/got (?:value|range) (\S+) expected range (\d+)-(\d+)/))) return `${where}${m[1]} is out of range ${m[2]}–${m[3]}`
  if ((m = message.match(/Invalid range: (\S+), min\((\d+)\) > max\((\d+)\)/))) return `${where}the range ${m[1]} runs backwards (${m[2]} is after ${m[3]})`
  if (/cannot repeat at every 0 time/.test(message)) return `${where}"${token}" needs a step of 1 or more after the /`
  if (/occurrence number/.test(message)) return `${where}the number after # must be 1–5 (the nth weekday of the month)`
  if (/standalone L/.test(message)) return `${where}L needs a weekday before it (5L = the last Friday)`
  return `${where}"${token}" is not valid: expected ${field.range}, *, a range (1-5), a list (1,15) or a step (*/10)`
}

/** null when the expression is valid and runs at least once; otherwise what is wrong with it. */
export function validateCron(expr: string): string | null {
  const trimmed = expr.trim()
  if (trimmed.startsWith('@')) {
    if (SHORTHANDS[trimmed.toLowerCase()]) return null
    return `unknown shorthand "${trimmed}": use ${Object.keys(SHORTHANDS).join(', ')} or 5 fields`
  }
  const tokens = trimmed === '' ? [] : trimmed.split(/\s+/)
  if (tokens.length !== 5 && tokens.length !== 6) {
    return `expected 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first, got ${tokens.length}`
  }
  const fields = tokens.length === 6 ? [SECOND, ...FIVE] : FIVE
  // Each field alone (the others *) so the message can name the field at fault.
  for (const [i, token] of tokens.entries()) {
    const alone = tokens.map((t, j) => (j === i ? t : '*')).join(' ')
    try {
      CronExpressionParser.parse(alone, { tz: 'UTC', currentDate: 0 })
    } catch (e) {
      return explain(fields[i]!, token, e instanceof Error ? e.message : String(e))
    }
  }
  const offset = tokens.length - 5
  try {
    // A fixed start keeps this pure; a leap day (29 Feb) is found within the parser's search.
    CronExpressionParser.parse(trimmed, { tz: 'UTC', currentDate: 0 }).next()
    return null
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e)
    if (/day of month/i.test(message)) return neverRunsOn(tokens[offset + 2]!, tokens[offset + 3]!)
    return 'never runs: no date matches this expression'
  }
}

function neverRunsOn(dayToken: string, monthToken: string): string {
  try {
    const months = CronExpressionParser.parse(`0 0 1 ${monthToken} *`, { tz: 'UTC', currentDate: 0 }).fields.month.values
    const names = months.map((m) => MONTHS[Number(m) - 1] ?? String(m))
    return `never runs: day ${dayToken} does not exist in ${names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : names[0]}`
  } catch {
    return `never runs: day ${dayToken} does not exist in month ${monthToken}`
  }
}
