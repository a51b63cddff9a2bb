import { ENGINE_LABELS, type ConnectionTestResult, type ProfileConfig } from './model'

/** "app@db.example.com:5432/app", or the file path for SQLite. */
export function describeTarget(p: ProfileConfig): string {
  if (p.engine === 'sqlite') return p.file
  const host = p.host.includes(':') && !p.host.startsWith('[') ? `[${p.host}]` : p.host
  return `${p.user}@${host}:${p.port}/${p.database}`
}

/** " via SSH deploy@bastion:22 (exec)", or '' for direct connections. */
export function describeSsh(p: ProfileConfig): string {
  if (p.engine === 'sqlite' || !p.ssh) return ''
  const { hop, jump, mode } = p.ssh
  return ` via SSH ${hop.user}@${hop.host}:${hop.port}${jump ? ` through ${jump.user}@${jump.host}:${jump.port}` : ''}${mode === 'exec' ? ' (dump runs there)' : ''}`
}

export function describeProfile(p: ProfileConfig): string {
  return `${ENGINE_LABELS[p.engine]} ${describeTarget(p)}${describeSsh(p)}${p.tag ? ` [${p.tag}]` : ''}`
}

/** "PostgreSQL 15.19 · pg_dump 15.19 (/usr/lib/postgresql/15/bin/pg_dump) · 23 ms" */
export function describeTestSuccess(r: ConnectionTestResult): string {
  const parts: string[] = []
  if (r.server) parts.push(`${r.server.product} ${r.server.version}`)
  if (r.tool) parts.push(r.tool.path ? `${r.tool.name} ${r.tool.version} (${r.tool.path})` : `${r.tool.name} ${r.tool.version}`)
  parts.push(`${Math.round(r.durationMs)} ms`)
  return parts.join(' · ')
}

/** "0 B", "512 B", "12.3 kB", "4.1 MB": powers of 1024 with pg_size_pretty's units, which DBAs read daily. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—'
  const units = ['B', 'kB', 'MB', 'GB', 'TB']
  let v = bytes
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return i === 0 ? `${v} B` : `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`
}

/** "850 ms", "4.2 s", "3 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const s = Math.round(ms / 1000)
  const pad = (n: number) => String(n).padStart(2, '0')
  if (s < 3600) return `${Math.floor(s / 60)} min ${pad(s % 60)} s`
  return `${Math.floor(s / 3600)} h ${pad(Math.floor((s % 3600) / 60))} min`
}

/** "2 h ago", "5 min ago", "3 d ago" for status lines. */
export function ago(iso: string, now: Date = new Date()): string {
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000))
  if (s < 60) return 'just now'
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`
  return `${Math.floor(s / 86_400)} d ago`
}
