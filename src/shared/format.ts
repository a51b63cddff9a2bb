import { ENGINE_LABELS, type ConnectionTestResult, type ProfileConfig } from './model'

/** "app@db.example.com:5432/app", or the file path for SQLite. */
export function describeTarget(p: ProfileConfig): string {
  if (p.engine === 'sqlite') return p.file
  const host = p.host.includes(':') && !p.host.startsWith('[') ? `[${p.host}]` : p.host
  return `${p.user}@${host}:${p.port}/${p.database}`
}

export function describeProfile(p: ProfileConfig): string {
  return `${ENGINE_LABELS[p.engine]} ${describeTarget(p)}${p.tag ? ` [${p.tag}]` : ''}`
}

/** "PostgreSQL 15.19 · pg_dump 15.19 (/usr/lib/postgresql/15/bin/pg_dump) · 23 ms" */
export function describeTestSuccess(r: ConnectionTestResult): string {
  const parts: string[] = []
  if (r.server) parts.push(`${r.server.product} ${r.server.version}`)
  if (r.tool) parts.push(r.tool.path ? `${r.tool.name} ${r.tool.version} (${r.tool.path})` : `${r.tool.name} ${r.tool.version}`)
  parts.push(`${Math.round(r.durationMs)} ms`)
  return parts.join(' · ')
}
