import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import type { Backup } from '../../src/shared/backup-model'
import { isAvailable, type PostgresServer } from '../support/context'
import { psql } from '../support/sql'
import { missingPrerequisite, openApp, type OpenedApp, screenshot } from './browser'

/**
 * The restore dialog in headless Chromium against the real core and a throwaway PostgreSQL: a backup
 * of a source database restored into a new staging database, through the plan and both confirmations.
 * The steps build on each other, in order.
 */
const missing = missingPrerequisite()
const pg = inject('servers').postgres
const pgMissing = isAvailable(pg) ? null : `PostgreSQL unavailable: ${pg.unavailable}`
const SOURCE_DB = 'lifeboat_e2e_restore_source'
const STAGING_DB = 'lifeboat_e2e_restore_staging'
const PROD_DB = 'lifeboat_e2e_restore_prod'
/** A few MB: enough for the progress to be seen, quick to restore. */
const ROWS = 50_000

let dir: string
let core: LifeboatCore
let page: Page
let app: OpenedApp | undefined
let backup: Backup

function step(name: string, run: () => Promise<void>, timeout?: number) {
  it(
    name,
    async (ctx) => {
      if (missing) return ctx.skip(missing)
      if (pgMissing) return ctx.skip(pgMissing)
      await run()
    },
    timeout,
  )
}

const dialog = (): Locator => page.getByTestId('restore-dialog')
const targetSelect = (): Locator => dialog().getByLabel('Target profile')
const confirmInput = (): Locator => dialog().getByLabel(/Type the target database name to confirm/)
const button = (name: string): Locator => dialog().getByRole('button', { name, exact: true })

/** Always under test-results/; the two the docs show also under docs/screenshots/ with UPDATE_SCREENSHOTS=1. */
const shot = (name: string, { docs = false, height = 720 } = {}) => screenshot(page, name, { docs, height, fullPage: false })

async function seed(server: PostgresServer): Promise<void> {
  await psql(server, [
    `DROP DATABASE IF EXISTS ${SOURCE_DB}`,
    `DROP DATABASE IF EXISTS ${STAGING_DB}`,
    `DROP DATABASE IF EXISTS ${PROD_DB}`,
    `CREATE DATABASE ${SOURCE_DB} OWNER "${server.user}"`,
    `CREATE DATABASE ${PROD_DB} OWNER "${server.user}"`,
    // The staging user creates the database it restores into.
    `ALTER ROLE "${server.user}" CREATEDB`,
  ])
  await psql(
    server,
    [
      `SET ROLE "${server.user}"`,
      'CREATE TABLE items (id int PRIMARY KEY, payload text NOT NULL)',
      `INSERT INTO items SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, ${ROWS}) g`,
      'CREATE TABLE crew (id serial PRIMARY KEY, name text)',
      "INSERT INTO crew (name) VALUES ('anchor'), ('lifebuoy ⚓'), ('ünïcödé 😀')",
    ],
    SOURCE_DB,
  )
}

const fingerprint = (db: string) =>
  psql(pg as PostgresServer, "SELECT count(*), md5(string_agg(payload, '' ORDER BY id)) FROM items UNION ALL SELECT count(*), md5(string_agg(name, ',' ORDER BY id)) FROM crew", db)
const tablesIn = (db: string) => psql(pg as PostgresServer, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", db)

/** Records every text the phase label shows, from before the click to the end. */
async function recordPhases(): Promise<void> {
  await dialog().evaluate((node: unknown) => {
    const el = node as { querySelector(s: string): { textContent: string | null } | null }
    const win = globalThis as unknown as { __phases: string[]; MutationObserver: new (cb: () => void) => { observe(t: unknown, o: object): void } }
    const seen: string[] = (win.__phases = [])
    const read = () => {
      const v = el.querySelector('[data-testid="restore-phase"]')?.textContent
      if (v && seen[seen.length - 1] !== v) seen.push(v)
    }
    new win.MutationObserver(read).observe(el, { subtree: true, childList: true, characterData: true })
  })
}
const phasesSeen = (): Promise<string[]> => page.evaluate(() => (globalThis as unknown as { __phases: string[] }).__phases)

beforeAll(async () => {
  if (missing || pgMissing) {
    if (process.env.CI === 'true') throw new Error((missing ?? pgMissing)!)
    console.warn(`[e2e] skipped: ${missing ?? pgMissing}`)
    return
  }
  const server = pg as PostgresServer
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-restore-'))
  core = createApp({ home: join(dir, 'home'), origin: 'ui', logger: silentLogger })
  await core.ready
  await seed(server)
  const conn = { engine: 'postgres', host: server.host, port: server.port, user: server.user, clientBinDir: server.binDir } as const
  const source = await core.profiles.create({ profile: { ...conn, name: 'pg-source', tag: 'dev', database: SOURCE_DB }, password: server.password })
  // The staging profile points at the server's existing database; the restore goes into a new one.
  await core.profiles.create({ profile: { ...conn, name: 'staging', tag: 'staging', database: server.database }, password: server.password })
  await core.profiles.create({ profile: { ...conn, name: 'prod', tag: 'production', database: PROD_DB }, password: server.password })
  // Another engine: never offered as a target for a PostgreSQL backup.
  const notes = join(dir, 'notes.sqlite')
  new Database(notes).close()
  await core.profiles.create({ profile: { engine: 'sqlite', name: 'notes', tag: 'dev', file: notes } })

  const started = await core.backups.start({ profileId: source.id })
  backup = await started.finished
  expect(backup.status, backup.error ?? '').toBe('success')

  app = await openApp(core)
  page = app.page
})

afterAll(async () => {
  await app?.close()
  core?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
  if (!missing && isAvailable(pg)) await psql(pg, [SOURCE_DB, STAGING_DB, PROD_DB].map((d) => `DROP DATABASE IF EXISTS ${d}`)).catch(() => {})
})

describe('the restore dialog', () => {
  step('opens from a history row: the source backup is shown, the target is empty', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backups' }).click()
    const row = page.getByTestId(`backup-row-${backup.id}`)
    await row.getByRole('button', { name: `Restore ${backup.fileName}`, exact: true }).click()
    await dialog().waitFor()
    expect(await dialog().getByTestId('restore-source-file').textContent()).toBe(backup.fileName)
    expect(await dialog().getByTestId('restore-source').textContent()).toContain('pg-source')
    expect(await targetSelect().inputValue()).toBe('')
    // Only PostgreSQL profiles are offered; the placeholder cannot be chosen back.
    expect(await targetSelect().locator('option').allTextContents()).toEqual(['Choose a target…', 'pg-source [dev]', 'prod [production]', 'staging [staging]'])
    expect(await button('Preview plan').isDisabled()).toBe(true)
  })

  step('a production target needs "I understand this is a production database" as well as the typed name', async () => {
    await targetSelect().selectOption({ label: 'prod [production]' })
    expect(await dialog().getByTestId('restore-target-tag').textContent()).toBe('production')
    const prodBox = dialog().getByLabel('I understand this is a production database')
    expect(await prodBox.isChecked()).toBe(false)
    await button('Preview plan').click()
    await dialog().getByTestId('restore-plan').waitFor()
    expect(await dialog().getByTestId('restore-warnings').textContent()).toContain('tagged production')
    await button('Continue').click()
    await confirmInput().pressSequentially(PROD_DB)
    expect(await button('Restore').isDisabled()).toBe(true)
    await prodBox.check()
    expect(await button('Restore').isEnabled()).toBe(true)
    // Choosing another target throws the plan and the typed name away.
    await targetSelect().selectOption({ label: 'staging [staging]' })
    await dialog().getByTestId('restore-plan').waitFor({ state: 'detached' })
    expect(await confirmInput().count()).toBe(0)
    expect(await prodBox.count()).toBe(0)
    expect(await tablesIn(PROD_DB)).toBe('0')
  })

  step('staging: the database defaults to the profile\'s; a new one needs "Create database"; the plan shows the commands', async () => {
    expect(await dialog().getByTestId('restore-target-tag').textContent()).toBe('staging')
    const database = dialog().getByLabel('Target database')
    expect(await database.inputValue()).toBe((pg as PostgresServer).database)
    await database.fill(STAGING_DB)
    expect(await dialog().getByLabel('Safety backup of the target first').isChecked()).toBe(true)
    await button('Preview plan').click()
    expect(await dialog().getByTestId('restore-dialog-error').textContent()).toContain('create database')
    await dialog().getByLabel('Create database').check()
    expect(await dialog().getByTestId('restore-dialog-error').count()).toBe(0)
    await button('Preview plan').click()
    const plan = dialog().getByTestId('restore-plan')
    await plan.waitFor()
    expect(await plan.getByTestId('restore-steps').textContent()).toContain(`Create database "${STAGING_DB}"`)
    const commands = await plan.getByTestId('restore-plan-commands').locator('code').allTextContents()
    expect(commands.some((c) => c.includes('pg_restore')), commands.join('\n')).toBe(true)
    expect(commands.join('\n')).not.toContain((pg as PostgresServer).password)
    await shot('restore-plan', { docs: true, height: 1000 })
  })

  step('step 2: the typed name must match exactly; it is never pre-filled and paste is refused', async () => {
    await button('Continue').click()
    const input = confirmInput()
    expect(await input.inputValue()).toBe('')
    expect(await input.getAttribute('autocomplete')).toBe('off')
    const restore = button('Restore')
    expect(await restore.isDisabled()).toBe(true)
    await input.pressSequentially(`${STAGING_DB}_x`)
    expect(await restore.isDisabled()).toBe(true)
    await input.fill('')

    // A real paste (clipboard + keyboard) inserts nothing, and the paste event is cancelled.
    await app!.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(app!.bridge.pageUrl).origin })
    await page.evaluate((text) => (globalThis as unknown as { navigator: { clipboard: { writeText(t: string): Promise<void> } } }).navigator.clipboard.writeText(text), STAGING_DB)
    await input.focus()
    await page.keyboard.press('ControlOrMeta+V')
    expect(await input.inputValue()).toBe('')
    const notCancelled = await input.evaluate((node: unknown) => {
      const win = globalThis as unknown as { ClipboardEvent: new (type: string, init: object) => unknown }
      return (node as { dispatchEvent(e: unknown): boolean }).dispatchEvent(new win.ClipboardEvent('paste', { bubbles: true, cancelable: true }))
    })
    expect(notCancelled).toBe(false)
    expect(await restore.isDisabled()).toBe(true)

    await input.pressSequentially(STAGING_DB)
    expect(await restore.isEnabled()).toBe(true)
    await shot('restore-confirm', { docs: true, height: 1100 })
  })

  step(
    'restores with live progress and shows the result; the data arrived in staging',
    async () => {
      await recordPhases()
      await button('Restore').click()
      await dialog().getByTestId('restore-progress').waitFor()
      await shot('restore-progress', { height: 1100 })
      const result = dialog().locator('[data-testid="restore-result"]')
      await result.waitFor({ timeout: 60_000 })
      expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('success')
      expect(await result.textContent()).toMatch(/^Restored in \d/)
      const phases = await phasesSeen()
      expect(phases.at(-1)).toBe('success')
      expect(phases.length, phases.join(' → ')).toBeGreaterThan(1)
      expect(await dialog().getByTestId('restore-step').textContent()).toBe('Done')
      await shot('restore-result', { height: 1100 })
      expect(await fingerprint(STAGING_DB)).toBe(await fingerprint(SOURCE_DB))
      expect(await tablesIn(PROD_DB)).toBe('0')
      await button('Close').click()
      await dialog().waitFor({ state: 'detached' })
    },
    90_000,
  )

  step(
    'restoring again into the now existing database takes a safety backup first and names it in the result',
    async () => {
      await page.getByTestId(`backup-row-${backup.id}`).getByRole('button', { name: `Restore ${backup.fileName}`, exact: true }).click()
      await dialog().waitFor()
      await targetSelect().selectOption({ label: 'staging [staging]' })
      await dialog().getByLabel('Target database').fill(STAGING_DB)
      await dialog().getByLabel('Drop existing objects').check()
      await button('Preview plan').click()
      const steps = dialog().getByTestId('restore-steps')
      await steps.waitFor()
      expect(await steps.textContent()).toContain('safety backup')
      await button('Continue').click()
      await confirmInput().pressSequentially(STAGING_DB)
      await button('Restore').click()
      const result = dialog().locator('[data-testid="restore-result"]')
      await result.waitFor({ timeout: 60_000 })
      expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('success')
      const safetyId = await result.getByTestId('restore-safety-id').textContent()
      const safety = await core.handlers['backups.get']({ id: safetyId ?? '' })
      expect(safety).toMatchObject({ reason: 'pre-restore', status: 'success', profileName: 'staging' })
      expect(await fingerprint(STAGING_DB)).toBe(await fingerprint(SOURCE_DB))
      await button('Close').click()
      await dialog().waitFor({ state: 'detached' })
    },
    90_000,
  )

  step('the Restore page lists the backup; the dialog opens again with no target remembered', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Restore' }).click()
    await page.getByRole('heading', { level: 1, name: 'Restore' }).waitFor()
    await page.getByTestId(`restore-row-${backup.id}`).getByRole('button', { name: `Restore ${backup.fileName}` }).click()
    await dialog().waitFor()
    expect(await targetSelect().inputValue()).toBe('')
    await shot('restore-page')
    await button('Cancel').click()
    await dialog().waitFor({ state: 'detached' })
  })

  step('ran without CSP violations or page errors', async () => {
    expect(app!.problems).toEqual([])
  })
})
