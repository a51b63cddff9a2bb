import Database from 'better-sqlite3'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import type { Bridge } from '../../src/main/bridge'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import { profilePasswordRef } from '../../src/main/core/secrets/secret-store'
import { isAvailable } from '../support/context'
import { missingPrerequisite, openApp, type OpenedApp } from './browser'

/**
 * The Profiles page driven in headless Chromium, served by the loopback bridge from a real core
 * (temp home, real store, real probes) and a real throwaway PostgreSQL from the global setup.
 * The steps build on each other, in order: create, conflict, edit, screenshot, remove.
 */
const missing = missingPrerequisite()
const pg = inject('servers').postgres
const pgMissing = isAvailable(pg) ? null : `PostgreSQL unavailable: ${pg.unavailable}`
const SCREENSHOT = resolve(__dirname, '../../test-results/profiles.png')
const DOCS_SCREENSHOT = resolve(__dirname, '../../docs/screenshots/profiles.png')

let dir: string
let core: LifeboatCore
let bridge: Bridge
let page: Page
let pageProblems: string[] = []
let app: OpenedApp | undefined

/** One step of the story; skipped with the reason when a prerequisite is missing (failed under CI). */
function step(name: string, run: () => Promise<void>, needs: { postgres?: boolean } = {}) {
  it(name, async (ctx) => {
    if (missing) return ctx.skip(missing)
    if (needs.postgres && pgMissing) return ctx.skip(pgMissing)
    await run()
  })
}

const form = (): Locator => page.getByTestId('profile-form')
const field = (label: string): Locator => form().getByLabel(label, { exact: true })
const row = (name: string): Locator => page.getByTestId(`profile-row-${name}`)
const settled = (scope: Locator): Locator => scope.locator('[data-testid="test-result"]:not([data-status="running"])')

async function fillProfile(values: Record<string, string>): Promise<void> {
  // The engine first: switching it resets the port to that engine's default.
  if (values.Engine) await field('Engine').selectOption(values.Engine)
  for (const [label, value] of Object.entries(values)) {
    if (label === 'Engine') continue
    if (label === 'Tag') await field('Tag').selectOption(value)
    else await field(label).fill(value)
  }
}

async function openNewProfile(): Promise<void> {
  await page.getByRole('button', { name: 'New profile' }).click()
  await form().waitFor()
}

async function cancelForm(): Promise<void> {
  await form().getByRole('button', { name: 'Cancel' }).click()
  await form().waitFor({ state: 'detached' })
}

beforeAll(async () => {
  if (missing) {
    if (process.env.CI === 'true') throw new Error(missing)
    console.warn(`[e2e] skipped: ${missing}`)
    return
  }
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-'))
  core = createApp({ home: join(dir, 'home'), origin: 'ui', logger: silentLogger })
  app = await openApp(core)
  ;({ bridge, page } = app)
  pageProblems = app.problems
})

afterAll(async () => {
  await app?.close()
  core?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the Profiles page', () => {
  step('opens the app shell and navigates to Profiles', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' })
    expect(await nav.getByRole('link').allTextContents()).toEqual([
      'Dashboard', 'Profiles', 'Backups', 'Restore', 'Schedules', 'Destinations', 'Activity', 'Settings',
    ])
    expect(page.url()).not.toContain(bridge.token) // the client drops it from the address bar
    await nav.getByRole('link', { name: 'Profiles' }).click()
    await page.getByRole('heading', { level: 1, name: 'Profiles' }).waitFor()
    expect(page.url()).toMatch(/#\/profiles$/)
    await page.getByTestId('profiles-empty').waitFor()
  })

  step('shows a validation error next to the port for 70000 and saves nothing', async () => {
    await openNewProfile()
    await fillProfile({ Engine: 'postgres', Name: 'pg-bad', Host: '127.0.0.1', Port: '70000', User: 'app', Database: 'shop' })
    await form().getByRole('button', { name: 'Create profile' }).click()
    const error = form().getByTestId('error-port')
    expect(await error.textContent()).toBe('expected a port between 1 and 65535')
    expect(await field('Port').getAttribute('aria-invalid')).toBe('true')
    expect(await field('Port').getAttribute('aria-describedby')).toBe(await error.getAttribute('id'))
    expect(core.profiles.list()).toEqual([])
    // After the first attempt, errors follow the typing.
    await field('Port').fill('5433')
    await error.waitFor({ state: 'detached' })
    await field('Name').fill('bad name!')
    await form().getByTestId('error-name').waitFor()
    await cancelForm()
    expect(core.profiles.list()).toEqual([])
  })

  step(
    'creates a PostgreSQL profile, tests the draft and sees the server version',
    async () => {
      if (!isAvailable(pg)) return
      await openNewProfile()
      await fillProfile({
        Engine: 'postgres',
        Name: 'pg-main',
        Tag: 'production',
        Host: pg.host,
        Port: String(pg.port),
        User: pg.user,
        Password: pg.password,
        Database: pg.database,
        'Client tools directory': pg.binDir,
      })
      await form().getByRole('button', { name: 'Test connection' }).click()
      const result = settled(form())
      expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('ok')
      expect(await result.textContent()).toMatch(new RegExp(`^Connected — PostgreSQL ${pg.version.replace('.', '\\.')} · pg_dump [\\d.]+ \\(.+pg_dump\\) · \\d+ ms`))
      await form().getByRole('button', { name: 'Create profile' }).click()
      await form().waitFor({ state: 'detached' })
      await row('pg-main').getByTestId('password-saved').waitFor()
      expect(await row('pg-main').textContent()).toContain(`${pg.host}:${pg.port}`)
      expect(await row('pg-main').getByTestId('tag-badge').textContent()).toBe('production')
      expect(core.profiles.list()).toMatchObject([{ name: 'pg-main', engine: 'postgres', hasPassword: true, clientBinDir: pg.binDir }])
      expect(await page.content()).not.toContain(pg.password)
    },
    { postgres: true },
  )

  step('creates a SQLite profile, and a duplicate name shows the CONFLICT on the name field', async () => {
    const file = join(dir, 'inventory.sqlite')
    const db = new Database(file)
    db.exec('CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO items (name) VALUES (\'anchor\')')
    db.close()
    await openNewProfile()
    await fillProfile({ Engine: 'sqlite', Name: 'inventory', Tag: 'dev', 'Database file': file })
    expect(await field('Host').count()).toBe(0) // server fields are gone for SQLite
    await form().getByRole('button', { name: 'Create profile' }).click()
    await row('inventory').waitFor()

    await openNewProfile()
    await fillProfile({ Engine: 'sqlite', Name: 'Inventory', 'Database file': file })
    await form().getByRole('button', { name: 'Create profile' }).click()
    const error = form().getByTestId('error-name')
    expect(await error.textContent()).toBe('a profile named "inventory" already exists')
    expect(core.profiles.list().filter((p) => p.engine === 'sqlite')).toHaveLength(1)
    await field('Name').fill('inventory-2') // the server error clears once the field changes
    await error.waitFor({ state: 'detached' })
    await cancelForm()
  })

  step(
    'edits a profile leaving the password empty: the saved one is kept and the test still succeeds',
    async () => {
      if (!isAvailable(pg)) return
      await row('pg-main').getByRole('button', { name: 'Edit pg-main' }).click()
      expect(await field('Password').inputValue()).toBe('') // write-only: never sent back
      expect(await form().textContent()).toContain('Leave empty to keep the saved password.')
      await field('Name').fill('pg-prod')
      await form().getByRole('button', { name: 'Save' }).click()
      await row('pg-prod').waitFor()
      expect(core.profiles.list().find((p) => p.name === 'pg-prod')?.hasPassword).toBe(true)
      await row('pg-prod').getByRole('button', { name: 'Test pg-prod' }).click()
      const result = settled(page.getByTestId('profile-test-pg-prod'))
      expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('ok')
      expect(await result.textContent()).toContain(`Connected — PostgreSQL ${pg.version}`)
    },
    { postgres: true },
  )

  step('saves a screenshot of the page with a successful test result', async () => {
    await row('inventory').getByRole('button', { name: 'Test inventory' }).click()
    const result = settled(page.getByTestId('profile-test-inventory'))
    expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('ok')
    mkdirSync(resolve(SCREENSHOT, '..'), { recursive: true })
    await page.screenshot({ path: SCREENSHOT, fullPage: true })
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      mkdirSync(resolve(DOCS_SCREENSHOT, '..'), { recursive: true })
      copyFileSync(SCREENSHOT, DOCS_SCREENSHOT)
    }
  })

  step('removes a profile and its saved password after an in-app confirmation', async () => {
    const target = pgMissing ? 'inventory' : 'pg-prod'
    const profile = core.profiles.list().find((p) => p.name === target)
    if (!profile) throw new Error(`${target} should exist by now`)
    const dialog = page.getByRole('dialog')

    await row(target).getByRole('button', { name: `Remove ${target}` }).click()
    await dialog.waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached' })
    expect(core.profiles.list().some((p) => p.id === profile.id)).toBe(true)

    await row(target).getByRole('button', { name: `Remove ${target}` }).click()
    if (profile.hasPassword) expect(await dialog.textContent()).toContain('its saved password is deleted too')
    await dialog.getByRole('button', { name: 'Remove profile' }).click()
    await row(target).waitFor({ state: 'detached' })
    expect(core.profiles.list().some((p) => p.id === profile.id)).toBe(false)
    expect(await core.secrets.get(profilePasswordRef(profile.id))).toBeUndefined()
  })

  step('reloads the list when another client changes the profiles (profiles.changed event)', async () => {
    await core.profiles.create({ profile: { engine: 'sqlite', name: 'from-cli', tag: null, file: join(dir, 'cli.sqlite') } })
    await row('from-cli').waitFor()
  })

  step('ran without CSP violations or page errors', async () => {
    expect(pageProblems).toEqual([])
  })
})
