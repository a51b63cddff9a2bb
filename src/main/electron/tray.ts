import { Menu, Tray, type MenuItemConstructorOptions } from 'electron'
import { join } from 'node:path'
import type { LifeboatCore } from '../core/app'
import type { HealthSummary, OverallState, ProfileHealth } from '../../shared/health-model'
import { ago } from '../../shared/format'
import type { SettingsService } from '../core/services/settings-service'

/** Pause / resume of the schedules, as the tray menu offers it. */
export interface SchedulerControl {
  readonly paused: boolean
  pause(): void
  resume(): void
}

/** The pause flag lives in the settings (persisted, audited), so every window and the scheduler see it. */
export function settingsPauseControl(settings: Pick<SettingsService, 'get' | 'update'>, audit: Parameters<SettingsService['update']>[1]): SchedulerControl {
  return {
    get paused() {
      return settings.get('schedulesPaused')
    },
    pause: () => void settings.update({ schedulesPaused: true }, audit),
    resume: () => void settings.update({ schedulesPaused: false }, audit),
  }
}

export interface TrayDeps {
  core: Pick<LifeboatCore, 'health' | 'backups' | 'events' | 'logger'>
  /** Folder with tray-<state>.png (and @2x variants, which Electron picks up by itself). */
  iconDir: string
  scheduler: SchedulerControl
  showWindow(): void
  quit(): void
  now?: () => Date
}

export interface LifeboatTray {
  readonly tray: Tray
  status(): HealthSummary
  /** Rebuilds icon, tooltip and menu now. */
  refresh(): void
  destroy(): void
}

const DOT: Record<ProfileHealth['state'], string> = { ok: '●', stale: '▲', failing: '✖', running: '◌', unmonitored: '○' }
/** Icon files: resources/tray-<ok|warning|failing|running>.png. */
const ICON: Record<OverallState, string> = { ok: 'ok', stale: 'warning', failing: 'failing', running: 'running' }

export function statusLine(p: ProfileHealth, now: Date): string {
  if (p.state === 'failing') return `${DOT.failing} ${p.name} — failing: ${p.lastError ?? 'unknown error'}`
  const last = p.lastSuccessAt ? `last good ${ago(p.lastSuccessAt, now)}` : 'never backed up'
  return `${DOT[p.state]} ${p.name} — ${p.state}, ${last}`
}

export function trayMenuTemplate(summary: HealthSummary, deps: TrayDeps, onChange: () => void): MenuItemConstructorOptions[] {
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
  const icon = (state: OverallState) => join(deps.iconDir, `tray-${ICON[state]}.png`)
  const tray = new Tray(icon('ok'))
  tray.on('click', () => deps.showWindow())
  let scheduled = false
  const status = () => deps.core.health()
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
    const relevant = ['backups.changed', 'backup.finished', 'profiles.changed', 'jobs.changed', 'settings.changed']
    if (relevant.includes(event.type)) schedule()
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
