import { buildApi } from '../shared/api-shape'
import { CHANNELS } from '../shared/channels'
import type { LifeboatApi, Result } from '../shared/contract'

declare global {
  interface Window {
    /** Exposed by the preload in Electron, or by the loopback bridge client in a plain browser. */
    readonly lifeboat: LifeboatApi
  }
}

type RawMethod = (input?: unknown) => Promise<unknown>

/** Read through globalThis so this module also type-checks under the Node tsconfig (no DOM lib). */
const exposed = (globalThis as { lifeboat?: LifeboatApi }).lifeboat

function failure(message: string): Result<never> {
  return { ok: false, error: { code: 'INTERNAL', message } }
}

function rawMethod(channel: string): RawMethod | undefined {
  const [domain = '', method = ''] = channel.split('.')
  const group = (exposed as unknown as Record<string, Record<string, RawMethod> | undefined> | undefined)?.[domain]
  return group?.[method]
}

/**
 * The renderer's only handle on window.lifeboat, with the same type. Calls never reject: a transport
 * failure (or running outside Lifeboat) comes back as an INTERNAL envelope like any other error.
 */
export const api: LifeboatApi = buildApi(
  CHANNELS,
  async (channel, input) => {
    const method = rawMethod(channel)
    if (!method) return failure('window.lifeboat is not available: open this page from the Lifeboat app')
    try {
      return await method(input)
    } catch (e) {
      return failure(`the call ${channel} failed: ${e instanceof Error ? e.message : String(e)}`)
    }
  },
  (listener) => (exposed ? exposed.onEvent(listener) : () => {}),
)

export const apiAvailable = exposed !== undefined
