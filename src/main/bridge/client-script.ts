import { buildApi } from '../../shared/api-shape'
import { CHANNELS } from '../../shared/channels'

/** The few browser globals the client uses, typed here because the main-process tsconfig has no DOM lib. */
export interface BrowserGlobals {
  location: { hash: string; pathname: string; search: string }
  history: { replaceState(data: null, unused: string, url: string): void }
  sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void }
  fetch(
    url: string,
    init: { method: string; headers: Record<string, string>; body: string },
  ): Promise<{ json(): Promise<unknown> }>
  EventSource: new (url: string) => { onmessage: ((message: { data: string }) => void) | null; close(): void }
}

/**
 * Runs in the page, not in Node: the bridge ships this function's source text, so it must stay
 * self-contained (only its parameters and standard globals; no imports, no module-level names).
 * Reads the token from `#token=...` (never part of a served file), keeps it for reloads in
 * sessionStorage, drops it from the address bar, and defines `window.lifeboat` like the preload does.
 */
export function installBridgeClient(win: BrowserGlobals, build: typeof buildApi, channels: readonly string[]): void {
  const storageKey = 'lifeboat.bridgeToken'
  const match = /(?:^#|&)token=([0-9a-f]+)/.exec(win.location.hash)
  const token = (match && match[1]) || win.sessionStorage.getItem(storageKey) || ''
  if (match) {
    win.sessionStorage.setItem(storageKey, token)
    win.history.replaceState(null, '', win.location.pathname + win.location.search)
  }

  const invoke = async (channel: string, input: unknown): Promise<unknown> => {
    try {
      const response = await win.fetch('/__lifeboat/invoke', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Lifeboat-Token': token },
        body: JSON.stringify({ channel, input }),
      })
      return await response.json()
    } catch (e) {
      return { ok: false, error: { code: 'INTERNAL', message: 'the loopback bridge is unreachable: ' + String(e) } }
    }
  }

  type Listener = Parameters<Parameters<typeof build>[2]>[0]
  const listeners = new Set<Listener>()
  let source: InstanceType<BrowserGlobals['EventSource']> | null = null
  const onEvent = (listener: Listener): (() => void) => {
    listeners.add(listener)
    if (!source) {
      source = new win.EventSource('/__lifeboat/events?token=' + encodeURIComponent(token))
      source.onmessage = (message) => {
        let event: Parameters<Listener>[0]
        try {
          event = JSON.parse(message.data) as Parameters<Listener>[0]
        } catch {
          return
        }
        for (const each of [...listeners]) each(event)
      }
    }
    return () => {
      listeners.delete(listener)
      if (listeners.size === 0 && source) {
        source.close()
        source = null
      }
    }
  }

  Object.defineProperty(win, 'lifeboat', { value: build(channels, invoke, onEvent), enumerable: true })
}

/** The text of GET /__lifeboat/bridge.js: both functions' source, called with the channel names. */
export function bridgeClientScript(): string {
  return [
    '"use strict";',
    '(() => {',
    `  const buildApi = ${buildApi.toString()};`,
    `  const installBridgeClient = ${installBridgeClient.toString()};`,
    `  installBridgeClient(window, buildApi, ${JSON.stringify(CHANNELS)});`,
    '})();',
    '',
  ].join('\n')
}
