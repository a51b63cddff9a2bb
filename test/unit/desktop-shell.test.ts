import { join } from 'node:path'
import { describe, expect, it, vi, beforeEach } from 'vitest'
import type { Backup } from '../../src/shared/backup-model'
import type { AppEvent } from '../../src/shared/events'
import { createEventBus } from '../../src/main/core/events/event-bus'
import { silentLogger } from '../../src/main/core/logging/logger'
import { SettingsService } from '../../src/main/core/services/settings-service'
import { healthSummary } from '../../src/main/core/services/health'
import { wantsDesktopNotification } from '../../src/main/core/services/notification-rule'
import type { JobDefinition } from '../../src/shared/job-model'
import { openStore } from '../../src/main/core/store/open-store'
import { ActivityRepo } from '../../src/main/core/store/activity-repo'
import { FakeBrowserWindow, FakeMenu, FakeNotification, FakeTray, fakeElectronModule, preventable } from '../support/fake-electron'
import { FakeClock } from '../support/fake-clock'
import { createApp } from '../../src/main/core/app'
import { tempDir } from '../support/temp-home'
import { backupRow } from '../support/backup-row'

vi.mock('electron', async () => (await import('../support/fake-electron')).fakeElectronModule())

const electron = fakeElectronModule()
const { createTray, settingsPauseControl } = await import('../../src/main/electron/tray')
const { runSchedulesWhileAlive } = await import('../../src/main/electron/scheduling')
const { watchBackupNotifications } = await import('../../src/main/electron/notifications')
const { watchPower } = await import('../../src/main/electron/power')
const { manageWindowState, usableWindowState } = await import('../../src/main/electron/window-state')
const lifecycle = await import('../../src/main/electron/lifecycle')

const NOW = new Date('2030-01-02T12:00:00Z')
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3600_000).toISOString()
function backup(over: Partial<Backup> = {}): Backup {
  return backupRow({ startedAt: hoursAgo(2), finishedAt: hoursAgo(2), ...over })
}

/** A daily job per profile, so health expects a backup every day (stale after 30 h). */
const dailyJob = (profileId: string) => ({ createdAt: hoursAgo(24 * 30), definition: { name: `job-${profileId}`, profileId, enabled: true, schedule: { kind: 'daily', time: '02:00' }, timeZone: 'UTC', maxAgeMs: null } as unknown as JobDefinition })

function fakeCore(profiles = [{ id: 'p1', name: 'prod', engine: 'postgres' as const, tag: null }, { id: 'p2', name: 'staging', engine: 'postgres' as const, tag: null }]) {
  const rows: Backup[] = []
  const events = createEventBus()
  const start = vi.fn(async (req: { profileId: string }) => ({ id: 'new', finished: Promise.resolve(backup({ profileId: req.profileId })), cancel: () => {} }))
  const core = {
    health: () => healthSummary({ profiles: profiles as never, backups: rows, jobs: profiles.map((p) => dailyJob(p.id)), now: NOW }),
    backups: {
      list: (f: { status?: string } = {}) => rows.filter((b) => !f.status || b.status === f.status),
      start,
    },
    events,
    logger: silentLogger,
  }
  return { core, rows, events, start }
}
const tick = () => new Promise<void>((r) => queueMicrotask(r))

beforeEach(() => {
  FakeTray.instances.length = 0
  FakeNotification.instances.length = 0
  electron.app.removeAllListeners()
  electron.app.quitCalls = 0
  electron.app.lockGranted = true
  electron.powerMonitor.removeAllListeners()
})

describe('SettingsService', () => {
  it('returns defaults, stores validated values and rejects invalid ones', () => {
    const db = openStore(join(tempDir(), 'lifeboat.db'))
    const settings = new SettingsService(db)
    expect(settings.all()).toEqual({ closeToTray: true, startAtLogin: false, notifyOnSuccess: false, maxConcurrentRuns: 2, schedulesPaused: false, windowState: null })
    settings.set('notifyOnSuccess', true)
    settings.set('closeToTray', false)
    expect(new SettingsService(db).get('notifyOnSuccess')).toBe(true)
    expect(settings.get('closeToTray')).toBe(false)
    expect(() => settings.set('startAtLogin', 'yes' as never)).toThrow(/invalid value/)
    expect(() => settings.set('nope' as never, true as never)).toThrow(/unknown setting/)
    // a value that no longer validates reads as the default
    db.prepare("INSERT INTO settings (key, value) VALUES ('windowState', '{\"x\":1}')").run()
    expect(settings.get('windowState')).toBeNull()
    db.close()
  })
})

describe('tray', () => {
  function setup() {
    const f = fakeCore()
    const db = openStore(join(tempDir(), 'lifeboat.db'))
    const activity = new ActivityRepo(db)
    const scheduler = settingsPauseControl(new SettingsService(db), { activity, events: f.events, origin: 'ui' })
    const showWindow = vi.fn()
    const quit = vi.fn()
    const t = createTray({ core: f.core as never, iconDir: '/res', scheduler, showWindow, quit, now: () => NOW })
    return { ...f, scheduler, activity, showWindow, quit, t, tray: FakeTray.instances[0]! }
  }
  const menu = (tray: FakeTray) => tray.menu!

  it('image and tooltip follow the health: stale (nothing yet) → ok → running → failing → stale', async () => {
    const { rows, events, tray } = setup()
    const icon: Record<string, string> = { ok: 'ok', stale: 'warning', running: 'running', failing: 'failing' }
    const step = async (event: AppEvent, state: string) => {
      events.emit(event)
      await tick()
      expect(tray.image).toBe(`/res/tray-${icon[state]}.png`)
      expect(tray.tooltip).toBe(`Lifeboat — ${state}`)
    }
    expect(tray.image).toBe('/res/tray-warning.png')
    rows.push(backup({ profileId: 'p1' }), backup({ profileId: 'p2', profileName: 'staging' }))
    await step({ type: 'backups.changed' }, 'ok')
    rows.push(backup({ profileId: 'p1', status: 'running', startedAt: hoursAgo(0.1), finishedAt: null }))
    await step({ type: 'backups.changed' }, 'running')
    rows[2] = { ...rows[2]!, status: 'failed', error: 'pg_dump: connection refused' }
    await step({ type: 'backup.finished', backup: rows[2] }, 'failing')
    expect(menu(tray).labels()).toContain('✖ prod — failing: pg_dump: connection refused')
    expect(menu(tray).labels()).toContain('● staging — ok, last good 2 h ago')
    rows.splice(0, rows.length, backup({ profileId: 'p1', startedAt: hoursAgo(31), finishedAt: hoursAgo(31) }))
    await step({ type: 'profiles.changed' }, 'stale')
    expect(menu(tray).item('▲ prod — stale, last good 1 d ago')?.enabled).toBe(false)
  })

  it('coalesces a burst of events into one rebuild', async () => {
    const { events, tray } = setup()
    const set = vi.spyOn(tray, 'setContextMenu')
    for (let i = 0; i < 5; i++) events.emit({ type: 'backups.changed' })
    await tick()
    expect(set).toHaveBeenCalledTimes(1)
  })

  it('menu actions call the right services; pause is a persisted, audited setting', async () => {
    const { tray, start, showWindow, quit, scheduler, activity } = setup()
    menu(tray).item('Back up now')!.submenu!.find((i) => i.label === 'staging')!.click!()
    expect(start).toHaveBeenCalledWith({ profileId: 'p2' })
    menu(tray).item('Open Lifeboat')!.click!()
    expect(showWindow).toHaveBeenCalledTimes(1)
    menu(tray).item('Pause schedules')!.click!()
    expect(scheduler.paused).toBe(true)
    expect(tray.tooltip).toContain('schedules paused')
    expect(activity.list({ action: 'settings' })[0]).toMatchObject({ origin: 'ui', detail: { schedulesPaused: true } })
    menu(tray).item('Resume schedules')!.click!()
    expect(scheduler.paused).toBe(false)
    expect(menu(tray).item('Pause schedules')).toBeDefined()
    menu(tray).item('Quit')!.click!()
    expect(quit).toHaveBeenCalledTimes(1)
    tray.emit('click')
    expect(showWindow).toHaveBeenCalledTimes(2)
  })
})

describe('notifications', () => {
  function setup(notifyOnSuccess: boolean) {
    const events = createEventBus()
    const showWindow = vi.fn()
    const sent: AppEvent[] = []
    const rules = { desktop: true, onSuccess: false }
    watchBackupNotifications({ events, shouldNotify: (b) => wantsDesktopNotification(b, b.jobId ? rules : undefined, notifyOnSuccess), showWindow, sendToRenderer: (e) => sent.push(e) })
    return { events, showWindow, sent }
  }

  it('notifies failures with details; click shows the window and tells the renderer', () => {
    const { events, showWindow, sent } = setup(false)
    const failed = backup({ status: 'failed', error: 'pg_dump: permission denied for table film' })
    events.emit({ type: 'backup.finished', backup: failed })
    const n = FakeNotification.instances[0]!
    expect(n.shown).toBe(true)
    expect(n.options.title).toBe('Backup of prod failed')
    expect(n.options.body).toContain('prod (postgres)')
    expect(n.options.body).toContain('Size: 5.0 MB')
    expect(n.options.body).toContain('Duration: 1 min 15 s')
    expect(n.options.body).toContain('Error: pg_dump: permission denied for table film')
    n.emit('click')
    expect(showWindow).toHaveBeenCalled()
    expect(sent).toEqual([{ type: 'ui.showBackup', backupId: failed.id }])
    events.emit({ type: 'backup.finished', backup: backup({ status: 'interrupted' }) })
    expect(FakeNotification.instances).toHaveLength(2)
  })

  it('notifies successes only when the setting is on, and never for cancelled backups', () => {
    setup(false).events.emit({ type: 'backup.finished', backup: backup() })
    expect(FakeNotification.instances).toHaveLength(0)
    const { events } = setup(true)
    events.emit({ type: 'backup.finished', backup: backup() })
    events.emit({ type: 'backup.finished', backup: backup({ status: 'cancelled' }) })
    expect(FakeNotification.instances.map((n) => n.options.title)).toEqual(['Backup of prod succeeded'])
  })

  it("a job's backups follow the job's rules instead of the app setting", () => {
    const desktopOff = { desktop: false, onSuccess: true }
    const successToo = { desktop: true, onSuccess: true }
    const failuresOnly = { desktop: true, onSuccess: false }
    const ok = backup({ jobId: 'j1' })
    const failed = backup({ jobId: 'j1', status: 'failed', error: 'x' })
    expect([wantsDesktopNotification(ok, successToo, false), wantsDesktopNotification(ok, failuresOnly, true), wantsDesktopNotification(failed, failuresOnly, false)]).toEqual([true, false, true])
    expect([wantsDesktopNotification(failed, desktopOff, true), wantsDesktopNotification(backup({ jobId: 'j1', status: 'cancelled' }), successToo, true)]).toEqual([false, false])
  })
})

describe('schedules in the desktop app', () => {
  it('takes the data dir lock at start-up, stands by while a daemon holds it, and on quit stops scheduling before exiting', async () => {
    const home = tempDir()
    const daemon = createApp({ home, origin: 'cli', logger: silentLogger, clock: new FakeClock(NOW), schedulerKind: 'daemon' })
    expect(daemon.scheduler.start()).toEqual({ acquired: true })
    const core = createApp({ home, origin: 'ui', logger: silentLogger, clock: new FakeClock(NOW), schedulerKind: 'desktop' })
    const app = electron.app
    runSchedulesWhileAlive(app as never, core)
    expect(core.scheduler.state()).toMatchObject({ owner: 'other', ownerKind: 'daemon' })
    await daemon.scheduler.stop()
    core.scheduler.resume() // what the next wake (or an OS resume) does
    expect(core.scheduler.state()).toMatchObject({ owner: 'this', ownerKind: 'desktop' })

    const cancelAll = vi.spyOn(core.backups, 'cancelAll')
    const quitting = preventable()
    app.emit('before-quit', quitting)
    expect(quitting.prevented).toBe(true) // held until the scheduler has stopped
    expect(cancelAll).toHaveBeenCalledTimes(1)
    await expect.poll(() => app.quitCalls).toBe(1)
    expect(core.scheduler.state().owner).toBe('none') // lock released
    const second = preventable()
    app.emit('before-quit', second)
    expect(second.prevented).toBe(false)
    core.close()
    daemon.close()
  })
})

describe('power', () => {
  it('holds a powerSaveBlocker while a backup runs; suspend notes running backups, resume tells the scheduler', () => {
    const events = createEventBus()
    let running: string[] = []
    const onSuspend = vi.fn()
    const onResume = vi.fn()
    const power = watchPower({ events, logger: silentLogger, runningBackupIds: () => running, onSuspend, onResume, now: () => NOW })
    const blocker = electron.powerSaveBlocker
    const progress = (phase: 'starting' | 'dumping') => ({ type: 'backup.progress' as const, progress: { backupId: 'b', profileId: 'p1', phase, rawBytes: 0, storedBytes: 0, rate: 0, elapsedMs: 0, fraction: null } })
    running = ['b']
    events.emit(progress('starting'))
    events.emit(progress('dumping'))
    expect(blocker.started).toEqual(['prevent-app-suspension'])
    expect(blocker.active.size).toBe(1)
    electron.powerMonitor.emit('suspend')
    expect(onSuspend).toHaveBeenCalledWith({ at: NOW.toISOString(), runningBackupIds: ['b'] })
    electron.powerMonitor.emit('resume')
    expect(onResume).toHaveBeenCalledTimes(1)
    events.emit({ type: 'backups.changed' }) // still running
    expect(power.blocking()).toBe(true)
    running = []
    events.emit({ type: 'backup.finished', backup: backup() })
    expect(power.blocking()).toBe(false)
    expect(blocker.active.size).toBe(0)
    power.dispose()
    electron.powerMonitor.emit('resume')
    expect(onResume).toHaveBeenCalledTimes(1)
  })
})

describe('window state', () => {
  const display = { x: 0, y: 0, width: 1920, height: 1040 }

  it('saves bounds and maximized, and restores them on a visible display only', () => {
    const settings = new SettingsService(openStore(join(tempDir(), 'lifeboat.db')))
    const first = new FakeBrowserWindow()
    manageWindowState(first as never, settings, () => [display])
    first.setBounds({ x: 100, y: 80, width: 1000, height: 700 })
    first.emit('moved')
    first.maximize()
    first.emit('close', { preventDefault() {} })
    expect(settings.get('windowState')).toEqual({ x: 100, y: 80, width: 1000, height: 700, maximized: true })

    const second = new FakeBrowserWindow()
    manageWindowState(second as never, settings, () => [display])
    expect(second.bounds).toEqual({ x: 100, y: 80, width: 1000, height: 700 })
    expect(second.maximized).toBe(true)

    // the monitor it was on is gone: keep the default bounds
    settings.set('windowState', { x: 2500, y: 80, width: 1000, height: 700, maximized: false })
    const third = new FakeBrowserWindow()
    manageWindowState(third as never, settings, () => [display])
    expect(third.bounds).toEqual({ x: 0, y: 0, width: 1200, height: 800 })
    expect(usableWindowState({ x: 1900, y: 0, width: 1000, height: 700, maximized: false }, [display, { x: 1920, y: 0, width: 1280, height: 1000 }])).not.toBeNull()
    expect(usableWindowState({ x: 10, y: 10, width: 200, height: 100, maximized: false }, [display])).toBeNull()
  })
})

describe('lifecycle', () => {
  it('quits when the single-instance lock is denied', () => {
    electron.app.lockGranted = false
    expect(lifecycle.acquireSingleInstance(() => {})).toBe(false)
    expect(electron.app.quitCalls).toBe(1)
  })

  it('a second launch restores and focuses the first window', () => {
    const win = new FakeBrowserWindow()
    win.minimized = true
    win.visible = false
    expect(lifecycle.acquireSingleInstance(() => lifecycle.revealWindow(win as never))).toBe(true)
    electron.app.emit('second-instance')
    expect(win).toMatchObject({ minimized: false, visible: true, focused: true })
    expect(electron.app.quitCalls).toBe(0)
  })

  it('close hides to the tray when closeToTray, and really closes when quitting or the setting is off', () => {
    let closeToTray = true
    const settings = { get: () => closeToTray } as never
    const isQuitting = lifecycle.trackQuitting()
    const win = new FakeBrowserWindow()
    lifecycle.closeToTray(win as never, settings, isQuitting)
    expect(win.tryClose()).toBe(true)
    expect(win.visible).toBe(false)
    closeToTray = false
    win.show()
    expect(win.tryClose()).toBe(false)
    closeToTray = true
    electron.app.quit() // tray/menu Quit
    expect(isQuitting()).toBe(true)
    expect(win.tryClose()).toBe(false)
  })

  it('applies start-at-login and builds the application menu', () => {
    lifecycle.applyLoginItem({ get: () => true } as never)
    expect(electron.app.loginItem).toEqual({ openAtLogin: true })
    lifecycle.installAppMenu(false)
    const appMenu = FakeMenu.applicationMenu!
    expect(appMenu.labels()).toEqual(['File', 'Edit', 'View', 'Help'])
    expect(appMenu.item('Reload')).toBeUndefined()
    expect(appMenu.item('Toggle DevTools')).toBeUndefined()
    appMenu.item('About Lifeboat')!.click!()
    expect(electron.app.aboutShown).toBe(1)
    appMenu.item('Quit')!.click!()
    expect(electron.app.quitCalls).toBe(1)
    lifecycle.installAppMenu(true)
    expect(FakeMenu.applicationMenu!.item('Reload')?.role).toBe('reload')
    expect(FakeMenu.applicationMenu!.item('Toggle DevTools')?.role).toBe('toggleDevTools')
  })
})
