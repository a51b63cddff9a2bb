import type { IpcMain, IpcMainInvokeEvent } from 'electron'
import { CHANNELS } from '../../shared/channels'
import type { Handlers, Result } from '../../shared/contract'
import { dispatch } from '../core/ipc/dispatch'
import type { Logger } from '../core/logging/logger'

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/**
 * Registers every contract channel. Each call is checked in this order: the sender must be a
 * top-level frame of one of our windows showing our renderer, then dispatch validates the input
 * with the channel's zod schema. Returns a function that removes the handlers.
 */
export function registerIpc(ipcMain: IpcMain, handlers: Handlers, isTrustedSender: SenderCheck, logger: Logger): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) {
        logger.warn('IPC call from an untrusted sender refused', { channel, url: event.senderFrame?.url })
        return { ok: false, error: { code: 'FORBIDDEN', message: `the caller of ${channel} is not a Lifeboat window` } }
      }
      return dispatch(handlers, channel, input, logger)
    })
  }
  return () => CHANNELS.forEach((channel) => ipcMain.removeHandler(channel))
}

/** Trusted = one of our windows' webContents, top frame, URL of our renderer. */
export function senderCheck(isOurWebContents: (id: number) => boolean, ownsUrl: (url: string) => boolean): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    if (!frame || frame.parent !== null) return false
    return isOurWebContents(event.sender.id) && ownsUrl(frame.url)
  }
}
