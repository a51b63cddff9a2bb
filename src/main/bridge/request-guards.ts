import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

/** Why a request is refused before it reaches any route, or null when it may proceed. */
export function originProblem(req: IncomingMessage, port: number): string | null {
  // DNS rebinding: a hostile page on evil.example resolving to 127.0.0.1 still sends Host: evil.example.
  if (req.headers.host !== `127.0.0.1:${port}`) return 'unexpected Host header'
  // Browsers send Origin on cross-origin requests (and on same-origin POSTs); only our own is accepted.
  const origin = req.headers.origin
  if (origin !== undefined && origin !== `http://127.0.0.1:${port}`) return 'unexpected Origin header'
  return null
}

/** Constant-time comparison so the token cannot be guessed byte by byte from response timings. */
export function tokenMatches(given: string | null | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
