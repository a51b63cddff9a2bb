import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron'
import type { SettingsService } from '../core/services/settings-service'

/**
 * Only one Lifeboat per user: a second launch quits and the first one shows its window.
 * Returns false when this process is the second one (it is already quitting).
 */
export function acquireSingleInstance(onSecondLaunch: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return false
  }
  app.on('second-instance', () => onSecondLaunch())
  return true
}

/** Shows, restores and focuses a window (tray "Open", second launch, notification click). */
export function revealWindow(win: BrowserWindow): void {
  if (win.isMinimized()) win.restore()
  win.show()
  win.focus()
}

/** True once a real quit began (tray/menu Quit, OS shutdown): windows then close instead of hiding. */
export function trackQuitting(): () => boolean {
  let quitting = false
  app.on('before-quit', () => void (quitting = true))
  return () => quitting
}

/** Closing the window keeps Lifeboat running in the tray when settings.closeToTray. */
export function closeToTray(win: BrowserWindow, settings: Pick<SettingsService, 'get'>, isQuitting: () => boolean): void {
  win.on('close', (event) => {
    if (isQuitting() || !settings.get('closeToTray')) return
    event.preventDefault()
    win.hide()
  })
}

export function applyLoginItem(settings: Pick<SettingsService, 'get'>): void {
  app.setLoginItemSettings({ openAtLogin: settings.get('startAtLogin') })
}

export function appMenuTemplate(opts: { dev: boolean; quit(): void; about(): void }): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = opts.dev
    ? [
        { label: 'Reload', accelerator: 'CmdOrCtrl+R', role: 'reload' },
        { label: 'Toggle DevTools', accelerator: 'CmdOrCtrl+Shift+I', role: 'toggleDevTools' },
      ]
    : [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }]
  return [
    { label: 'File', submenu: [{ label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => opts.quit() }] },
    { label: 'Edit', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] },
    { label: 'View', submenu: view },
    { label: 'Help', submenu: [{ label: 'About Lifeboat', click: () => opts.about() }] },
  ]
}

export function installAppMenu(dev: boolean): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ dev, quit: () => app.quit(), about: () => app.showAboutPanel() })))
}
