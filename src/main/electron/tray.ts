import { Menu, Tray, type MenuItemConstructorOptions } from 'electron'
import { join } from 'node:path'
import type { LifeboatCore } from '../core/app'
import { ago, statusSummary, type ProfileStatus, type StatusSummary } from '../core/services/status'

/** What the tray needs from the scheduler (issue 6). */
export interface SchedulerControl {
  readonly paused: boolean
  pause(): void
  resume(): void
}

/** Stand-in until the scheduler arrives with issue 6: only remembers the flag, in memory. */
export function memoryScheduler(): SchedulerControl {
  let paused = false
  return {
    get paused() {
      return paused
    },
    pause: () => void (paused = true),
    resume: () => void (paused = false),
  }
}

export interface TrayDeps {
  core: Pick<LifeboatCore, 'profiles' | 'backups' | 'events' | 'logger'>
  /** Folder with tray-<state>.png (and @2x variants, which Electron picks up by itself). */
  iconDir: string
  scheduler: SchedulerControl
  showWindow(): void
  quit(): void
  now?: () => Date
}

export interface LifeboatTray {
  readonly tray: Tray
  status(): StatusSummary
  /** Rebuilds icon, tooltip and menu now. */
  refresh(): void
  destroy(): void
}

const DOT: Record<ProfileStatus['state'], string> = { ok: '●', warning: '▲', failing: '✖', running: '◌' }

export function statusLine(p: ProfileStatus, now: Date): string {
  if (p.state === 'failing') return `${DOT.failing} ${p.name} — failing: ${p.lastError ?? 'unknown error'}`
  const last = p.lastSuccessAt ? `last good ${ago(p.lastSuccessAt, now)}` : 'never backed up'
  return `${DOT[p.state]} ${p.name} — ${p.state}, ${last}`
}

export function trayMenuTemplate(summary: StatusSummary, deps: TrayDeps, onChange: () => void): MenuItemConstructorOptions[] {
  const now = deps.now?.() ?? new Date()
  const lines: MenuItemConstructorOptions[] = summary.profiles.length
    ? summary.profiles.map((p) => ({ label: statusLine(p, now), enabled: false }))
    : [{ label: 'No profiles yet', enabled: false }]
  const backUp: MenuItemConstructorOptions[] = summary.profiles.map((p) => ({
    label: p.name,
    enabled: p.state !== 'running',
    click: () => {
      deps.core.backups.start({ profileId: p.profileId }).catch((e: unknown) => deps.core.logger.error('tray backup failed to start', { profileId: p.profileId, error: String(e) }))
    },
  }))
  const paused = deps.scheduler.paused
  return [
    ...lines,
    { type: 'separator' },
    { label: 'Back up now', enabled: backUp.length > 0, submenu: backUp.length ? backUp : [{ label: 'No profiles', enabled: false }] },
    { label: 'Open Lifeboat', click: () => deps.showWindow() },
    {
      label: paused ? 'Resume schedules' : 'Pause schedules',
      click: () => {
        if (deps.scheduler.paused) deps.scheduler.resume()
        else deps.scheduler.pause()
        onChange()
      },
    },
    { type: 'separator' },
    { label: 'Quit', click: () => deps.quit() },
  ]
}

/** The tray icon follows the overall status; rebuilt (coalesced per tick) on backup and profile events. */
export function createTray(deps: TrayDeps): LifeboatTray {
  const icon = (state: StatusSummary['overall']) => join(deps.iconDir, `tray-${state}.png`)
  const tray = new Tray(icon('ok'))
  tray.on('click', () => deps.showWindow())
  let scheduled = false
  const status = () => statusSummary(deps.core, deps.now?.())
  const refresh = () => {
    scheduled = false
    const summary = status()
    tray.setImage(icon(summary.overall))
    tray.setToolTip(`Lifeboat — ${summary.overall}${deps.scheduler.paused ? ' (schedules paused)' : ''}`)
    tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(summary, deps, refresh)))
  }
  // Several events arrive together (backups.changed + backup.finished): one rebuild per tick, no timer.
  const schedule = () => {
    if (scheduled) return
    scheduled = true
    queueMicrotask(() => {
      if (scheduled) refresh()
    })
  }
  const unsubscribe = deps.core.events.subscribe((event) => {
    if (event.type === 'backups.changed' || event.type === 'backup.finished' || event.type === 'profiles.changed') schedule()
  })
  refresh()
  return {
    tray,
    status,
    refresh,
    destroy: () => {
      unsubscribe()
      tray.destroy()
    },
  }
}
