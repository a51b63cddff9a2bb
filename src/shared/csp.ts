/**
 * The renderer's Content-Security-Policy, one definition for every place that sets it: the meta tag
 * the production build injects into index.html, the header Electron adds to every response, and the
 * loopback bridge. Production is strict: only our own files, no inline script, nothing remote.
 * Development adds what Vite's dev server needs (the React refresh preamble is inline, HMR uses ws).
 */
export function contentSecurityPolicy({ dev, meta = false }: { dev: boolean; meta?: boolean }): string {
  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['style-src', dev ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'"]],
    ['connect-src', dev ? ["'self'", 'ws:'] : ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
  ]
  // Browsers ignore (and warn about) frame-ancestors in a meta tag; it only works as a header.
  if (!meta) directives.push(['frame-ancestors', ["'none'"]])
  return directives.map(([name, values]) => `${name} ${values.join(' ')}`).join('; ')
}
