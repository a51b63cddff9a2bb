import { formatBytes, formatDuration } from '../../../shared/format'

export interface DetailPart {
  key: string
  text: string
  /** An error or refusal: highlighted so it stands out in a row of facts. */
  problem: boolean
  /** Where the value leads (a backup in the history). */
  href?: string
}

const PROBLEM_KEYS = new Set(['error', 'errors', 'refused'])

function valueText(key: string, value: unknown): string {
  if (typeof value === 'number' && /bytes$/i.test(key)) return formatBytes(value)
  if (typeof value === 'number' && /Ms$/.test(key)) return formatDuration(value)
  if (typeof value === 'string') return value
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.length === 0 ? '—' : value.join(', ')
  return JSON.stringify(value)
}

/**
 * An entry's detail as compact "key: value" facts; empty values (null, undefined) are left out and
 * problems (error, refused) come first, so a narrow column still shows why something failed.
 */
export function detailParts(detail: Record<string, unknown> | undefined): DetailPart[] {
  if (!detail) return []
  const parts = Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([key, value]) => {
      const part: DetailPart = { key, text: valueText(key, value), problem: PROBLEM_KEYS.has(key) }
      // A backup id is a link to that row; its first 8 characters name it, as in the file names.
      if (key === 'backupId' && typeof value === 'string') {
        part.text = value.slice(0, 8)
        part.href = `#/backups?backup=${encodeURIComponent(value)}`
      }
      return part
    })
  return [...parts.filter((p) => p.problem), ...parts.filter((p) => !p.problem)]
}

/** The whole detail as one line, for the tooltip: "status: failed · error: file not found". */
export function detailLine(detail: Record<string, unknown> | undefined): string {
  if (!detail) return ''
  return Object.entries(detail)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([key, value]) => `${key}: ${valueText(key, value)}`)
    .join(' · ')
}
