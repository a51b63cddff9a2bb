import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { buildApi } from '../shared/api-shape'
import { CHANNELS, EVENT_CHANNEL } from '../shared/channels'
import type { AppEvent } from '../shared/events'

/**
 * The renderer's only door to the main process: `window.lifeboat`, one method per contract channel
 * plus onEvent. No ipcRenderer, no Node, nothing else is exposed; main validates every call.
 */
const api = buildApi(
  CHANNELS,
  (channel, input) => ipcRenderer.invoke(channel, input),
  (listener) => {
    const wrapped = (_event: IpcRendererEvent, payload: AppEvent) => listener(payload)
    ipcRenderer.on(EVENT_CHANNEL, wrapped)
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, wrapped)
    }
  },
)

contextBridge.exposeInMainWorld('lifeboat', api)
