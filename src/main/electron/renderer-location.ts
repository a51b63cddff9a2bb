import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface RendererLocation {
  /** What the window loads. */
  url: string
  dev: boolean
  /** True when a frame URL belongs to our renderer (same dev-server origin, or our index.html file). */
  owns(frameUrl: string): boolean
}

/** electron-vite sets ELECTRON_RENDERER_URL in development; otherwise we load the built file. */
export function rendererLocation(mainDir: string, env: NodeJS.ProcessEnv = process.env): RendererLocation {
  const devUrl = env.ELECTRON_RENDERER_URL
  if (devUrl) {
    const origin = new URL(devUrl).origin
    return { url: devUrl, dev: true, owns: (u) => safeUrl(u)?.origin === origin }
  }
  const file = pathToFileURL(join(mainDir, '..', 'renderer', 'index.html'))
  return {
    url: file.href,
    dev: false,
    owns: (u) => {
      const parsed = safeUrl(u)
      return parsed?.protocol === 'file:' && parsed.pathname === file.pathname
    },
  }
}

function safeUrl(u: string): URL | undefined {
  try {
    return new URL(u)
  } catch {
    return undefined
  }
}
