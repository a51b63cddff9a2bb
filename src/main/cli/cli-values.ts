import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ageRecipientSchema } from '../../shared/backup-model'
import { usageError, type CliIo } from './io'

/** Parsers for flag values; each error names its flag and says what was expected. */

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 }

/** "500M", "10G", "1048576" -> bytes (binary units). */
export function parseSize(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim())
  const unit = m?.[2]?.toLowerCase() ?? ''
  if (!m || !(unit in UNITS)) throw usageError(flag, `expected a size like 500M, 10G or a number of bytes (got ${JSON.stringify(value)})`)
  const bytes = Math.floor(Number(m[1]) * UNITS[unit]!)
  if (bytes < 1) throw usageError(flag, `must be at least 1 byte (got ${JSON.stringify(value)})`)
  return bytes
}

const DURATION_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 }

/** "90s", "30m", "2h", "600" (seconds) -> milliseconds. */
export function parseDuration(flag: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(value.trim())
  if (!m) throw usageError(flag, `expected a duration like 90s, 30m or 2h (got ${JSON.stringify(value)})`)
  const ms = Math.round(Number(m[1]) * DURATION_UNITS[m[2] || 's']!)
  if (ms < 1000) throw usageError(flag, `must be at least 1s (got ${JSON.stringify(value)})`)
  return ms
}

/** The value of an environment variable named by a flag (secrets never go on the command line). */
export function secretFromEnv(flag: string, name: string, io: CliIo): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw usageError(flag, `expected the NAME of an environment variable (got ${JSON.stringify(name)})`)
  const value = io.env[name]
  if (value === undefined || value === '') throw usageError(flag, `environment variable ${name} is not set or empty`)
  return value
}

export function parseRecipient(flag: string, value: string): string {
  if (!ageRecipientSchema.safeParse(value).success) throw usageError(flag, `expected an age public key (age1…, from age-keygen -y) (got ${JSON.stringify(value)})`)
  return value
}

/** An age identity file (AGE-SECRET-KEY-1…), as `age -d -i` reads it. */
export function readIdentity(flag: string, path: string, io: CliIo): string {
  let text: string
  try {
    text = readFileSync(resolve(io.cwd, path), 'utf8')
  } catch (e) {
    throw usageError(flag, `cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
  }
  const key = text.split(/\r?\n/).find((l) => l.startsWith('AGE-SECRET-KEY-1'))
  if (!key) throw usageError(flag, `${path} holds no age identity (a line starting with AGE-SECRET-KEY-1)`)
  return key.trim()
}

/** Columns padded to the widest cell, two spaces apart (first row = headers). */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)))
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n')
}
