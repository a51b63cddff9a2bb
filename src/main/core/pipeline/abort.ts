import type { Stream } from 'node:stream'
import { AppError, isAppError } from '../../../shared/errors'

/** The error an aborted operation ends with: the signal's reason when it is an AppError (timeout, size limit...), else CANCELLED. */
export function abortReason(signal: AbortSignal): AppError {
  return isAppError(signal.reason) ? signal.reason : new AppError('CANCELLED', 'cancelled')
}

/** Destroys `stream` with the abort reason when `signal` fires (also if it already has); detaches once the stream closes. */
export function destroyOnAbort(stream: Stream & { destroy(error?: Error): unknown; destroyed: boolean }, signal: AbortSignal): void {
  const onAbort = (): void => {
    if (!stream.destroyed) stream.destroy(abortReason(signal))
  }
  if (signal.aborted) {
    onAbort()
    return
  }
  signal.addEventListener('abort', onAbort, { once: true })
  stream.once('close', () => signal.removeEventListener('abort', onAbort))
}
