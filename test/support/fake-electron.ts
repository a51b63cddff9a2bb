import { EventEmitter } from 'node:events'

/**
 * A stand-in for the parts of `electron` the main-process glue uses, recording what the glue did.
 * Plain Node: the real Electron binary cannot be downloaded on CI machines.
 */
export type InvokeHandler = (event: unknown, ...args: unknown[]) => unknown

export class FakeIpcMain {
  readonly handlers = new Map<string, InvokeHandler>()
  handle(channel: string, handler: InvokeHandler) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`)
    this.handlers.set(channel, handler)
  }
  removeHandler(channel: string) {
    this.handlers.delete(channel)
  }
}

export class FakeWebContents extends EventEmitter {
  static nextId = 1
  readonly id = FakeWebContents.nextId++
  readonly sent: { channel: string; payload: unknown }[] = []
  windowOpenHandler?: (details: { url: string }) => { action: string }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler
  }
  send(channel: string, payload: unknown) {
    this.sent.push({ channel, payload })
  }
}

export class FakeSession {
  headersListener?: (details: { responseHeaders?: Record<string, string[]> }, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void
  permissionRequestHandler?: (contents: unknown, permission: string, cb: (granted: boolean) => void) => void
  permissionCheckHandler?: () => boolean
  webRequest = {
    onHeadersReceived: (listener: NonNullable<FakeSession['headersListener']>) => {
      this.headersListener = listener
    },
  }
  setPermissionRequestHandler(h: NonNullable<FakeSession['permissionRequestHandler']>) {
    this.permissionRequestHandler = h
  }
  setPermissionCheckHandler(h: NonNullable<FakeSession['permissionCheckHandler']>) {
    this.permissionCheckHandler = h
  }
}

/** A navigation-style event whose preventDefault we can observe. */
export function preventable() {
  const event = { prevented: false, preventDefault: () => void (event.prevented = true) }
  return event
}

/** An IPC invoke event from a given webContents and frame URL. */
export function invokeEvent(sender: FakeWebContents, url: string, topFrame = true) {
  return { sender, senderFrame: { url, parent: topFrame ? null : {} } }
}

// ---- Desktop shell fakes: tray, menus, notifications, power, app, windows -----------------------

export interface FakeMenuItem {
  label?: string
  type?: string
  role?: string
  enabled?: boolean
  click?: () => void
  submenu?: FakeMenuItem[]
}

export class FakeMenu {
  static applicationMenu: FakeMenu | null = null
  constructor(readonly template: FakeMenuItem[]) {}
  static buildFromTemplate(template: FakeMenuItem[]) {
    return new FakeMenu(template)
  }
  static setApplicationMenu(menu: FakeMenu | null) {
    FakeMenu.applicationMenu = menu
  }
  /** The item with this label, searched through submenus. */
  item(label: string, items: FakeMenuItem[] = this.template): FakeMenuItem | undefined {
    for (const i of items) {
      if (i.label === label) return i
      const inner = i.submenu && this.item(label, i.submenu)
      if (inner) return inner
    }
    return undefined
  }
  labels(): string[] {
    return this.template.filter((i) => i.label !== undefined).map((i) => i.label!)
  }
}

export class FakeTray extends EventEmitter {
  static instances: FakeTray[] = []
  image: string
  tooltip = ''
  menu: FakeMenu | null = null
  destroyed = false
  constructor(image: string) {
    super()
    this.image = image
    FakeTray.instances.push(this)
  }
  setImage(image: string) {
    this.image = image
  }
  setToolTip(tooltip: string) {
    this.tooltip = tooltip
  }
  setContextMenu(menu: FakeMenu | null) {
    this.menu = menu
  }
  destroy() {
    this.destroyed = true
  }
}

export class FakeNotification extends EventEmitter {
  static instances: FakeNotification[] = []
  static supported = true
  shown = false
  constructor(readonly options: { title: string; body: string; urgency?: string }) {
    super()
    FakeNotification.instances.push(this)
  }
  static isSupported() {
    return FakeNotification.supported
  }
  show() {
    this.shown = true
  }
}

export class FakePowerSaveBlocker {
  private next = 1
  readonly active = new Set<number>()
  readonly started: string[] = []
  start(type: string) {
    this.started.push(type)
    const id = this.next++
    this.active.add(id)
    return id
  }
  stop(id: number) {
    this.active.delete(id)
  }
  isStarted(id: number) {
    return this.active.has(id)
  }
}

export interface Bounds {
  x: number
  y: number
  width: number
  height: number
}

export class FakeBrowserWindow extends EventEmitter {
  bounds: Bounds = { x: 0, y: 0, width: 1200, height: 800 }
  visible = true
  minimized = false
  maximized = false
  focused = false
  destroyed = false
  readonly webContents = new FakeWebContents()
  setBounds(b: Bounds) {
    this.bounds = { ...b }
  }
  getNormalBounds() {
    return { ...this.bounds }
  }
  maximize() {
    this.maximized = true
  }
  isMaximized() {
    return this.maximized
  }
  isMinimized() {
    return this.minimized
  }
  isFullScreen() {
    return false
  }
  isDestroyed() {
    return this.destroyed
  }
  restore() {
    this.minimized = false
  }
  show() {
    this.visible = true
  }
  hide() {
    this.visible = false
  }
  focus() {
    this.focused = true
  }
  /** Emits 'close' like Electron: returns whether a listener prevented it. */
  tryClose(): boolean {
    const event = preventable()
    this.emit('close', event)
    if (!event.prevented) this.visible = false
    return event.prevented
  }
}

export class FakeApp extends EventEmitter {
  lockGranted = true
  quitCalls = 0
  aboutShown = 0
  loginItem: { openAtLogin?: boolean } | null = null
  requestSingleInstanceLock() {
    return this.lockGranted
  }
  quit() {
    this.quitCalls++
    this.emit('before-quit')
  }
  setLoginItemSettings(s: { openAtLogin?: boolean }) {
    this.loginItem = s
  }
  showAboutPanel() {
    this.aboutShown++
  }
}

/** One shared fake `electron` module per test file: `vi.mock('electron', () => fakeElectronModule())`. */
let shared: ReturnType<typeof createFakeElectron> | undefined
function createFakeElectron() {
  return {
    app: new FakeApp(),
    Menu: FakeMenu,
    Tray: FakeTray,
    Notification: FakeNotification,
    powerMonitor: new EventEmitter(),
    powerSaveBlocker: new FakePowerSaveBlocker(),
    BrowserWindow: FakeBrowserWindow,
  }
}
export function fakeElectronModule() {
  shared ??= createFakeElectron()
  return shared
}
