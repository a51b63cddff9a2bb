import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, resolve } from 'node:path'
import { realpathSync, existsSync } from 'node:fs'
import type { Result } from '../../shared/contract'
import type { ErrorCode } from '../../shared/errors'
import type { LifeboatCore } from '../core/app'
import { dispatch } from '../core/ipc/dispatch'
import { bridgeClientScript } from './client-script'
import { COMMON_HEADERS, RENDERER_CSP } from './csp'
import { originProblem, tokenMatches } from './request-guards'
import { contentTypeFor, injectScript, lookupStaticFile } from './static-files'

export const MAX_BODY_BYTES = 1024 * 1024
const SSE_HEARTBEAT_MS = 20_000
const CLIENT_SCRIPT_PATH = '/__lifeboat/bridge.js'

export interface BridgeOptions {
  core: Pick<LifeboatCore, 'handlers' | 'events' | 'logger'>
  /** The built renderer (out/renderer). */
  rendererDir: string
  /** 0 (the default) picks a free port. */
  port?: number
}

export interface Bridge {
  /** http://127.0.0.1:PORT/ */
  url: string
  /** url plus `#token=...`: what a browser opens. */
  pageUrl: string
  token: string
  port: number
  close(): Promise<void>
}

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string | Buffer, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...COMMON_HEADERS, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), ...extra })
  res.end(body)
}

function sendJson(res: ServerResponse, status: number, envelope: Result<unknown>): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(envelope))
}

function sendRefusal(res: ServerResponse, refusal: Refusal): void {
  // A refused upload may still be arriving; close the connection instead of reading it.
  if (!res.headersSent) res.setHeader('Connection', 'close')
  sendJson(res, refusal.status, { ok: false, error: { code: refusal.code, message: refusal.message } })
}

function readBody(req: IncomingMessage): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) return Promise.reject(new Refusal(413, 'VALIDATION', 'the request body exceeds 1 MiB'))
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        req.removeAllListeners('data')
        reject(new Refusal(413, 'VALIDATION', 'the request body exceeds 1 MiB'))
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolveBody(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function parseCall(body: string): { channel: unknown; input: unknown } {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new Refusal(400, 'VALIDATION', 'the request body must be JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || typeof (parsed as { channel?: unknown }).channel !== 'string') {
    throw new Refusal(400, 'VALIDATION', 'expected {"channel": string, "input"?: ...}')
  }
  const { channel, input } = parsed as { channel: string; input?: unknown }
  return { channel, input }
}

/**
 * The loopback bridge: serves the built renderer and the IPC contract from the real core over HTTP on
 * 127.0.0.1, so the UI runs in a plain (headless) browser exactly as in Electron. For tests and
 * development only; every call still goes through dispatch(), i.e. the same validation as IPC.
 */
export async function startBridge(options: BridgeOptions): Promise<Bridge> {
  const indexPath = join(resolve(options.rendererDir), 'index.html')
  if (!existsSync(indexPath)) throw new Error(`${indexPath} is missing: run npx electron-vite build`)
  const root = realpathSync(resolve(options.rendererDir))
  const { core } = options
  const token = randomBytes(32).toString('hex')
  const clientScript = bridgeClientScript()
  const streams = new Set<ServerResponse>()
  let port = 0

  async function invoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') throw new Refusal(405, 'VALIDATION', 'use POST')
    if (!tokenMatches(req.headers['x-lifeboat-token'] as string | undefined, token)) {
      throw new Refusal(403, 'FORBIDDEN', 'missing or wrong bridge token')
    }
    if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
      throw new Refusal(415, 'VALIDATION', 'the request body must be application/json')
    }
    const { channel, input } = parseCall(await readBody(req))
    sendJson(res, 200, await dispatch(core.handlers, channel, input, core.logger))
  }

  function events(req: IncomingMessage, res: ServerResponse, url: URL): void {
    if (req.method !== 'GET') throw new Refusal(405, 'VALIDATION', 'use GET')
    // EventSource cannot send headers, hence the token in the query string.
    if (!tokenMatches(url.searchParams.get('token'), token)) throw new Refusal(403, 'FORBIDDEN', 'missing or wrong bridge token')
    res.writeHead(200, { ...COMMON_HEADERS, 'Content-Type': 'text/event-stream; charset=utf-8', Connection: 'keep-alive' })
    res.write(': connected\n\n')
    streams.add(res)
    const unsubscribe = core.events.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`))
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS)
    heartbeat.unref()
    res.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      streams.delete(res)
    })
  }

  async function staticFile(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new Refusal(405, 'VALIDATION', 'use GET')
    if (url.pathname === CLIENT_SCRIPT_PATH) return send(res, 200, contentTypeFor(CLIENT_SCRIPT_PATH), clientScript)
    const found = await lookupStaticFile(root, url.pathname)
    if (found.kind === 'refused') throw new Refusal(403, 'FORBIDDEN', 'path outside the renderer directory')
    if (found.kind === 'missing') throw new Refusal(404, 'NOT_FOUND', 'no such file')
    const type = contentTypeFor(found.path)
    if (type.startsWith('text/html')) {
      const html = injectScript(await readFile(found.path, 'utf8'), CLIENT_SCRIPT_PATH)
      return send(res, 200, type, html, { 'Content-Security-Policy': RENDERER_CSP })
    }
    send(res, 200, type, await readFile(found.path))
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const problem = originProblem(req, port)
    if (problem) throw new Refusal(403, 'FORBIDDEN', problem)
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`)
    if (url.pathname === '/__lifeboat/invoke') return invoke(req, res)
    if (url.pathname === '/__lifeboat/events') return events(req, res, url)
    return staticFile(req, res, url)
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (res.headersSent) return void res.destroy()
      if (e instanceof Refusal) return sendRefusal(res, e)
      core.logger.error('bridge request failed', { message: e instanceof Error ? e.message : String(e) })
      sendRefusal(res, new Refusal(500, 'INTERNAL', 'internal bridge error'))
    })
  })

  await new Promise<void>((ready, fail) => {
    server.once('error', fail)
    server.listen(options.port ?? 0, '127.0.0.1', () => ready())
  })
  port = (server.address() as AddressInfo).port
  const url = `http://127.0.0.1:${port}/`

  return {
    url,
    pageUrl: `${url}#token=${token}`,
    token,
    port,
    close: () =>
      new Promise<void>((closed) => {
        for (const stream of streams) stream.end()
        server.close(() => closed())
        server.closeAllConnections()
      }),
  }
}
