import { realpath, stat } from 'node:fs/promises'
import { extname, resolve, sep } from 'node:path'

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
}

export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream'
}

function isInside(root: string, path: string): boolean {
  return path.startsWith(root.endsWith(sep) ? root : root + sep)
}

export type StaticLookup = { kind: 'file'; path: string } | { kind: 'refused' } | { kind: 'missing' }

/**
 * Maps a URL path to a file under `root` (an already-resolved real path). Encoded separators,
 * "..", NUL bytes and symlinks pointing outside the root are refused rather than followed.
 */
export async function lookupStaticFile(root: string, urlPath: string): Promise<StaticLookup> {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return { kind: 'refused' }
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return { kind: 'refused' }
  const relative = decoded === '/' ? '/index.html' : decoded
  const candidate = resolve(root, '.' + relative)
  if (!isInside(root, candidate)) return { kind: 'refused' }
  try {
    const real = await realpath(candidate)
    if (!isInside(root, real)) return { kind: 'refused' }
    return (await stat(real)).isFile() ? { kind: 'file', path: real } : { kind: 'missing' }
  } catch {
    return { kind: 'missing' }
  }
}

/** Puts the bridge client before the app's first script, so window.lifeboat exists when the app starts. */
export function injectScript(html: string, src: string): string {
  const tag = `<script src="${src}"></script>`
  const at = html.search(/<script\b/i)
  if (at >= 0) return html.slice(0, at) + tag + '\n    ' + html.slice(at)
  const head = html.search(/<\/head>/i)
  return head >= 0 ? html.slice(0, head) + tag + html.slice(head) : tag + html
}
