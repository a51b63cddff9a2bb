import { setTimeout as delay } from 'node:timers/promises'
import { formatDuration } from '../../../shared/format'
import { redact, registerSecret } from '../logging/redact'

export interface DeliveryOptions {
  /** Total tries, default 4. */
  attempts?: number
  /** First retry delay, default 1000 ms, doubled each retry with ±20% jitter. */
  baseDelayMs?: number
  /** Per attempt, default 10000 ms. */
  timeoutMs?: number
  /** Injectable so tests don't wait; must reject (or the signal be aborted) to cancel. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>
  fetch?: typeof fetch
  signal?: AbortSignal
}

export interface DeliveryResult {
  ok: boolean
  attempts: number
  /** The last HTTP status, null when no answer came. */
  status: number | null
  /** "Slack webhook: HTTP 500 (attempt 3 of 3)": never contains the URL. */
  error: string | null
}

const MAX_RETRY_AFTER_MS = 60_000
const SNIPPET_CHARS = 200

type Attempt =
  | { ok: true; status: number }
  | { ok: false; status: number | null; message: string; detail?: string; retry: boolean; retryAfterMs?: number; cancelled?: boolean }

const defaultSleep = async (ms: number, signal?: AbortSignal): Promise<void> => {
  await delay(ms, undefined, signal ? { signal } : undefined)
}

/** POSTs JSON with retries. Never throws for HTTP or network failures: the result says what went wrong. */
export async function postJson(label: string, url: string, body: unknown, opts: DeliveryOptions = {}): Promise<DeliveryResult> {
  registerSecret(url)
  const scrub = scrubber(url)
  const attempts = Math.max(1, Math.floor(opts.attempts ?? 4))
  const sleep = opts.sleep ?? defaultSleep
  const fail = (n: number, status: number | null, message: string): DeliveryResult => ({ ok: false, attempts: n, status, error: scrub(`${label}: ${message}`) })

  let target: URL
  try {
    target = new URL(url)
  } catch {
    return fail(0, null, 'invalid URL') // fetch would echo the URL in its error
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return fail(0, null, 'the URL must start with http:// or https://')

  const payload = JSON.stringify(body)
  let status: number | null = null
  for (let n = 1; ; n++) {
    if (opts.signal?.aborted) return fail(n - 1, status, 'cancelled')
    const a = await attemptOnce(url, payload, opts.timeoutMs ?? 10_000, opts)
    status = a.status
    if (a.ok) return { ok: true, attempts: n, status: a.status, error: null }
    if (a.cancelled) return fail(n, status, 'cancelled')
    const last = !a.retry || n >= attempts
    if (last) {
      const tries = a.retry || n > 1 ? ` (attempt ${n} of ${attempts})` : ''
      return fail(n, status, `${a.message}${tries}${a.detail ? `: ${a.detail}` : ''}`)
    }
    try {
      await sleep(a.retryAfterMs ?? backoffMs(opts.baseDelayMs ?? 1000, n), opts.signal)
    } catch {
      return fail(n, status, 'cancelled')
    }
  }
}

/** base × 2^(n-1), ±20% so many jobs failing together don't retry in lockstep. */
function backoffMs(base: number, n: number): number {
  return Math.round(base * 2 ** (n - 1) * (0.8 + Math.random() * 0.4))
}

async function attemptOnce(url: string, payload: string, timeoutMs: number, opts: DeliveryOptions): Promise<Attempt> {
  const timeout = AbortSignal.timeout(timeoutMs)
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout
  try {
    const res = await (opts.fetch ?? fetch)(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
      redirect: 'error', // a redirecting webhook is misconfigured (or hijacked): don't follow it with our payload
      signal,
    })
    if (res.ok) {
      await res.body?.cancel().catch(() => undefined)
      return { ok: true, status: res.status }
    }
    const retry = res.status >= 500 || res.status === 408 || res.status === 429
    const detail = await readSnippet(res)
    return { ok: false, status: res.status, message: `HTTP ${res.status}`, detail, retry, retryAfterMs: retryAfterMs(res.headers.get('retry-after')) }
  } catch (e) {
    if (opts.signal?.aborted) return { ok: false, status: null, message: 'cancelled', retry: false, cancelled: true }
    if (timeout.aborted) return { ok: false, status: null, message: `timed out after ${formatDuration(timeoutMs)}`, retry: true }
    return { ok: false, status: null, ...networkFailure(e) }
  }
}

const TLS_CODES = /^(CERT_|ERR_TLS_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_)/
const NETWORK_MESSAGES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed (temporary DNS failure)',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
}

/** undici reports "fetch failed" with the real reason (an errno code) in `cause`. */
function networkFailure(e: unknown): { message: string; retry: boolean } {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e
  const code = errorCode(cause)
  const text = cause instanceof Error ? cause.message : String(cause)
  if (text === 'unexpected redirect') return { message: 'the server answered with a redirect (webhook URLs must not redirect)', retry: false }
  if (code && TLS_CODES.test(code)) return { message: `TLS certificate rejected (${code})`, retry: false }
  if (code && NETWORK_MESSAGES[code]) return { message: NETWORK_MESSAGES[code], retry: true }
  return { message: `network error: ${code ?? text}`, retry: true }
}

function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined
  if ('code' in e && typeof e.code === 'string') return e.code
  // Happy-eyeballs connects fail with an AggregateError of per-address errors.
  return e instanceof AggregateError ? errorCode(e.errors[0]) : undefined
}

/** Up to 200 characters of the response body, whitespace collapsed; never more than a few kB read. */
async function readSnippet(res: Response): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < 4096) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } catch {
    // A partial body is still worth reporting.
  } finally {
    reader.cancel().catch(() => undefined)
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/\s+/g, ' ').trim()
  return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text
}

/** Retry-After as delta-seconds or an HTTP date, capped so one answer can't stall a job for long. */
function retryAfterMs(header: string | null): number | undefined {
  const value = header?.trim()
  if (!value) return undefined
  const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now()
  return Number.isNaN(ms) ? undefined : Math.min(Math.max(0, Math.round(ms)), MAX_RETRY_AFTER_MS)
}

/** redact() plus the URL's path and query alone, in case a message quotes them without the origin. */
function scrubber(url: string): (text: string) => string {
  const parts = [url]
  try {
    const u = new URL(url)
    parts.push(u.href)
    if (u.pathname.length > 1) parts.push(u.pathname)
    if (u.search.length > 1) parts.push(u.search)
  } catch {
    // Not a URL: the raw string is all there is to hide.
  }
  return (text) => parts.reduce((out, p) => out.split(p).join('***'), redact(text))
}
