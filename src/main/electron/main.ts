import { app, BrowserWindow, dialog, ipcMain, session } from 'electron'
import { EVENT_CHANNEL } from '../../shared/channels'
import { createApp, type LifeboatCore } from '../core/app'
import { registerIpc, senderCheck } from './ipc'
import { electronNativeBinding } from './native-binding'
import { rendererLocation } from './renderer-location'
import { secureAllWebContents, secureSession } from './security'
import { createMainWindow } from './window'

/**
 * Electron entry: one core for the app's lifetime, IPC registered once, events forwarded to every
 * window. Tray, single-instance, safeStorage and background running arrive with the Desktop shell issue.
 */
export function startDesktop(mainDir: string): void {
  const renderer = rendererLocation(mainDir)
  let core: LifeboatCore | undefined
  const windows = new Set<number>()

  secureAllWebContents(app, renderer)

  const openWindow = () => {
    const win = createMainWindow(mainDir, renderer)
    const id = win.webContents.id
    windows.add(id)
    win.on('closed', () => windows.delete(id))
  }

  void app.whenReady().then(async () => {
    const nativeBinding = electronNativeBinding({ isPackaged: app.isPackaged, appPath: app.getAppPath(), resourcesPath: process.resourcesPath })
    core = createApp({
      home: app.getPath('userData'),
      origin: 'ui',
      nativeBinding,
      // The renderer never names a path: the user picks it in the native dialog.
      saveDialog: async (suggestedName) => {
        const parent = BrowserWindow.getFocusedWindow()
        const options = { defaultPath: suggestedName, properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] }
        const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options)
        return result.canceled || !result.filePath ? null : result.filePath
      },
    })
    await core.ready // crashed backups are marked interrupted before the window shows history
    secureSession(session.defaultSession, renderer)
    registerIpc(ipcMain, core.handlers, senderCheck((id) => windows.has(id), renderer.owns), core.logger)
    core.events.subscribe((event) => {
      for (const win of BrowserWindow.getAllWindows()) if (windows.has(win.webContents.id)) win.webContents.send(EVENT_CHANNEL, event)
    })
    openWindow()
    app.on('activate', () => {
      if (BrowserWindow.getAllWindows().length === 0) openWindow()
    })
  })

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('will-quit', () => core?.close())
}
