import type { LifeboatApi } from './contract'
import type { AppEvent } from './events'

/**
 * Builds the `window.lifeboat` object from the channel names: "profiles.list" becomes
 * api.profiles.list(input). Shared by the Electron preload and the loopback bridge client.
 * Must stay self-contained (no imports at runtime, no closures): the bridge ships its source text.
 */
export function buildApi(
  channels: readonly string[],
  invoke: (channel: string, input: unknown) => Promise<unknown>,
  onEvent: (listener: (event: AppEvent) => void) => () => void,
): LifeboatApi {
  const api: Record<string, unknown> = { onEvent }
  const domains: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {}
  for (const channel of channels) {
    const dot = channel.indexOf('.')
    const domain = channel.slice(0, dot)
    const method = channel.slice(dot + 1)
    const target = (domains[domain] ??= {})
    target[method] = (input?: unknown) => invoke(channel, input)
  }
  for (const [domain, methods] of Object.entries(domains)) api[domain] = Object.freeze(methods)
  return Object.freeze(api) as unknown as LifeboatApi
}
