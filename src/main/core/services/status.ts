import type { Backup } from '../../../shared/backup-model'

/** Health of the app as the tray shows it, derived from backup history only. */
export type HealthState = 'ok' | 'warning' | 'failing' | 'running'

/** A profile with no successful backup for this long is a warning (a later issue makes it per job). */
export const STALE_AFTER_MS = 26 * 60 * 60 * 1000

export interface ProfileStatus {
  profileId: string
  name: string
  state: HealthState
  lastSuccessAt: string | null
  lastError: string | null
}

export interface StatusSummary {
  overall: HealthState
  profiles: ProfileStatus[]
}

export interface StatusDeps {
  profiles: { list(): { id: string; name: string }[] }
  backups: { list(filter?: { profileId?: string }): Backup[] }
}

/** Worst first, except that "running" wins while anything runs. */
const SEVERITY: Record<HealthState, number> = { ok: 0, warning: 1, failing: 2, running: 3 }

function profileState(backups: Backup[], now: number): Omit<ProfileStatus, 'profileId' | 'name'> {
  // newest first, as BackupsRepo lists them
  const sorted = [...backups].sort((a, b) => b.startedAt.localeCompare(a.startedAt))
  const lastSuccess = sorted.find((b) => b.status === 'success')
  const lastSuccessAt = lastSuccess ? (lastSuccess.finishedAt ?? lastSuccess.startedAt) : null
  const newestFinished = sorted.find((b) => b.status === 'success' || b.status === 'failed' || b.status === 'interrupted')
  const failed = newestFinished && newestFinished.status !== 'success' ? newestFinished : undefined
  const lastError = failed ? (failed.error ?? failed.status) : null
  if (sorted.some((b) => b.status === 'running')) return { state: 'running', lastSuccessAt, lastError }
  if (failed) return { state: 'failing', lastSuccessAt, lastError }
  if (!lastSuccessAt || now - Date.parse(lastSuccessAt) > STALE_AFTER_MS) return { state: 'warning', lastSuccessAt, lastError }
  return { state: 'ok', lastSuccessAt, lastError }
}

export function statusSummary(deps: StatusDeps, now: Date = new Date()): StatusSummary {
  const all = deps.backups.list()
  const byProfile = new Map<string, Backup[]>()
  for (const b of all) {
    if (b.profileId === null) continue
    const list = byProfile.get(b.profileId) ?? []
    list.push(b)
    byProfile.set(b.profileId, list)
  }
  const profiles = deps.profiles.list().map((p) => ({ profileId: p.id, name: p.name, ...profileState(byProfile.get(p.id) ?? [], now.getTime()) }))
  // a running backup of a deleted profile still keeps the machine busy
  const orphanRunning = all.some((b) => b.status === 'running')
  const overall = profiles.reduce<HealthState>((worst, p) => (SEVERITY[p.state] > SEVERITY[worst] ? p.state : worst), orphanRunning ? 'running' : 'ok')
  return { overall, profiles }
}

/** "2 h ago", "5 min ago", "3 d ago" for the tray's status lines. */
export function ago(iso: string, now: Date = new Date()): string {
  const s = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000))
  if (s < 60) return 'just now'
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`
  return `${Math.floor(s / 86_400)} d ago`
}
