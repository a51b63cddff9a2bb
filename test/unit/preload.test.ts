import { describe, expect, it, vi } from 'vitest'
import { CHANNELS, EVENT_CHANNEL } from '../../src/shared/channels'

const exposed = new Map<string, unknown>()
const invoke = vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } }))
const listeners = new Map<string, ((...args: unknown[]) => void)[]>()

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, l: (...args: unknown[]) => void) => listeners.set(channel, [...(listeners.get(channel) ?? []), l]),
    removeListener: (channel: string, l: (...args: unknown[]) => void) => listeners.set(channel, (listeners.get(channel) ?? []).filter((x) => x !== l)),
  },
}))

await import('../../src/preload/index')

type Api = Record<string, Record<string, (input?: unknown) => Promise<unknown>>> & { onEvent: (l: (e: unknown) => void) => () => void }

describe('preload (fake electron)', () => {
  it('exposes exactly one global, window.lifeboat, frozen', () => {
    expect([...exposed.keys()]).toEqual(['lifeboat'])
    expect(Object.isFrozen(exposed.get('lifeboat'))).toBe(true)
  })

  it('has one method per contract channel, each invoking exactly that channel', async () => {
    const api = exposed.get('lifeboat') as Api
    for (const channel of CHANNELS) {
      const [domain, method] = channel.split('.') as [string, string]
      expect(await api[domain]![method]!({ probe: channel })).toEqual({ ok: true, value: { channel, input: { probe: channel } } })
    }
    expect(invoke).toHaveBeenCalledTimes(CHANNELS.length)
    const domains = Object.keys(api).filter((k) => k !== 'onEvent').sort()
    expect(domains).toEqual([...new Set(CHANNELS.map((c) => c.split('.')[0]))].sort())
  })

  it('forwards pushed events and unsubscribes', () => {
    const api = exposed.get('lifeboat') as Api
    const seen: unknown[] = []
    const off = api.onEvent((e) => seen.push(e))
    for (const l of listeners.get(EVENT_CHANNEL) ?? []) l({ sender: 'ipc' }, { type: 'profiles.changed' })
    off()
    expect(listeners.get(EVENT_CHANNEL)).toEqual([])
    expect(seen).toEqual([{ type: 'profiles.changed' }]) // the IpcRendererEvent itself never reaches the page
  })
})
