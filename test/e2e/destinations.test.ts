import Database from 'better-sqlite3'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import { BackupsRepo } from '../../src/main/core/store/backups-repo'
import { startSshd, sshdUnavailable, type SshdServer } from '../support/sshd-server'
import { missingPrerequisite, openApp, type OpenedApp, screenshot } from './browser'

/**
 * The Destinations page in headless Chromium against the real core (loopback bridge, real store,
 * real SQLite backups). Local folders only, plus the SFTP form up to an accepted host key when a
 * throwaway sshd can start. The steps build on each other, in order.
 */
const missing = missingPrerequisite()
const NAS = 'nas'
const SFTP = 'offsite'

let dir: string
let core: LifeboatCore
let page: Page
let app: OpenedApp | undefined
let profileId: string
let backupId: string
let nasFolder: string
let sshd: SshdServer | undefined
let sshdMissing: string | null = null

function step(name: string, run: () => Promise<void>, needs: { sshd?: boolean } = {}) {
  it(name, async (ctx) => {
    if (missing) return ctx.skip(missing)
    if (needs.sshd && sshdMissing) return ctx.skip(sshdMissing)
    await run()
  })
}

/** Into test-results; with UPDATE_SCREENSHOTS=1 also into docs/screenshots unless `docs` is false. */
const shot = (name: string, docs = true) => screenshot(page, name, { docs })

const form = (): Locator => page.getByTestId('destination-form')
const field = (label: string): Locator => form().getByLabel(label, { exact: true })
const row = (name: string): Locator => page.getByTestId(`destination-row-${name}`)
const results = (name: string): Locator => page.getByTestId(`destination-results-${name}`)
const settled = (scope: Locator, testId: string): Locator => scope.locator(`[data-testid="${testId}"]:not([data-status="running"])`)
const dialog = (): Locator => page.getByRole('dialog')

async function openNewDestination(type: string): Promise<void> {
  await page.getByRole('button', { name: 'New destination' }).click()
  await form().waitFor()
  await field('Type').selectOption(type)
}

async function expectOk(result: Locator): Promise<string> {
  const text = (await result.textContent()) ?? ''
  expect(await result.getAttribute('data-status'), text).toBe('ok')
  return text
}

beforeAll(async () => {
  if (missing) {
    if (process.env.CI === 'true') throw new Error(missing)
    console.warn(`[e2e] skipped: ${missing}`)
    return
  }
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-destinations-'))
  nasFolder = join(dir, 'nas-share')
  core = createApp({ home: join(dir, 'home'), origin: 'ui', logger: silentLogger })
  await core.ready
  const file = join(dir, 'ledger.sqlite')
  const db = new Database(file)
  db.exec("CREATE TABLE entries (id INTEGER PRIMARY KEY, memo TEXT); INSERT INTO entries (memo) VALUES ('opening balance')")
  db.close()
  profileId = (await core.profiles.create({ profile: { engine: 'sqlite', name: 'ledger', tag: 'dev', file } })).id

  sshdMissing = await sshdUnavailable()
  if (!sshdMissing) sshd = await startSshd()
  app = await openApp(core)
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  core?.close()
  await sshd?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the Destinations page', () => {
  step('lists the built-in local destination, which can be tested but not edited or removed', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Destinations' }).click()
    await page.getByRole('heading', { level: 1, name: 'Destinations' }).waitFor()
    expect(page.url()).toMatch(/#\/destinations$/)
    await row('local').waitFor()
    expect(await row('local').textContent()).toContain('built-in')
    expect(await row('local').textContent()).toContain('Local folder')
    expect(await row('local').getByTestId('destination-location').textContent()).toBe(core.paths.backups)
    expect(await row('local').getByRole('button', { name: 'Edit local' }).count()).toBe(0)
    expect(await row('local').getByRole('button', { name: 'Remove local' }).count()).toBe(0)
    await row('local').getByRole('button', { name: 'Test local' }).click()
    expect(await expectOk(settled(results('local'), 'test-result'))).toContain(`can write to ${core.paths.backups}`)
  })

  step('a relative path is flagged next to Path and nothing is saved', async () => {
    await openNewDestination('local')
    await field('Name').fill(NAS)
    await field('Path').fill('backups/nas')
    await form().getByRole('button', { name: 'Add destination' }).click()
    const error = form().getByTestId('error-folder')
    expect(await error.textContent()).toBe('expected an absolute path')
    expect(await field('Path').getAttribute('aria-invalid')).toBe('true')
    expect(await field('Path').getAttribute('aria-describedby')).toBe(await error.getAttribute('id'))
    expect(core.destinations.list().map((d) => d.name)).toEqual(['local'])
    // The built-in name is refused by the same schema the server uses.
    await field('Name').fill('LOCAL')
    expect(await form().getByTestId('error-name').textContent()).toBe('"local" is the built-in destination')
    await field('Name').fill(NAS)
  })

  step('a valid folder tests OK from the form, is added and listed with its location', async () => {
    await field('Path').fill(nasFolder)
    await form().getByTestId('error-folder').waitFor({ state: 'detached' })
    await form().getByRole('button', { name: 'Test connection' }).click()
    expect(await expectOk(settled(form(), 'test-result'))).toMatch(new RegExp(`^OK — can write to ${nasFolder} · \\d+ ms$`))
    await form().getByRole('button', { name: 'Add destination' }).click()
    await form().waitFor({ state: 'detached' })
    expect(await page.getByTestId('notice').textContent()).toBe(`Destination “${NAS}” added.`)
    expect(await row(NAS).getByTestId('destination-location').textContent()).toBe(nasFolder)
    expect(await row(NAS).textContent()).toContain('Local folder')
    expect(core.destinations.list().map((d) => d.name)).toEqual(['local', NAS])
  })

  step('the saved destination tests OK from its row', async () => {
    await row(NAS).getByRole('button', { name: `Test ${NAS}` }).click()
    expect(await expectOk(settled(results(NAS), 'test-result'))).toContain(`can write to ${nasFolder}`)
  })

  step('a duplicate name (any case) shows the server’s CONFLICT next to Name', async () => {
    await openNewDestination('local')
    await field('Name').fill('NAS')
    await field('Path').fill(join(dir, 'elsewhere'))
    await form().getByRole('button', { name: 'Add destination' }).click()
    expect(await form().getByTestId('error-name').textContent()).toBe('a destination named "NAS" already exists')
    await form().getByRole('button', { name: 'Cancel' }).click()
    await form().waitFor({ state: 'detached' })
  })

  step('a backup to local and the new destination stores a copy in each', async () => {
    const started = await core.backups.start({ profileId, destinations: ['local', NAS] })
    const backup = await started.finished
    expect(backup.status, backup.error ?? '').toBe('success')
    expect(backup.copies.map((c) => [c.destination, c.status])).toEqual([
      ['local', 'success'],
      [NAS, 'success'],
    ])
    backupId = backup.id
  })

  step('removing a destination that holds a backup is refused with the server’s message', async () => {
    const refusal = await core.handlers['destinations.remove']({ name: NAS }).then(
      () => null,
      (e: Error) => e.message,
    )
    expect(refusal).toMatch(/holds 1 backup/)
    await row(NAS).getByRole('button', { name: `Remove ${NAS}` }).click()
    await dialog().waitFor()
    expect(await dialog().textContent()).toContain(nasFolder)
    await dialog().getByRole('button', { name: 'Remove destination' }).click()
    const error = dialog().getByTestId('remove-error')
    await error.waitFor()
    expect(await error.textContent()).toBe(`Conflict ${refusal}`)
    await dialog().getByRole('button', { name: 'Cancel' }).click()
    await dialog().waitFor({ state: 'detached' })
    expect(await row(NAS).count()).toBe(1)
  })

  step('Scan re-indexes a backup this machine forgot, and names the files it skipped', async () => {
    // A forgotten backup (as on a new machine) and a file that only looks like a manifest.
    new BackupsRepo(core.db).delete(backupId)
    expect(core.backups.list({}).map((b) => b.id)).not.toContain(backupId)
    writeFileSync(join(nasFolder, 'stray.sqlite.manifest.json'), '{}')

    await row(NAS).getByRole('button', { name: `Scan ${NAS}` }).click()
    const result = settled(results(NAS), 'scan-result')
    await result.waitFor()
    expect(await result.getByTestId('scan-summary').textContent()).toBe('2 manifests, 1 added, 0 copies added, 0 already known')
    const skipped = result.getByRole('list', { name: 'Skipped files' }).getByRole('listitem')
    expect(await skipped.count()).toBe(1)
    expect(await skipped.textContent()).toMatch(/^stray\.sqlite\.manifest\.json — not a Lifeboat manifest/)
    expect(core.backups.list({}).map((b) => b.id)).toContain(backupId)
    await shot('destinations')

    // A second scan finds nothing new.
    await row(NAS).getByRole('button', { name: `Scan ${NAS}` }).click()
    await expect.poll(() => results(NAS).getByTestId('scan-summary').textContent()).toBe('2 manifests, 0 added, 0 copies added, 1 already known')
  })

  step(
    'SFTP: the fetched host key is shown to compare and only an accepted one is pinned',
    async () => {
      const server = sshd!
      const remote = join(server.dir, 'remote-backups')
      mkdirSync(remote, { recursive: true })
      await openNewDestination('sftp')
      await field('Name').fill(SFTP)
      await field('Host').fill(server.host)
      await field('Port').fill(String(server.port))
      await field('User').fill(server.user)
      await field('Remote folder').fill(remote)
      await field('Private key file').fill(server.clientKeyPath)

      // Without an accepted key, neither a test nor a save goes out.
      await form().getByRole('button', { name: 'Test connection' }).click()
      expect(await form().getByTestId('error-hostKey').textContent()).toBe('fetch the server’s host key and accept it')

      // Declined: nothing is pinned.
      await form().getByRole('button', { name: 'Fetch host key' }).click()
      await dialog().waitFor()
      expect(await dialog().getByTestId('offered-host-key').textContent()).toBe(server.hostKeyFingerprint)
      expect(await dialog().textContent()).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub')
      await dialog().getByRole('button', { name: 'Cancel' }).click()
      await dialog().waitFor({ state: 'detached' })
      expect(await field('Host key').inputValue()).toBe('')

      // Accepted: pinned in the draft; the test uses it.
      await form().getByRole('button', { name: 'Fetch host key' }).click()
      await dialog().waitFor()
      await shot('host-key-dialog', false)
      await dialog().getByRole('button', { name: 'Accept host key' }).click()
      await dialog().waitFor({ state: 'detached' })
      expect(await field('Host key').inputValue()).toBe(server.hostKeyFingerprint)
      await form().getByTestId('error-hostKey').waitFor({ state: 'detached' })
      await form().getByRole('button', { name: 'Test connection' }).click()
      expect(await expectOk(settled(form(), 'test-result'))).toMatch(/^OK — .+ · \d+ ms$/)
      await shot('destination-form')

      await form().getByRole('button', { name: 'Add destination' }).click()
      await form().waitFor({ state: 'detached' })
      expect(await row(SFTP).getByTestId('destination-location').textContent()).toBe(`sftp://${server.user}@${server.host}:${server.port}${remote}`)
      const saved = core.destinations.get(SFTP).config
      expect(saved).toMatchObject({ type: 'sftp', hostKey: server.hostKeyFingerprint, privateKeyPath: server.clientKeyPath })
    },
    { sshd: true },
  )

  step(
    'SFTP edit: a changed host drops the pinned key until one is accepted again; going back restores it',
    async () => {
      const server = sshd!
      await row(SFTP).getByRole('button', { name: `Edit ${SFTP}` }).click()
      await form().waitFor()
      expect(await field('Name').getAttribute('readonly')).not.toBeNull()
      expect(await field('Host key').inputValue()).toBe(server.hostKeyFingerprint)
      await field('Host').fill('localhost')
      expect(await field('Host key').inputValue()).toBe('')
      await form().getByRole('button', { name: 'Save', exact: true }).click()
      expect(await form().getByTestId('error-hostKey').textContent()).toBe('fetch the server’s host key and accept it')
      await field('Host').fill(server.host)
      expect(await field('Host key').inputValue()).toBe(server.hostKeyFingerprint)
      await form().getByRole('button', { name: 'Cancel' }).click()
      await form().waitFor({ state: 'detached' })
      expect(core.destinations.get(SFTP).config).toMatchObject({ host: server.host })
    },
    { sshd: true },
  )

  step(
    'SFTP credentials are write-only: saved, listed by name, kept when left blank, removed on request',
    async () => {
      const password = 'not-needed-with-the-key-9f3a'
      await row(SFTP).getByRole('button', { name: `Edit ${SFTP}` }).click()
      await field('Password').fill(password)
      await form().getByRole('button', { name: 'Save', exact: true }).click()
      await form().waitFor({ state: 'detached' })
      expect(await row(SFTP).getByTestId('credentials-saved').textContent()).toBe('password saved')
      expect(core.destinations.get(SFTP).secrets).toEqual(['password'])
      expect(await page.content()).not.toContain(password)

      await row(SFTP).getByRole('button', { name: `Edit ${SFTP}` }).click()
      expect(await field('Password').inputValue()).toBe('') // never sent back
      await form().getByTestId('password-saved').waitFor()
      await form().getByRole('button', { name: 'Save', exact: true }).click() // blank keeps it
      await form().waitFor({ state: 'detached' })
      expect(core.destinations.get(SFTP).secrets).toEqual(['password'])

      await row(SFTP).getByRole('button', { name: `Edit ${SFTP}` }).click()
      await form().getByRole('button', { name: 'Remove the saved password' }).click()
      expect(await field('Password').isDisabled()).toBe(true)
      await form().getByRole('button', { name: 'Save', exact: true }).click()
      await form().waitFor({ state: 'detached' })
      await row(SFTP).getByTestId('credentials-saved').waitFor({ state: 'detached' })
      expect(core.destinations.get(SFTP).secrets).toEqual([])
    },
    { sshd: true },
  )

  step('without sshd, the new-destination form is the screenshot instead', async () => {
    if (!sshdMissing) return
    await openNewDestination('local')
    await field('Name').fill('usb-drive')
    await field('Path').fill(join(dir, 'usb'))
    await form().getByRole('button', { name: 'Test connection' }).click()
    await expectOk(settled(form(), 'test-result'))
    await shot('destination-form')
    await form().getByRole('button', { name: 'Cancel' }).click()
  })

  step('reloads the list when another client adds a destination (destinations.changed event)', async () => {
    await core.destinations.create('from-cli', { type: 'local', path: join(dir, 'cli-folder') })
    await row('from-cli').waitFor()
  })

  step('ran without CSP violations or page errors', async () => {
    expect(app?.problems).toEqual([])
  })
})
