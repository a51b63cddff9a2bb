import { app, BrowserWindow, dialog, ipcMain, screen, session } from 'electron'
import { join } from 'node:path'
import { EVENT_CHANNEL } from '../../shared/channels'
import type { AppEvent } from '../../shared/events'
import { createApp, type LifeboatCore } from '../core/app'
import { createDesktopSecretStore } from './safe-storage-secret-store'
import type { SettingsService } from '../core/services/settings-service'
import { ActivityRepo } from '../core/store/activity-repo'
import { registerIpc, senderCheck } from './ipc'
import { acquireSingleInstance, applyLoginItem, closeToTray, installAppMenu, revealWindow, trackQuitting } from './lifecycle'
import { electronNativeBinding } from './native-binding'
import { watchBackupNotifications } from './notifications'
import { watchPower } from './power'
import { rendererLocation } from './renderer-location'
import { secureAllWebContents, secureSession } from './security'
import { createTray, settingsPauseControl, type LifeboatTray } from './tray'
import { wantsDesktopNotification } from '../core/services/notification-rule'
import { runSchedulesWhileAlive } from './scheduling'
import { createMainWindow } from './window'
import { manageWindowState } from './window-state'

/**
 * Electron entry: one core for the app's lifetime, IPC registered once, events forwarded to every
 * window. One instance per user; the tray keeps the app running when the window is closed.
 */
export function startDesktop(mainDir: string): void {
  if (!acquireSingleInstance(() => showWindow())) return
  const renderer = rendererLocation(mainDir)
  let core: LifeboatCore | undefined
  let settings: SettingsService | undefined
  let mainWindow: BrowserWindow | undefined
  let tray: LifeboatTray | undefined
  const windows = new Set<number>()
  const isQuitting = trackQuitting()

  secureAllWebContents(app, renderer)

  const openWindow = () => {
    const win = createMainWindow(mainDir, renderer)
    const id = win.webContents.id
    windows.add(id)
    mainWindow = win
    if (settings) {
      manageWindowState(win, settings, () => screen.getAllDisplays().map((d) => d.workArea))
      closeToTray(win, settings, isQuitting)
    }
    win.on('closed', () => {
      windows.delete(id)
      if (mainWindow === win) mainWindow = undefined
    })
  }
  function showWindow() {
    if (!app.isReady()) return
    if (!mainWindow || mainWindow.isDestroyed()) openWindow()
    else revealWindow(mainWindow)
  }
  const sendToRenderer = (event: AppEvent) => {
    for (const win of BrowserWindow.getAllWindows()) if (windows.has(win.webContents.id)) win.webContents.send(EVENT_CHANNEL, event)
  }

  void app.whenReady().then(async () => {
    const nativeBinding = electronNativeBinding({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath })
    core = createApp({
      home: app.getPath('userData'),
      origin: 'ui',
      nativeBinding,
      // Passwords in the OS keychain (safeStorage); must be created after 'ready'.
      secrets: createDesktopSecretStore(app.getPath('userData')),
      // The renderer never names a path: the user picks it in the native dialog.
      saveDialog: async (suggestedName) => {
        const parent = BrowserWindow.getFocusedWindow()
        const options = { defaultPath: suggestedName, properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] }
        const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
        return result.canceled || !result.filePath ? null : result.filePath
      },
    })
    const ready = core
    settings = ready.settings
    const appSettings = settings
    await ready.ready // crashed backups are marked interrupted before the window shows history
    secureSession(session.defaultSession, renderer)
    registerIpc(ipcMain, ready.handlers, senderCheck((id) => windows.has(id), renderer.owns), ready.logger)
    ready.events.subscribe(sendToRenderer)
    installAppMenu(!app.isPackaged)
    applyLoginItem(appSettings)
    ready.events.subscribe((e) => {
      if (e.type === 'settings.changed') applyLoginItem(appSettings)
    })
    const iconDir = app.isPackaged ? join(process.resourcesPath, 'tray') : join(app.getAppPath(), 'resources')
    const pause = settingsPauseControl(appSettings, { activity: ready.activity, events: ready.events, origin: 'ui' })
    tray = createTray({ core: ready, iconDir, scheduler: pause, showWindow, quit: () => app.quit() })
    watchBackupNotifications({
      events: ready.events,
      shouldNotify: (b) => wantsDesktopNotification(b, b.jobId ? ready.jobs.list().find((j) => j.id === b.jobId)?.notify : undefined, appSettings.get('notifyOnSuccess')),
      showWindow,
      sendToRenderer,
    })
    runSchedulesWhileAlive(app, ready)
    const runningBackupIds = () => ready.backups.list({ status: 'running' }).map((b) => b.id)
    watchPower({
      events: ready.events,
      logger: ready.logger,
      runningBackupIds,
      onSuspend: (note) => {
        ready.logger.warn('suspended while backups ran', { ...note })
        // Marked in the activity log, so a DBA can tell why such a backup took long or failed.
        const activity = new ActivityRepo(ready.db)
        for (const backupId of note.runningBackupIds) activity.record({ origin: 'ui', action: 'backup.suspended', subject: backupId, outcome: 'ok', detail: { at: note.at } })
      },
      // Timers may have slept through their slots: catch up once, now.
      onResume: () => ready.scheduler.resume(),
    })
    openWindow()
    app.on('activate', () => showWindow())
  })

  app.on('window-all-closed', () => {
    // with closeToTray the window only hides, so this means "closed for real"
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => {
    tray?.destroy()
    core?.close()
  })
}
