import { contentSecurityPolicy } from '../../shared/csp'

/** The production policy, as a header on HTML responses (the built index.html carries it as a meta tag too). */
export const RENDERER_CSP = contentSecurityPolicy({ dev: false })

/** Sent on every bridge response: nothing is cached, sniffed, framed or readable cross-origin. */
export const COMMON_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
}
