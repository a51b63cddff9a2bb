import type { BackupFormat, Compression } from './backup-model'

const FORMAT_EXT: Record<BackupFormat, string> = { custom: '.dump', plain: '.sql', sqlite: '.sqlite' }
const COMPRESSION_EXT: Record<Compression, string> = { zstd: '.zst', gzip: '.gz', none: '' }

/** ".dump.zst", ".sql.gz.age", ".sqlite" — what stock tools expect, outermost layer last. */
export function backupExtension(format: BackupFormat, compression: Compression, encrypted: boolean): string {
  return FORMAT_EXT[format] + COMPRESSION_EXT[compression] + (encrypted ? '.age' : '')
}

/** "Before upgrade: v2.3!" -> "before-upgrade-v2-3" (ASCII, safe on every file system and object store). */
export function labelSlug(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '')
}

/**
 * backup_YYYY-MM-DD_HH-mm-ss_<8 hex>[_<label>].<ext>, time in UTC (DESIGN.md §6). The 8 hex come
 * from the backup id, so two backups in the same second never collide.
 */
export function backupFileName(opts: {
  startedAt: Date
  id: string
  format: BackupFormat
  compression: Compression
  encrypted: boolean
  label?: string | null
}): string {
  const iso = opts.startedAt.toISOString() // 2026-11-22T04:30:00.123Z
  const stamp = `${iso.slice(0, 10)}_${iso.slice(11, 19).replace(/:/g, '-')}`
  const hex = opts.id.replace(/[^0-9a-f]/gi, '').slice(0, 8).toLowerCase().padEnd(8, '0')
  const slug = opts.label ? labelSlug(opts.label) : ''
  return `backup_${stamp}_${hex}${slug ? `_${slug}` : ''}${backupExtension(opts.format, opts.compression, opts.encrypted)}`
}

export const MANIFEST_SUFFIX = '.manifest.json'
export const manifestName = (fileName: string) => `${fileName}${MANIFEST_SUFFIX}`
export const isManifestName = (name: string) => name.endsWith(MANIFEST_SUFFIX) && name.length > MANIFEST_SUFFIX.length
