import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Backup } from '../../src/shared/backup-model'
import type { Logger } from '../../src/main/core/logging/logger'
import { postJson, type DeliveryOptions } from '../../src/main/core/notify/deliver'
import { sendRunNotifications } from '../../src/main/core/notify/index'
import { noticeText, type RunNotice } from '../../src/main/core/notify/message'
import { slackPayload } from '../../src/main/core/notify/slack'
import { webhookPayload } from '../../src/main/core/notify/webhook'
import { backupRow } from '../support/backup-row'

interface Received {
  method: string
  path: string
  headers: IncomingHttpHeaders
  body: string
}
type Handler = (req: Received, res: ServerResponse, n: number) => void

const SECRET_PATH = '/services/T000/B000/XXXXsecretXXXX'
const servers: Server[] = []

/** A real HTTP server on 127.0.0.1; `handler` gets each request (with its body) and its 1-based number. */
async function serve(handler: Handler): Promise<{ url: string; requests: Received[] }> {
  const requests: Received[] = []
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const r = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') }
      requests.push(r)
      handler(r, res, requests.length)
    })
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${SECRET_PATH}`, requests }
}

const reply = (status: number, body = '', headers: Record<string, string> = {}) => (_req: Received, res: ServerResponse) => {
  res.writeHead(status, { 'content-type': 'text/plain', ...headers })
  res.end(body)
}

afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((resolve) => s.close(resolve))
  }
})

/** Records the delays asked for and resolves at once. */
function instantSleep(): { delays: number[]; sleep: NonNullable<DeliveryOptions['sleep']> } {
  const delays: number[] = []
  return { delays, sleep: async (ms) => void delays.push(ms) }
}

function captureLogger(): { lines: string[]; logger: Logger } {
  const lines: string[] = []
  const at = (level: string) => (msg: string, fields?: Record<string, unknown>) => void lines.push(JSON.stringify({ level, msg, ...fields }))
  return { lines, logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } }
}

function backup(over: Partial<Backup> = {}): Backup {
  return backupRow({
    id: 'bk_1',
    profileId: 'p_1',
    profileName: 'main-db',
    status: 'failed',
    reason: 'scheduled',
    jobId: 'j_1',
    fileName: 'main-db_2024-05-01T02-00-00Z.dump.zst',
    sizeBytes: 4_404_019,
    rawBytes: 20_000_000,
    startedAt: '2024-05-01T02:00:00.000Z',
    finishedAt: '2024-05-01T02:03:05.000Z',
    durationMs: 185_000,
    tablesCount: 12,
    serverVersion: '16.2',
    toolName: 'pg_dump',
    toolVersion: '16.2',
    error: 'pg_dump: error: connection to server failed',
    copies: [{ destination: 'local', status: 'failed', location: null, error: 'disk full' }],
    ...over,
  })
}

const failed: RunNotice = { jobName: 'nightly', backup: backup(), database: 'shop' }
const succeeded: RunNotice = {
  jobName: null,
  backup: backup({ status: 'success', error: null, sha256: 'ab'.repeat(32), copies: [{ destination: 'local', status: 'success', location: '/b/x.dump.zst', error: null }] }),
}

/** The facts of the failed backup, as every channel words them. */
const FAILED_LINES = [
  'Job: nightly',
  'Profile: main-db',
  'Database: shop',
  'Engine: PostgreSQL',
  'Status: failed',
  'File: main-db_2024-05-01T02-00-00Z.dump.zst',
  'Size: 4.2 MB',
  'Duration: 3 min 05 s',
  'Destinations: local (failed: disk full)',
  'Error: pg_dump: error: connection to server failed',
]

describe('notice text', () => {
  it('names the profile, database, engine, status, size, duration, file and error', () => {
    expect(noticeText({ ...failed, note: 'prune failed: permission denied' })).toEqual({
      title: 'Backup of main-db (shop) failed',
      lines: [...FAILED_LINES, 'Note: prune failed: permission denied'],
    })
  })
})

describe('Slack webhook', () => {
  it('posts the exact incoming-webhook JSON for a failed backup', async () => {
    const srv = await serve(reply(200, 'ok'))
    const [sent] = await sendRunNotifications({ slackWebhookUrl: srv.url }, failed)
    expect(sent).toEqual({ channel: 'slack', result: { ok: true, attempts: 1, status: 200, error: null } })
    const [req] = srv.requests
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe(SECRET_PATH)
    expect(req?.headers['content-type']).toBe('application/json')
    const body = JSON.parse(req!.body) as { text: string }
    expect(body).toEqual({
      text: ['Backup of main-db (shop) failed', ...FAILED_LINES].join('\n'),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':x: *Backup of main-db (shop) failed*' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: [
              '*Job:* nightly',
              '*Profile:* main-db',
              '*Database:* shop',
              '*Engine:* PostgreSQL',
              '*Status:* failed',
              '*File:* main-db_2024-05-01T02-00-00Z.dump.zst',
              '*Size:* 4.2 MB',
              '*Duration:* 3 min 05 s',
              '*Destinations:* local (failed: disk full)',
            ].join('\n'),
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: '*Error:*\n```pg_dump: error: connection to server failed```' } },
      ],
    })
    for (const s of ['main-db', 'shop', '4.2 MB', '3 min 05 s', 'connection to server failed']) expect(body.text).toContain(s)
  })

  it('posts the success variant without an error block', async () => {
    const srv = await serve(reply(200, 'ok'))
    await sendRunNotifications({ slackWebhookUrl: srv.url }, succeeded)
    expect(JSON.parse(srv.requests[0]!.body)).toEqual({
      text: [
        'Backup of main-db succeeded',
        'Profile: main-db',
        'Engine: PostgreSQL',
        'Status: success',
        'File: main-db_2024-05-01T02-00-00Z.dump.zst',
        'Size: 4.2 MB',
        'Duration: 3 min 05 s',
        'Destinations: local',
      ].join('\n'),
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: ':white_check_mark: *Backup of main-db succeeded*' } },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: '*Profile:* main-db\n*Engine:* PostgreSQL\n*Status:* success\n*File:* main-db_2024-05-01T02-00-00Z.dump.zst\n*Size:* 4.2 MB\n*Duration:* 3 min 05 s\n*Destinations:* local',
          },
        },
      ],
    })
  })

  it('escapes &, < and > in user text', () => {
    const n: RunNotice = { jobName: null, backup: backup({ profileName: 'a<b>&c', error: 'syntax error near "<@U123>" & ```x```', copies: [] }) }
    const p = slackPayload(n)
    const all = JSON.stringify(p)
    expect(all).not.toMatch(/<@U123>|a<b>/)
    expect(p.text).toContain('Backup of a&lt;b&gt;&amp;c failed')
    expect(p.text).toContain('Error: syntax error near "&lt;@U123&gt;" &amp; ```x```')
    expect(p.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: ':x: *Backup of a&lt;b&gt;&amp;c failed*' } })
    expect(p.blocks[2]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: "*Error:*\n```syntax error near \"&lt;@U123&gt;\" &amp; '''x'''```" } })
  })

  it('keeps sections under Slack’s 3000-character limit without cutting an entity in half', () => {
    const p = slackPayload({ jobName: null, backup: backup({ error: '&'.repeat(5000) }) })
    const error = (p.blocks[2] as { text: { text: string } }).text.text
    expect(error.length).toBeLessThan(3000)
    expect(error).toMatch(/(&amp;)+…```$/)
    expect(p.text.length).toBeLessThan(3000)
  })
})

describe('generic webhook', () => {
  it('posts the documented JSON', async () => {
    const srv = await serve(reply(204))
    const [sent] = await sendRunNotifications({ webhookUrl: srv.url }, { ...failed, note: 'test-restore skipped' })
    expect(sent?.result.ok).toBe(true)
    expect(srv.requests[0]?.headers['content-type']).toBe('application/json')
    expect(JSON.parse(srv.requests[0]!.body)).toEqual({
      event: 'backup.finished',
      status: 'failed',
      job: 'nightly',
      profile: 'main-db',
      engine: 'postgres',
      database: 'shop',
      backupId: 'bk_1',
      fileName: 'main-db_2024-05-01T02-00-00Z.dump.zst',
      sizeBytes: 4_404_019,
      durationMs: 185_000,
      startedAt: '2024-05-01T02:00:00.000Z',
      finishedAt: '2024-05-01T02:03:05.000Z',
      error: 'pg_dump: error: connection to server failed',
      sha256: null,
      destinations: [{ name: 'local', status: 'failed', location: null, error: 'disk full' }],
      note: 'test-restore skipped',
    })
  })

  it('leaves out the database when unknown', () => {
    const p = webhookPayload(succeeded)
    expect(p).not.toHaveProperty('database')
    expect(p).toMatchObject({ status: 'success', job: null, sha256: 'ab'.repeat(32), error: null, note: null })
  })
})

describe('delivery', () => {
  it('retries 500 and 503 with growing backoff, then succeeds', async () => {
    const srv = await serve((req, res, n) => reply([500, 503, 200][n - 1] ?? 200)(req, res))
    const { delays, sleep } = instantSleep()
    const r = await postJson('Slack webhook', srv.url, { text: 'hi' }, { sleep })
    expect(r).toEqual({ ok: true, attempts: 3, status: 200, error: null })
    expect(srv.requests.map((q) => q.body)).toEqual(['{"text":"hi"}', '{"text":"hi"}', '{"text":"hi"}'])
    expect(delays).toHaveLength(2)
    expect(delays[0]).toBeGreaterThanOrEqual(800)
    expect(delays[0]).toBeLessThanOrEqual(1200)
    expect(delays[1]).toBeGreaterThanOrEqual(1600)
    expect(delays[1]).toBeLessThanOrEqual(2400)
  })

  it('reports the last status after the final attempt', async () => {
    const srv = await serve(reply(500))
    const { delays, sleep } = instantSleep()
    const r = await postJson('Slack webhook', srv.url, {}, { sleep, attempts: 3, baseDelayMs: 10 })
    expect(r).toEqual({ ok: false, attempts: 3, status: 500, error: 'Slack webhook: HTTP 500 (attempt 3 of 3)' })
    expect(delays).toHaveLength(2)
    expect(delays[1]!).toBeGreaterThan(delays[0]!)
  })

  it('honours Retry-After on 429, capped at 60 s', async () => {
    const srv = await serve((req, res, n) => (n === 1 ? reply(429, 'rate limited', { 'retry-after': '2' }) : n === 2 ? reply(503, '', { 'retry-after': '3600' }) : reply(200))(req, res))
    const { delays, sleep } = instantSleep()
    const r = await postJson('Webhook', srv.url, {}, { sleep })
    expect(r.ok).toBe(true)
    expect(delays).toEqual([2000, 60_000])
  })

  it('retries 408', async () => {
    const srv = await serve((req, res, n) => reply(n === 1 ? 408 : 200)(req, res))
    const r = await postJson('Webhook', srv.url, {}, { sleep: instantSleep().sleep })
    expect(r).toMatchObject({ ok: true, attempts: 2 })
  })

  it('does not retry other 4xx and reports the status and a body snippet', async () => {
    const srv = await serve(reply(404, 'no_service'))
    const { delays, sleep } = instantSleep()
    const r = await postJson('Slack webhook', srv.url, {}, { sleep })
    expect(r).toEqual({ ok: false, attempts: 1, status: 404, error: 'Slack webhook: HTTP 404: no_service' })
    expect(delays).toEqual([])
    expect(srv.requests).toHaveLength(1)

    const long = await serve(reply(400, `invalid_payload ${'x'.repeat(500)}`))
    const r2 = await postJson('Slack webhook', long.url, {}, { sleep })
    expect(r2.error).toBe(`Slack webhook: HTTP 400: invalid_payload ${'x'.repeat(184)}…`)
  })

  it('retries a refused connection, then reports it', async () => {
    const srv = createServer()
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve))
    const port = (srv.address() as AddressInfo).port
    await new Promise((resolve) => srv.close(resolve))
    const { delays, sleep } = instantSleep()
    const r = await postJson('Webhook', `http://127.0.0.1:${port}${SECRET_PATH}`, {}, { sleep, attempts: 3 })
    expect(r).toEqual({ ok: false, attempts: 3, status: null, error: 'Webhook: connection refused (attempt 3 of 3)' })
    expect(delays).toHaveLength(2)
  })

  it('times out a server that never answers', async () => {
    const srv = await serve(() => {})
    const r = await postJson('Webhook', srv.url, {}, { sleep: instantSleep().sleep, attempts: 2, timeoutMs: 200 })
    expect(r).toEqual({ ok: false, attempts: 2, status: null, error: 'Webhook: timed out after 200 ms (attempt 2 of 2)' })
    expect(srv.requests).toHaveLength(2)
  })

  it('refuses to follow a redirect', async () => {
    const target = await serve(reply(200))
    const srv = await serve(reply(302, '', { location: target.url }))
    const r = await postJson('Webhook', srv.url, {}, { sleep: instantSleep().sleep })
    expect(r).toMatchObject({ ok: false, attempts: 1, status: null })
    expect(r.error).toContain('redirect')
    expect(target.requests).toHaveLength(0)
  })

  it('stops retrying when cancelled', async () => {
    const srv = await serve(reply(503))
    const ac = new AbortController()
    const r = await postJson('Webhook', srv.url, {}, {
      sleep: async () => {
        ac.abort()
        throw new Error('aborted')
      },
      signal: ac.signal,
    })
    expect(r).toEqual({ ok: false, attempts: 1, status: 503, error: 'Webhook: cancelled' })
    expect(srv.requests).toHaveLength(1)
  })

  it('rejects a malformed URL without echoing it', async () => {
    const r = await postJson('Webhook', 'hooks.example.com/XXXXsecretXXXX', {})
    expect(r).toEqual({ ok: false, attempts: 0, status: null, error: 'Webhook: invalid URL' })
  })
})

describe('sendRunNotifications', () => {
  it('sends both channels and never reveals the URL in results or logs', async () => {
    // The server echoes the request path into its error body: redact() must still hide it.
    const slack = await serve((req, res) => reply(403, `invalid_token for ${req.path}`)(req, res))
    const hook = await serve(reply(500, 'boom'))
    const { lines, logger } = captureLogger()
    const results = await sendRunNotifications({ slackWebhookUrl: slack.url, webhookUrl: hook.url }, failed, {
      logger,
      sleep: instantSleep().sleep,
      attempts: 2,
    })
    expect(results.map((r) => r.channel)).toEqual(['slack', 'webhook'])
    expect(results[0]?.result).toMatchObject({ ok: false, attempts: 1, status: 403 })
    expect(results[0]?.result.error).toMatch(/^Slack webhook: HTTP 403: invalid_token for \*\*\*/)
    expect(results[1]?.result).toEqual({ ok: false, attempts: 2, status: 500, error: 'Webhook: HTTP 500 (attempt 2 of 2): boom' })
    expect(lines).toHaveLength(2)
    expect(lines.join('\n')).toContain('notification failed')
    for (const text of [JSON.stringify(results), ...lines]) {
      expect(text).not.toContain('XXXXsecretXXXX')
      expect(text).not.toContain(slack.url)
    }
  })

  it('logs success and skips channels without a URL', async () => {
    const srv = await serve(reply(200, 'ok'))
    const { lines, logger } = captureLogger()
    const results = await sendRunNotifications({ slackWebhookUrl: null, webhookUrl: srv.url }, succeeded, { logger })
    expect(results).toEqual([{ channel: 'webhook', result: { ok: true, attempts: 1, status: 200, error: null } }])
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { level: 'info', msg: 'Webhook notification sent', channel: 'webhook', backupId: 'bk_1', attempts: 1, status: 200 },
    ])
    expect(await sendRunNotifications({}, succeeded, { logger })).toEqual([])
  })
})
