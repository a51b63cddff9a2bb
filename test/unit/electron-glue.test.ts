import { describe, expect, it, vi } from 'vitest'
import { createApp } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import { CHANNELS } from '../../src/shared/channels'
import { recordingProbe } from '../support/fake-probe'
import { FakeIpcMain, FakeSession, FakeWebContents, invokeEvent, preventable } from '../support/fake-electron'
import { tempDir } from '../support/temp-home'

// The glue modules import types only from electron, except window.ts and main.ts; importing those
// here must never load the real (absent) binary.
vi.mock('electron', () => ({}))

const { registerIpc, senderCheck } = await import('../../src/main/electron/ipc')
const { rendererLocation } = await import('../../src/main/electron/renderer-location')
const { secureSession, secureWebContents } = await import('../../src/main/electron/security')
const { contentSecurityPolicy } = await import('../../src/shared/csp')

const MAIN_DIR = '/opt/Lifeboat/resources/app.asar/out/main'
const OUR_URL = 'file:///opt/Lifeboat/resources/app.asar/out/renderer/index.html'

function setup() {
  const core = createApp({ home: tempDir(), origin: 'ui', probe: recordingProbe().probe, logger: silentLogger })
  const ipc = new FakeIpcMain()
  const ours = new FakeWebContents()
  const renderer = rendererLocation(MAIN_DIR, {})
  const unregister = registerIpc(ipc as never, core.handlers, senderCheck((id) => id === ours.id, renderer.owns), silentLogger)
  const call = (channel: string, event: unknown, input?: unknown) => ipc.handlers.get(channel)!(event, input)
  return { core, ipc, ours, renderer, unregister, call }
}

describe('Electron IPC registration (fake electron)', () => {
  it('registers one handler per contract channel and removes them all', () => {
    const { ipc, unregister, core } = setup()
    expect([...ipc.handlers.keys()].sort()).toEqual([...CHANNELS].sort())
    unregister()
    expect(ipc.handlers.size).toBe(0)
    core.close()
  })

  it('serves a trusted sender through the real core', async () => {
    const { call, ours, core } = setup()
    const created = await call('profiles.create', invokeEvent(ours, OUR_URL), { profile: { engine: 'sqlite', name: 's', file: '/tmp/x.db' } })
    expect(created).toMatchObject({ ok: true, value: { name: 's', engine: 'sqlite' } })
    expect(await call('profiles.list', invokeEvent(ours, OUR_URL))).toMatchObject({ ok: true, value: [{ name: 's' }] })
    core.close()
  })

  it.each(CHANNELS)('%s rejects an unknown sender with the FORBIDDEN envelope, before touching the core', async (channel) => {
    const { call, ours, core } = setup()
    const stranger = new FakeWebContents()
    const cases = [
      invokeEvent(stranger, OUR_URL), // another webContents (e.g. a devtools or leaked window)
      invokeEvent(ours, 'https://evil.example/'), // our window navigated away
      invokeEvent(ours, OUR_URL, false), // an iframe inside our page
      { sender: ours, senderFrame: null }, // frame already gone
    ]
    for (const event of cases) {
      expect(await call(channel, event, { profile: { engine: 'sqlite', name: 'x', file: '/tmp/x' } })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      })
    }
    expect(core.profiles.list()).toEqual([])
    core.close()
  })

  it.each(CHANNELS.filter((c) => c !== 'app.info' && c !== 'profiles.list'))('%s rejects invalid input with the VALIDATION envelope', async (channel) => {
    const { call, ours, core } = setup()
    expect(await call(channel, invokeEvent(ours, OUR_URL), { bogus: true })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    core.close()
  })
})

describe('renderer location', () => {
  it('owns only our index.html in production, and the dev server origin in development', () => {
    const prod = rendererLocation(MAIN_DIR, {})
    expect(prod.url).toBe(OUR_URL)
    expect(prod.owns(OUR_URL + '#/profiles')).toBe(true)
    expect(prod.owns('file:///etc/passwd')).toBe(false)
    expect(prod.owns('not a url')).toBe(false)
    const dev = rendererLocation(MAIN_DIR, { ELECTRON_RENDERER_URL: 'http://localhost:5173' })
    expect(dev.owns('http://localhost:5173/src/main.tsx')).toBe(true)
    expect(dev.owns('http://localhost:5174/')).toBe(false)
  })
})

describe('security glue', () => {
  it('sets the CSP header on every response and denies every permission', () => {
    const session = new FakeSession()
    secureSession(session as never, rendererLocation(MAIN_DIR, {}))
    let headers: Record<string, string[]> = {}
    session.headersListener!({ responseHeaders: { 'X-Other': ['1'] } }, (r) => (headers = r.responseHeaders))
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy({ dev: false })])
    expect(headers['X-Other']).toEqual(['1'])
    let granted: boolean | undefined
    session.permissionRequestHandler!(null, 'media', (g) => (granted = g))
    expect(granted).toBe(false)
    expect(session.permissionCheckHandler!()).toBe(false)
  })

  it('production CSP allows only our own files; development adds only what Vite needs', () => {
    const prod = contentSecurityPolicy({ dev: false })
    expect(prod).toContain("default-src 'self'")
    expect(prod).toContain("script-src 'self';")
    expect(prod).toContain("object-src 'none'")
    expect(prod).not.toMatch(/unsafe-inline|unsafe-eval|\*|http:|https:/)
    expect(contentSecurityPolicy({ dev: true })).toContain('ws:')
  })

  it('denies window.open, navigation away, redirects and webviews', () => {
    const contents = new FakeWebContents()
    secureWebContents(contents as never, rendererLocation(MAIN_DIR, {}))
    expect(contents.windowOpenHandler!({ url: 'https://example.com' })).toEqual({ action: 'deny' })
    for (const [eventName, url, prevented] of [
      ['will-navigate', 'https://example.com/', true],
      ['will-navigate', OUR_URL, false],
      ['will-redirect', 'http://127.0.0.1:1/', true],
      ['will-attach-webview', undefined, true],
    ] as const) {
      const event = preventable()
      contents.emit(eventName, event, url)
      expect(event.prevented, `${eventName} ${url}`).toBe(prevented)
    }
  })
})
