import type { BrowserWindow, Rectangle } from 'electron'
import type { SettingsService, WindowState } from '../core/services/settings-service'

/** At least this much of the title bar area must be on a display for saved bounds to be reused. */
const MIN_VISIBLE = 100

function overlap(a: Rectangle, b: Rectangle): { w: number; h: number } {
  return {
    w: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    h: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  }
}

/** The saved state when it is usable on the current displays (a monitor may have been unplugged), else null. */
export function usableWindowState(saved: WindowState | null, workAreas: Rectangle[], minSize = { width: 900, height: 600 }): WindowState | null {
  if (!saved || saved.width < minSize.width || saved.height < minSize.height) return null
  // the top strip (where the title bar is) must be reachable with the mouse
  const top = { x: saved.x, y: saved.y, width: saved.width, height: 40 }
  const visible = workAreas.some((area) => {
    const o = overlap(top, area)
    return o.w >= MIN_VISIBLE && o.h > 0
  })
  return visible ? saved : null
}

/** Applies the saved state (before the window shows) and saves changes to the settings table. */
export function manageWindowState(win: BrowserWindow, settings: SettingsService, workAreas: () => Rectangle[]): void {
  const saved = usableWindowState(settings.get('windowState'), workAreas())
  if (saved) {
    win.setBounds({ x: saved.x, y: saved.y, width: saved.width, height: saved.height })
    if (saved.maximized) win.maximize()
  }
  const save = () => {
    if (win.isDestroyed() || win.isMinimized() || win.isFullScreen()) return
    const b = win.getNormalBounds()
    settings.set('windowState', { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() })
  }
  // 'resized'/'moved' fire once at the end of a drag; 'close' catches the final state.
  for (const event of ['resized', 'moved', 'maximize', 'unmaximize', 'close'] as const) win.on(event as 'close', save)
}
