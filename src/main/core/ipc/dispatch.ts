import { CHANNELS, type Channel } from '../../../shared/channels'
import { contract, type Handlers, type Result } from '../../../shared/contract'
import { AppError, isAppError, validationError, type ErrorInfo } from '../../../shared/errors'
import type { Logger } from '../logging/logger'
import { redact } from '../logging/redact'

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && (CHANNELS as readonly string[]).includes(value)
}

/** Anything thrown becomes a plain error object: AppErrors keep their code, the rest are INTERNAL. */
export function toErrorInfo(e: unknown, logger?: Logger): ErrorInfo {
  if (isAppError(e)) {
    const info = e.toInfo()
    return { ...info, message: redact(info.message) }
  }
  const message = e instanceof Error ? e.message : String(e)
  logger?.error('unexpected error', { message, stack: e instanceof Error ? e.stack : undefined })
  return { code: 'INTERNAL', message: redact(`internal error: ${message}`) }
}

/**
 * The single entry for every call from a renderer: unknown channel and invalid input are refused
 * before any handler runs; nothing thrown crosses the boundary, only the result envelope.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown, logger?: Logger): Promise<Result<unknown>> {
  if (!isChannel(channel)) {
    return { ok: false, error: new AppError('NOT_FOUND', `unknown channel "${String(channel)}"`).toInfo() }
  }
  const parsed = contract[channel].input.safeParse(rawInput)
  if (!parsed.success) return { ok: false, error: validationError(parsed.error).toInfo() }
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>
    return { ok: true, value: await handler(parsed.data) }
  } catch (e) {
    return { ok: false, error: toErrorInfo(e, logger) }
  }
}
