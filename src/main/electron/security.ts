import type { App, Session, WebContents } from 'electron'
import { contentSecurityPolicy } from '../../shared/csp'
import type { RendererLocation } from './renderer-location'

/** Session-wide rules: CSP on every response, and no permission (camera, notifications...) granted to web content. */
export function secureSession(session: Session, renderer: RendererLocation): void {
  const csp = contentSecurityPolicy({ dev: renderer.dev })
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })
  })
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
}

/** Per web contents: no new windows, no navigation away from our renderer, no <webview>. */
export function secureWebContents(contents: WebContents, renderer: RendererLocation): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }))
  contents.on('will-navigate', (event, url) => {
    if (!renderer.owns(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event, url) => {
    if (!renderer.owns(url)) event.preventDefault()
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

export function secureAllWebContents(app: App, renderer: RendererLocation): void {
  app.on('web-contents-created', (_event, contents) => secureWebContents(contents, renderer))
}
