import { BrowserWindow } from 'electron'
import { join } from 'node:path'
import type { RendererLocation } from './renderer-location'

/** The main window, with the renderer locked down: isolated, sandboxed, no Node. */
export function createMainWindow(mainDir: string, renderer: RendererLocation): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 800,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Lifeboat',
    webPreferences: {
      preload: join(mainDir, '..', 'preload', 'index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      spellcheck: false,
    },
  })
  win.once('ready-to-show', () => win.show())
  void win.loadURL(renderer.url)
  return win
}
