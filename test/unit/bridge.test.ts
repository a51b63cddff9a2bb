import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { request, type IncomingHttpHeaders } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runInNewContext } from 'node:vm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startBridge, type Bridge } from '../../src/main/bridge'
import { RENDERER_CSP } from '../../src/main/bridge/csp'
import { contentSecurityPolicy } from '../../src/shared/csp'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import { recordingProbe } from '../support/fake-probe'

interface Reply {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

let dir: string
let core: LifeboatCore
let bridge: Bridge

/** Raw node:http so the test controls Host and Origin exactly as an attacker's client could. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; host?: string | null } = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers }
  if (options.host !== null) headers.host = options.host ?? `127.0.0.1:${bridge.port}`
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: bridge.port, path, method: options.method ?? 'GET', headers, setHost: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

function invoke(channel: string, input: unknown, headers: Record<string, string> = {}, host?: string | null): Promise<Reply> {
  return send('/__lifeboat/invoke', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lifeboat-token': bridge.token, ...headers },
    body: JSON.stringify({ channel, input }),
    host,
  })
}

const envelope = (reply: Reply): unknown => JSON.parse(reply.body)
const pgDraft = { engine: 'postgres', name: 'main-db', user: 'app', database: 'shop' }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-bridge-'))
  const rendererDir = join(dir, 'renderer')
  mkdirSync(join(rendererDir, 'assets'), { recursive: true })
  writeFileSync(join(rendererDir, 'index.html'), '<html><head><script type="module" src="./assets/app.js"></script></head><body></body></html>')
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}')
  writeFileSync(join(dir, 'secret.txt'), 'TOP-SECRET')
  symlinkSync(join(dir, 'secret.txt'), join(rendererDir, 'leak.txt'))
  core = createApp({ home: join(dir, 'home'), origin: 'ui', probe: recordingProbe().probe, logger: silentLogger })
  bridge = await startBridge({ core, rendererDir })
})

afterAll(async () => {
  await bridge.close()
  core.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the loopback bridge', () => {
  it('listens on 127.0.0.1 with a 32-byte random token', () => {
    expect(bridge.url).toBe(`http://127.0.0.1:${bridge.port}/`)
    expect(bridge.token).toMatch(/^[0-9a-f]{64}$/)
    expect(bridge.pageUrl).toBe(`${bridge.url}#token=${bridge.token}`)
  })

  it('serves index.html with the client script before the app script, and the CSP header', async () => {
    const reply = await send('/')
    expect(reply.status).toBe(200)
    expect(reply.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(reply.headers['content-security-policy']).toBe(RENDERER_CSP)
    expect(reply.body.indexOf('<script src="/__lifeboat/bridge.js"></script>')).toBeLessThan(reply.body.indexOf('./assets/app.js'))
    expect(reply.body).not.toContain(bridge.token)
    const script = await send('/__lifeboat/bridge.js')
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(script.body).not.toContain(bridge.token)
    expect((await send('/assets/app.css')).headers['content-type']).toBe('text/css; charset=utf-8')
  })

  it('sends the production policy of src/shared/csp.ts', () => {
    expect(RENDERER_CSP).toBe(contentSecurityPolicy({ dev: false }))
    expect(RENDERER_CSP).not.toMatch(/unsafe-inline|unsafe-eval/)
  })

  it('requires the token', async () => {
    const missing = await invoke('profiles.list', undefined, { 'x-lifeboat-token': '' })
    expect(missing.status).toBe(403)
    expect(envelope(missing)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    const wrong = await invoke('profiles.list', undefined, { 'x-lifeboat-token': 'f'.repeat(64) })
    expect(wrong.status).toBe(403)
    const right = await invoke('profiles.list', undefined)
    expect(right.status).toBe(200)
    expect(envelope(right)).toEqual({ ok: true, value: [] })
  })

  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    for (const host of ['evil.example', `localhost:${bridge.port}`, `127.0.0.1:${bridge.port + 1}`, `127.0.0.1:${bridge.port}.evil.example`]) {
      const reply = await invoke('profiles.list', undefined, {}, host)
      expect(reply.status, host).toBe(403)
      expect(envelope(reply)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
    }
    // No Host at all: node:http itself answers 400 before any route runs.
    expect((await invoke('profiles.list', undefined, {}, null)).status).toBe(400)
    expect((await send('/', { host: 'evil.example' })).status).toBe(403)
  })

  it('refuses a foreign Origin header and accepts its own', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${bridge.port}`, 'null']) {
      expect((await invoke('profiles.list', undefined, { origin })).status, origin).toBe(403)
    }
    expect((await invoke('profiles.list', undefined, { origin: `http://127.0.0.1:${bridge.port}` })).status).toBe(200)
  })

  it('validates input with the contract: invalid input gets the VALIDATION envelope', async () => {
    const reply = await invoke('profiles.create', { profile: { ...pgDraft, port: 70000 } })
    expect(reply.status).toBe(200)
    expect(envelope(reply)).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'profile.port' } })
    expect(envelope(await invoke('fs.readFile', {}))).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(core.profiles.list()).toEqual([])
  })

  it('refuses non-JSON, the wrong content type and bodies over 1 MiB', async () => {
    const post = (body: string | Buffer, type = 'application/json') =>
      send('/__lifeboat/invoke', { method: 'POST', headers: { 'content-type': type, 'x-lifeboat-token': bridge.token }, body })
    const notJson = await post('{"channel": ')
    expect(notJson.status).toBe(400)
    expect(envelope(notJson)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect((await post('[1]')).status).toBe(400)
    expect((await post('channel=profiles.list', 'application/x-www-form-urlencoded')).status).toBe(415)
    const huge = await post(JSON.stringify({ channel: 'profiles.list', input: 'x'.repeat(1024 * 1024) }))
    expect(huge.status).toBe(413)
    expect(envelope(huge)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    // Without a Content-Length the limit is enforced while reading.
    const chunked = await send('/__lifeboat/invoke', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-lifeboat-token': bridge.token, 'transfer-encoding': 'chunked' },
      body: JSON.stringify({ channel: 'profiles.list', input: 'x'.repeat(1024 * 1024) }),
    })
    expect(chunked.status).toBe(413)
  })

  it('refuses path traversal, NUL bytes and symlinks out of the renderer directory', async () => {
    for (const path of ['/..%2f..%2fsecret.txt', '/assets/..%2f..%2f..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/leak.txt', '/index.html%00.js', '/..%5csecret.txt']) {
      const reply = await send(path)
      expect(reply.status, path).toBe(403)
      expect(reply.body).not.toContain('TOP-SECRET')
    }
    // Plain "../" never leaves the root: URL parsing resolves it first.
    const dotted = await send('/../../secret.txt')
    expect(dotted.status).toBe(404)
    expect(dotted.body).not.toContain('TOP-SECRET')
    expect((await send('/assets')).status).toBe(404)
  })

  it('pushes core events over SSE: profiles.changed after profiles.create', async () => {
    expect((await send('/__lifeboat/events?token=nope')).status).toBe(403)
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: bridge.port, path: `/__lifeboat/events?token=${bridge.token}` }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8')
        let text = ''
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8')
          if (text.includes(': connected')) void invoke('profiles.create', { profile: pgDraft, password: 's3cret' })
          // the activity log line arrives first (activity.changed); wait for the profile event
          const data = [...text.matchAll(/^data: (.*)$/gm)].map((m) => m[1]!).find((d) => d.includes('profiles.changed'))
          if (data) {
            req.destroy()
            resolve(data)
          }
        })
      })
      req.on('error', reject)
      req.end()
    })
    expect(JSON.parse(await received)).toEqual({ type: 'profiles.changed' })
    expect(core.profiles.list().map((p) => p.name)).toEqual(['main-db'])
  })

  it('ships a self-contained client that builds window.lifeboat from the #token', async () => {
    const script = (await send('/__lifeboat/bridge.js')).body
    const calls: { url: string; init: { headers: Record<string, string>; body: string } }[] = []
    const replaced: string[] = []
    const storage = new Map<string, string>()
    const win: Record<string, unknown> = {
      location: { hash: `#token=${bridge.token}`, pathname: '/', search: '' },
      history: { replaceState: (_d: unknown, _u: string, url: string) => replaced.push(url) },
      sessionStorage: { getItem: (k: string) => storage.get(k) ?? null, setItem: (k: string, v: string) => storage.set(k, v) },
      fetch: async (url: string, init: { headers: Record<string, string>; body: string }) => {
        calls.push({ url, init })
        return { json: async () => ({ ok: true, value: [] }) }
      },
      EventSource: class {},
    }
    win.window = win
    runInNewContext(script, win)
    const lifeboat = win.lifeboat as { profiles: { list(): Promise<unknown> } }
    expect(await lifeboat.profiles.list()).toEqual({ ok: true, value: [] })
    expect(calls[0]?.url).toBe('/__lifeboat/invoke')
    expect(calls[0]?.init.headers['X-Lifeboat-Token']).toBe(bridge.token)
    expect(JSON.parse(calls[0]?.init.body ?? '')).toEqual({ channel: 'profiles.list' })
    expect(replaced).toEqual(['/']) // the token leaves the address bar
  })

  it('close() ends open event streams and stops listening', async () => {
    const other = await startBridge({ core, rendererDir: join(dir, 'renderer') })
    const ended = new Promise<void>((resolve) => {
      request({ host: '127.0.0.1', port: other.port, path: `/__lifeboat/events?token=${other.token}` }, (res) => {
        res.once('data', () => void other.close())
        res.on('end', resolve)
        res.resume()
      }).end()
    })
    await ended
    await expect(fetch(other.url)).rejects.toThrow()
  })
})
