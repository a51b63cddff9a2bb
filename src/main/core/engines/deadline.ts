/** Thrown into the work's signal when the time is up, so callers can tell it from a cancel. */
export class DeadlineExceeded extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`)
    this.name = 'DeadlineExceeded'
  }
}

/**
 * Runs `work` with a signal that aborts after `timeoutMs` or when `outer` aborts, and settles no later
 * than that even if `work` ignores the signal (drivers sometimes do). Rejects with DeadlineExceeded
 * on time-out and with the outer signal's reason on cancel.
 */
export async function withDeadline<T>(timeoutMs: number, outer: AbortSignal | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  outer?.throwIfAborted()
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(new DeadlineExceeded(timeoutMs)), timeoutMs)
  const onOuterAbort = () => controller.abort(outer?.reason)
  outer?.addEventListener('abort', onOuterAbort, { once: true })
  let onAbort = () => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(controller.signal.reason)
    controller.signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    return await Promise.race([work(controller.signal), aborted])
  } finally {
    clearTimeout(timer)
    outer?.removeEventListener('abort', onOuterAbort)
    controller.signal.removeEventListener('abort', onAbort)
  }
}
