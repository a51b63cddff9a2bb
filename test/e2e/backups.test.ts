import Database from 'better-sqlite3'
import { execFile } from 'node:child_process'
import { createHash, randomUUID } from 'node:crypto'
import { connect, createServer, type AddressInfo, type Server } from 'node:net'
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { Transform, type TransformCallback } from 'node:stream'
import { promisify } from 'node:util'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Bridge } from '../../src/main/bridge'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import { BackupsRepo } from '../../src/main/core/store/backups-repo'
import type { Backup } from '../../src/shared/backup-model'
import { backupFileName } from '../../src/shared/backup-files'
import { isAvailable, type PostgresServer } from '../support/context'
import { psql } from '../support/sql'
import { missingPrerequisite, openApp, type Browser, type OpenedApp, screenshot, type ScreenshotOptions } from './browser'

/**
 * The Backups page in headless Chromium against the real core (loopback bridge, real store, real
 * pg_dump into the throwaway PostgreSQL, real files). The steps build on each other, in order.
 */
const exec = promisify(execFile)
const missing = missingPrerequisite()
const pg = inject('servers').postgres
const pgMissing = isAvailable(pg) ? null : `PostgreSQL unavailable: ${pg.unavailable}`
const SOURCE_DB = 'lifeboat_e2e_backups'
const RESTORED_DB = 'lifeboat_e2e_restored'
/** ~50 MB of rows: long enough a dump that the bar is seen moving, short enough for a test. */
const ROWS = 200_000
/** The page holds the newest 10,000 rows (HISTORY_LIMIT): the bulk step fills the history to exactly that. */
const HISTORY_ROWS = 10_000

let dir: string
let downloadDir: string
let core: LifeboatCore
let bridge: Bridge
let browser: Browser
let page: Page
let pageProblems: string[] = []
let app: OpenedApp | undefined
/** Filled in as the story goes: the successful PostgreSQL backup, then the cancelled one. */
let pgBackup: Backup
let cancelled: Backup
let relay: ReturnType<typeof valve> | undefined

function step(name: string, run: () => Promise<void>, needs: { postgres?: boolean } = {}, timeout?: number) {
  it(
    name,
    async (ctx) => {
      if (missing) return ctx.skip(missing)
      if (needs.postgres && pgMissing) return ctx.skip(pgMissing)
      await run()
    },
    timeout,
  )
}

const card = (profile: string): Locator => page.getByTestId(`run-card-${profile}`)
const row = (id: string): Locator => page.getByTestId(`backup-row-${id}`)
const details = (id: string): Locator => page.getByTestId(`backup-details-${id}`)
const historyIds = async (): Promise<string[]> =>
  (await page.locator('[data-testid^="backup-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid') ?? ''))).map((t) =>
    t.replace('backup-row-', ''),
  )
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

/**
 * A TCP relay in front of PostgreSQL whose server-to-client direction can be held: with it held, a
 * dump stays in flight for as long as the test needs (progress screenshot, cancel mid-dump), no sleeps.
 */
function valve(target: { host: string; port: number }) {
  let held = false
  const waiting: (() => void)[] = []
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host)
    const gate = new Transform({
      transform(chunk: Buffer, _encoding, done: TransformCallback) {
        if (held) waiting.push(() => done(null, chunk))
        else done(null, chunk)
      },
    })
    const close = () => (client.destroy(), upstream.destroy(), gate.destroy())
    for (const s of [client, upstream, gate]) s.on('error', close).on('close', close)
    client.pipe(upstream)
    upstream.pipe(gate).pipe(client)
  })
  return {
    listen: () => new Promise<number>((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port))),
    hold: () => void (held = true),
    release: () => {
      held = false
      for (const go of waiting.splice(0)) go()
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  }
}
const list = async () => core.handlers['backups.list']({ limit: 100_000 })

/** Always under test-results/; the two the docs show also under docs/screenshots/ with UPDATE_SCREENSHOTS=1. */
const shot = (name: string, opts: ScreenshotOptions = {}) => screenshot(page, name, opts)

/** Just enough of the DOM for the few lines that run in the page (this file compiles without the DOM lib). */
interface PageElement {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null
  scrollTop: number
  scrollHeight: number
}
interface PageWindow {
  __progress: string[]
  MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void }
}

/** Records every value the card's progress bar shows, from before the click to the end. */
async function recordProgress(profile: string): Promise<void> {
  await card(profile).evaluate((node: unknown) => {
    const el = node as PageElement
    const win = globalThis as unknown as PageWindow
    const seen: string[] = (win.__progress = [])
    const read = () => {
      const v = el.querySelector('[role="progressbar"]')?.getAttribute('aria-valuenow')
      if (v != null && seen[seen.length - 1] !== v) seen.push(v)
    }
    new win.MutationObserver(read).observe(el, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] })
  })
}
const progressSeen = async (): Promise<number[]> => (await page.evaluate(() => (globalThis as unknown as PageWindow).__progress)).map(Number)
const historyCount = (text: string): Promise<void> => page.getByTestId('history-count').filter({ hasText: new RegExp(`^${text}$`) }).waitFor({ timeout: 30_000 })
const scrollHistory = (to: 'top' | 'bottom'): Promise<void> =>
  page.getByTestId('history-scroll').evaluate((node: unknown, where) => {
    const el = node as PageElement
    el.scrollTop = where === 'top' ? 0 : el.scrollHeight
  }, to)

async function backupNow(profile: string): Promise<void> {
  await card(profile).getByRole('button', { name: 'Back up now' }).click()
}

async function finishedRow(profile: string, status: Backup['status']): Promise<Backup> {
  await card(profile).locator(`[data-testid="run-progress"][data-status="${status}"]`).waitFor({ timeout: 60_000 })
  const backup = (await list()).find((b) => b.profileName === profile)
  if (!backup) throw new Error(`no backup row for ${profile}`)
  expect(backup.status, backup.error ?? '').toBe(status)
  await row(backup.id).waitFor()
  return backup
}

/** A database of its own, owned by the app user, with one big table to dump. */
async function seed(server: PostgresServer): Promise<void> {
  await psql(server, [`DROP DATABASE IF EXISTS ${SOURCE_DB}`, `DROP DATABASE IF EXISTS ${RESTORED_DB}`, `CREATE DATABASE ${SOURCE_DB} OWNER "${server.user}"`])
  await psql(
    server,
    [
      `SET ROLE "${server.user}"`,
      'CREATE TABLE big (id int PRIMARY KEY, payload text NOT NULL)',
      `INSERT INTO big SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, ${ROWS}) g`,
      'CREATE TABLE small (id serial PRIMARY KEY, name text)',
      "INSERT INTO small (name) VALUES ('anchor'), ('lifebuoy')",
    ],
    SOURCE_DB,
  )
}

const fingerprint = (server: PostgresServer, db: string) =>
  psql(server, "SELECT count(*), md5(string_agg(payload, '' ORDER BY id)) FROM big UNION ALL SELECT count(*), md5(string_agg(name, ',' ORDER BY id)) FROM small", db)

beforeAll(async () => {
  if (missing) {
    if (process.env.CI === 'true') throw new Error(missing)
    console.warn(`[e2e] skipped: ${missing}`)
    return
  }
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-backups-'))
  downloadDir = join(dir, 'downloads')
  mkdirSync(downloadDir)
  core = createApp({ home: join(dir, 'home'), origin: 'ui', logger: silentLogger, saveDialog: async (suggested) => join(downloadDir, suggested) })
  await core.ready
  if (isAvailable(pg)) {
    await seed(pg)
    relay = valve(pg)
    const port = await relay.listen()
    await core.profiles.create({
      profile: { engine: 'postgres', name: 'pg-e2e', tag: 'production', host: pg.host, port, user: pg.user, database: SOURCE_DB, clientBinDir: pg.binDir },
      password: pg.password,
    })
  }
  const notes = join(dir, 'notes.sqlite')
  const db = new Database(notes)
  db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep the lifeboat ready')")
  db.close()
  await core.profiles.create({ profile: { engine: 'sqlite', name: 'notes', tag: 'dev', file: notes } })

  app = await openApp(core)
  ;({ bridge, browser, page } = app)
  pageProblems = app.problems
})

afterAll(async () => {
  await app?.close()
  relay?.release()
  await relay?.close()
  core?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  if (!missing && isAvailable(pg)) await psql(pg, [`DROP DATABASE IF EXISTS ${SOURCE_DB}`, `DROP DATABASE IF EXISTS ${RESTORED_DB}`]).catch(() => {})
})

describe('the Backups page', () => {
  step('opens with a "Back up now" card per profile and an empty history', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click()
    await page.getByRole('heading', { level: 1, name: 'Backups' }).waitFor()
    await card('notes').waitFor()
    if (!pgMissing) await card('pg-e2e').waitFor()
    await page.getByTestId('history-empty').waitFor()
    expect(await card('notes').getByTestId('options-summary').textContent()).toBe('zstd · sqlite · all tables')
  })

  step(
    'backs up PostgreSQL: the progress bar moves, reaches 100% and the run ends in success',
    async () => {
      await recordProgress('pg-e2e')
      await backupNow('pg-e2e')
      // Mid-dump, hold the server's bytes: the bar stays below 100% for the screenshot, then goes on.
      await card('pg-e2e').locator('[role="progressbar"][aria-valuenow]:not([aria-valuenow="0"])').waitFor()
      relay!.hold()
      await shot('backups-progress')
      relay!.release()
      pgBackup = await finishedRow('pg-e2e', 'success')
      const bar = card('pg-e2e').getByRole('progressbar')
      expect(await bar.getAttribute('aria-valuenow')).toBe('100')
      const seen = await progressSeen()
      expect(seen.at(-1)).toBe(100)
      expect(seen.some((v) => v > 0 && v < 100), `values seen: ${seen.join(', ')}`).toBe(true)
      expect(await card('pg-e2e').getByTestId('run-outcome').textContent()).toContain(pgBackup.fileName)
    },
    { postgres: true },
  )

  step(
    'shows the run in the history with its status, size and duration',
    async () => {
      const r = row(pgBackup.id)
      expect(await r.getAttribute('data-status')).toBe('success')
      expect(await r.getByTestId('status-badge').textContent()).toBe('success')
      expect(await r.locator('.col-profile').textContent()).toBe('pg-e2e')
      expect(await r.locator('.col-size').textContent()).toMatch(/^\d+(\.\d)? (kB|MB)$/)
      expect(await r.locator('.col-duration').textContent()).toMatch(/^\d+(\.\d)? (ms|s)$/)
      expect(await r.locator('.col-file').textContent()).toBe(pgBackup.fileName)
      expect(pgBackup.fileName).toMatch(/^backup_\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d_[0-9a-f]{8}\.dump\.zst$/)
    },
    { postgres: true },
  )

  step(
    'Verify re-reads the file and shows OK with both hashes',
    async () => {
      await row(pgBackup.id).getByRole('button', { name: `Verify ${pgBackup.fileName}` }).click()
      const result = details(pgBackup.id).locator('[data-testid="verify-result"]:not([data-status="running"])')
      await result.waitFor()
      expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('ok')
      expect(await result.getByTestId('sha256-expected').textContent()).toBe(pgBackup.sha256)
      expect(await result.getByTestId('sha256-actual').textContent()).toBe(pgBackup.sha256)
    },
    { postgres: true },
  )

  step(
    'Download saves a copy where the save dialog says; its SHA-256 is the one in the row',
    async () => {
      await row(pgBackup.id).getByRole('button', { name: `Download ${pgBackup.fileName}` }).click()
      const result = details(pgBackup.id).locator('[data-testid="export-result"]:not([data-status="running"])')
      await result.waitFor()
      expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('saved')
      expect(await result.textContent()).toContain(pgBackup.fileName)
      expect(await result.textContent()).not.toContain(downloadDir) // the renderer only learns the name
      const saved = join(downloadDir, pgBackup.fileName)
      expect(sha256(saved)).toBe(pgBackup.sha256)
      expect(await details(pgBackup.id).getByTestId('sha256').textContent()).toBe(pgBackup.sha256)
    },
    { postgres: true },
  )

  step(
    '"Restore by hand" shows stock commands, and pasting them restores the same data',
    async () => {
      await row(pgBackup.id).getByRole('button', { name: `Restore ${pgBackup.fileName} by hand` }).click()
      const panel = details(pgBackup.id).getByTestId('restore-commands')
      await panel.waitFor()
      const commands = await panel.locator('code').allTextContents()
      expect(commands).toContain(`echo '${pgBackup.sha256}  ${pgBackup.fileName}' | sha256sum -c -`)
      expect(commands.some((c) => c.startsWith(`zstd -dc ${pgBackup.fileName} | pg_restore --no-owner`))).toBe(true)
      await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(bridge.pageUrl).origin })
      const firstCopy = panel.getByRole('button', { name: `Copy: ${commands[0]}` })
      await firstCopy.click()
      await firstCopy.filter({ hasText: /^(Copied|Select it)$/ }).waitFor()
      expect(await firstCopy.textContent()).toBe('Copied')
      expect(await page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText())).toBe(commands[0])
      await shot('backups', { height: 1280 }) // taller: the history box is 70vh high

      if (!isAvailable(pg)) return
      // The first three steps as a DBA would paste them: check, create the database, stream-restore.
      const filled = commands.slice(0, 3).map((c) =>
        c.replaceAll('<host>', pg.host).replaceAll('<port>', String(pg.port)).replaceAll('<user>', 'postgres').replaceAll('<target_db>', RESTORED_DB),
      )
      const env = { ...process.env, PATH: `${pg.binDir}${delimiter}${process.env.PATH ?? ''}` }
      const { stdout } = await exec('bash', ['-c', `set -euo pipefail\n${filled.join('\n')}`], { cwd: downloadDir, env })
      expect(stdout).toContain(`${pgBackup.fileName}: OK`)
      expect(await fingerprint(pg, RESTORED_DB)).toBe(await fingerprint(pg, SOURCE_DB))
    },
    { postgres: true },
  )

  step(
    'Cancel stops a running backup: it ends as cancelled and leaves no file behind',
    async () => {
      const c = card('pg-e2e')
      await c.getByRole('button', { name: 'Options' }).click()
      await c.getByLabel('Compression').selectOption('gzip')
      await c.getByLabel('Label').fill('cancel me')
      expect(await c.getByTestId('options-summary').textContent()).toBe('gzip · custom · all tables · “cancel me”')
      await backupNow('pg-e2e')
      // Cancel mid-dump for sure: once bytes flow, hold the server's side so the dump cannot finish first.
      await c.locator('[role="progressbar"][aria-valuenow]').waitFor()
      relay!.hold()
      await c.getByRole('button', { name: 'Cancel' }).click()
      cancelled = await finishedRow('pg-e2e', 'cancelled')
      relay!.release()
      expect(cancelled.label).toBe('cancel me')
      expect(await c.getByTestId('run-outcome').textContent()).toBe('Cancelled: nothing was kept.')
      expect(await row(cancelled.id).getByTestId('status-badge').textContent()).toBe('cancelled')
      expect(readdirSync(core.paths.backups).filter((f) => f.includes('cancel-me'))).toEqual([])
    },
    { postgres: true },
  )

  step(
    'Options: the table list comes from the live database; mistakes are shown before anything runs',
    async () => {
      const c = card('pg-e2e')
      const runsBefore = (await list()).length
      await c.getByRole('radio', { name: 'Selected tables' }).check()
      const picker = c.getByTestId('table-picker')
      await picker.getByRole('checkbox').first().waitFor()
      expect(await picker.locator('li .mono').allTextContents()).toEqual(['public.big', 'public.small'])
      await picker.getByPlaceholder('Filter tables').fill('sma')
      expect(await picker.locator('li .mono').allTextContents()).toEqual(['public.small'])
      await c.getByLabel('Encryption').selectOption('passphrase')
      await c.getByLabel('Passphrase', { exact: true }).fill('correct horse')
      await c.getByLabel('Repeat passphrase').fill('correct hose')
      await backupNow('pg-e2e')
      expect(await c.getByTestId('error-tables').textContent()).toBe('choose at least one table, or back up all tables')
      expect(await c.getByTestId('error-passphraseAgain').textContent()).toBe('the two passphrases differ')
      expect((await list()).length).toBe(runsBefore)
      await picker.getByRole('checkbox', { name: /public\.small/ }).check()
      await c.getByTestId('error-tables').waitFor({ state: 'detached' })
      expect(await c.getByTestId('options-summary').textContent()).toBe('gzip · custom · 1 table · age passphrase · “cancel me”')
      // Back to the defaults for the steps that follow.
      await c.getByLabel('Encryption').selectOption('none')
      await c.getByRole('radio', { name: 'All tables' }).check()
    },
    { postgres: true },
  )

  step('backs up the SQLite profile too; Verify flags a stored file that changed since', async () => {
    await backupNow('notes')
    const b = await finishedRow('notes', 'success')
    expect(b.fileName).toMatch(/\.sqlite\.zst$/)
    appendFileSync(b.copies[0]!.location!, 'bit rot')
    await row(b.id).getByRole('button', { name: `Verify ${b.fileName}` }).click()
    const result = details(b.id).locator('[data-testid="verify-result"]:not([data-status="running"])')
    await result.waitFor()
    expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('mismatch')
    expect(await result.getByTestId('sha256-expected').textContent()).toBe(b.sha256)
    expect(await result.getByTestId('sha256-actual').textContent()).toMatch(/^[0-9a-f]{64}$/)
    expect(await result.getByTestId('sha256-actual').textContent()).not.toBe(b.sha256)
    await row(b.id).getByRole('button', { name: `Details of ${b.fileName}` }).click() // collapse again
    await details(b.id).waitFor({ state: 'detached' })
  })

  step(
    'filters the history by status and by profile',
    async () => {
      const count = page.getByTestId('history-count')
      expect(await count.textContent()).toBe('3 backups')
      await page.getByLabel('Status', { exact: true }).selectOption('cancelled')
      await historyCount('1 of 3 backups')
      expect(await historyIds()).toEqual([cancelled.id])
      await page.getByLabel('Status', { exact: true }).selectOption('')
      await page.getByLabel('Profile', { exact: true }).selectOption('notes')
      await historyCount('1 of 3 backups')
      expect(await page.locator('[data-testid^="backup-row-"] .col-profile').allTextContents()).toEqual(['notes'])
      await page.getByLabel('Profile', { exact: true }).selectOption('')
      await historyCount('3 backups')
    },
    { postgres: true },
  )

  step(
    'sorts by size: largest first, then smallest first; rows without a size stay last',
    async () => {
      const notes = (await list()).find((b) => b.profileName === 'notes')!
      await page.getByTestId('sort-size').click()
      expect(await page.locator('[role="columnheader"].col-size').getAttribute('aria-sort')).toBe('descending')
      expect(await historyIds()).toEqual([pgBackup.id, notes.id, cancelled.id])
      await page.getByTestId('sort-size').click()
      expect(await page.locator('[role="columnheader"].col-size').getAttribute('aria-sort')).toBe('ascending')
      expect(await historyIds()).toEqual([notes.id, pgBackup.id, cancelled.id])
      await page.getByTestId('sort-started').click() // back to newest first
      expect(await historyIds()).toEqual([notes.id, cancelled.id, pgBackup.id])
    },
    { postgres: true },
  )

  step(
    'a notification click (ui.showBackup) opens that backup in the history',
    async () => {
      const notes = (await list()).find((b) => b.profileName === 'notes')!
      await page.evaluate("window.location.hash = '#/profiles'") // (strings: this file type-checks without the DOM lib)
      core.events.emit({ type: 'ui.showBackup', backupId: notes.id })
      // polled from the test side: a string predicate would be eval'd in the page, which the CSP forbids
      await expect.poll(() => page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash)).toBe(`#/backups?backup=${notes.id}`)
      const expander = row(notes.id).getByRole('button', { name: `Details of ${notes.fileName}` })
      await expect.poll(() => expander.getAttribute('aria-expanded')).toBe('true')
      await expander.click() // close it again for the next steps
    },
    { postgres: true },
  )

  step(
    'Delete asks first, names the file, and removes every stored copy',
    async () => {
      const location = pgBackup.copies[0]?.location
      expect(location && existsSync(location)).toBe(true)
      const dialog = page.getByRole('dialog')
      await row(pgBackup.id).getByRole('button', { name: `Delete ${pgBackup.fileName}` }).click()
      await dialog.waitFor()
      expect(await dialog.getByTestId('delete-file').textContent()).toBe(pgBackup.fileName)
      expect(await dialog.textContent()).toContain('Every stored copy of this file is removed')
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await dialog.waitFor({ state: 'detached' })
      expect(existsSync(location!)).toBe(true)

      await row(pgBackup.id).getByRole('button', { name: `Delete ${pgBackup.fileName}` }).click()
      await dialog.getByRole('button', { name: 'Delete backup' }).click()
      await row(pgBackup.id).waitFor({ state: 'detached' })
      expect(existsSync(location!)).toBe(false)
      expect((await list()).some((b) => b.id === pgBackup.id)).toBe(false)
      expect(await page.getByTestId('notice').textContent()).toBe(`Deleted ${pgBackup.fileName}.`)
    },
    { postgres: true },
  )

  step(
    'renders 10,000 history rows virtualised: a window of rows in the DOM, later rows on scroll',
    async () => {
      const bulk = HISTORY_ROWS - (await list()).length
      const repo = new BackupsRepo(core.db)
      const t0 = Date.parse('2020-01-01T00:00:00Z')
      const statuses = ['success', 'failed', 'success', 'cancelled', 'interrupted'] as const
      let oldest = ''
      core.db.transaction(() => {
        for (let i = 0; i < bulk; i++) {
          const id = randomUUID()
          const startedAt = new Date(t0 - i * 60_000)
          const status = statuses[i % statuses.length]!
          repo.insertRunning(
            {
              id, profileId: null, profileName: `bulk-${i % 7}`, engine: 'postgres', reason: 'scheduled',
        jobId: null, label: null,
              fileName: backupFileName({ startedAt, id, format: 'custom', compression: 'zstd', encrypted: false }),
              format: 'custom', compression: 'zstd', encryption: null,
              options: { schemaOnly: false, dataOnly: false, tables: null }, startedAt: startedAt.toISOString(),
            },
            ['local'],
            process.pid,
          )
          repo.finish(id, {
            status, finishedAt: new Date(startedAt.getTime() + 1000 + i).toISOString(), durationMs: 1000 + i,
            ...(status === 'success' ? { sizeBytes: 1000 + i, rawBytes: 5000 + i, sha256: 'a'.repeat(64) } : { error: `synthetic ${status} #${i}` }),
          })
          oldest = id
        }
      })()
      core.events.emit({ type: 'backups.changed' }) // as the backup service does: the page reloads, no polling
      await historyCount(`${HISTORY_ROWS} backups`)
      expect(await page.getByTestId('history-limit').textContent()).toContain('lifeboat history')

      const inDom = (await historyIds()).length
      expect(inDom).toBeGreaterThan(5)
      expect(inDom).toBeLessThan(80)
      await row(oldest).waitFor({ state: 'detached' })
      await shot('backups-10k', { docs: false })

      await scrollHistory('bottom')
      await row(oldest).waitFor()
      expect((await historyIds()).length).toBeLessThan(80)
      await scrollHistory('top')
    },
    {},
    120_000,
  )

  step('ran without CSP violations or page errors', async () => {
    expect(pageProblems).toEqual([])
  })
})
