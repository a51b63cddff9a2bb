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
