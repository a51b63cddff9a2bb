import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import { isAvailable } from '../support/context'
import { startSshd, sshdUnavailable, type SshdServer } from '../support/sshd-server'
import { missingPrerequisite, openApp, type OpenedApp, screenshot } from './browser'

/**
 * A PostgreSQL profile through an SSH tunnel, driven in headless Chromium against the real core
 * (loopback bridge, real store, real probe) with a throwaway sshd (key-only login) in front of the
 * throwaway PostgreSQL of the global setup. The steps build on each other, in order: fill the form,
 * decline the unknown host key, trust it, save, edit, a jump host (the same sshd), a key passphrase,
 * a re-keyed server, then a validation error.
 */
const missing = missingPrerequisite()
const pg = inject('servers').postgres
const pgMissing = isAvailable(pg) ? null : `PostgreSQL unavailable: ${pg.unavailable}`
const NAME = 'pg-via-ssh'

let dir: string
let core: LifeboatCore
let page: Page
let app: OpenedApp | undefined
let sshd: SshdServer | undefined
let sshdMissing: string | null = null
let knownHosts: string

/** One step of the story; skipped with the reason when a prerequisite is missing (sshdUnavailable throws under CI). */
function step(name: string, run: (server: SshdServer) => Promise<void>, needs: { postgres?: boolean } = {}) {
  it(name, async (ctx) => {
    if (missing) return ctx.skip(missing)
    if (sshdMissing) return ctx.skip(sshdMissing)
    if (needs.postgres && pgMissing) return ctx.skip(pgMissing)
    await run(sshd!)
  })
}

/** Into test-results; with UPDATE_SCREENSHOTS=1 also into docs/screenshots. */
const shot = (name: string) => screenshot(page, name)

const form = (): Locator => page.getByTestId('profile-form')
const field = (label: string): Locator => form().getByLabel(label, { exact: true })
const row = (name: string): Locator => page.getByTestId(`profile-row-${name}`)
const settled = (scope: Locator): Locator => scope.locator('[data-testid="test-result"]:not([data-status="running"])')
const dialog = (): Locator => page.getByRole('dialog')

async function openNewProfile(): Promise<void> {
  await page.getByRole('button', { name: 'New profile' }).click()
  await form().waitFor()
}

async function testConnection(): Promise<Locator> {
  await form().getByRole('button', { name: 'Test connection' }).click()
  return settled(form())
}

async function expectHostKeyOffer(server: SshdServer): Promise<void> {
  await dialog().waitFor()
  expect(await dialog().getByTestId('offered-host-endpoint').textContent()).toBe(`${server.host}:${server.port}`)
  expect(await dialog().getByTestId('offered-host-key').textContent()).toBe(server.hostKeyFingerprint)
  expect(await dialog().textContent()).toContain('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub')
}

beforeAll(async () => {
  if (missing) {
    if (process.env.CI === 'true') throw new Error(missing)
    console.warn(`[e2e] skipped: ${missing}`)
    return
  }
  sshdMissing = await sshdUnavailable()
  if (sshdMissing) {
    console.warn(`[e2e] SSH profile steps skipped: ${sshdMissing}`)
    return
  }
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-ssh-'))
  // An empty known_hosts file of our own: whatever ~/.ssh/known_hosts holds must not vouch for the test server.
  knownHosts = join(dir, 'known_hosts')
  writeFileSync(knownHosts, '')
  sshd = await startSshd()
  core = createApp({ home: join(dir, 'home'), origin: 'ui', logger: silentLogger })
  app = await openApp(core)
  page = app.page
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profiles' }).click()
  await page.getByRole('heading', { level: 1, name: 'Profiles' }).waitFor()
}, 120_000)

afterAll(async () => {
  await app?.close()
  core?.close()
  await sshd?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('a profile through SSH', () => {
  step(
    'fills the SSH tunnel settings; an unknown host key is shown to compare, and Cancel pins nothing',
    async (server) => {
      if (!isAvailable(pg)) return
      await openNewProfile()
      await field('Engine').selectOption('postgres')
      await field('Name').fill(NAME)
      // As seen from the SSH host, which is this machine.
      await field('Host').fill('127.0.0.1')
      await field('Port').fill(String(pg.port))
      await field('User').fill(pg.user)
      await field('Password').fill(pg.password)
      await field('Database').fill(pg.database)
      await field('Client tools directory').fill(pg.binDir)

      expect(await form().getByTestId('ssh-section').count()).toBe(0)
      await form().getByLabel('Connect through SSH').check()
      await form().getByTestId('ssh-section').waitFor()
      expect(await form().getByRole('radio', { name: /^Tunnel/ }).isChecked()).toBe(true)
      await field('SSH host').fill(server.host)
      await field('SSH port').fill(String(server.port))
      await field('SSH user').fill(server.user)
      expect(await field('Authentication').inputValue()).toBe('publickey')
      await field('Private key file').fill(server.clientKeyPath)
      expect(await field('Key passphrase').inputValue()).toBe('') // an unencrypted key: none
      await field('known_hosts file').fill(knownHosts)
      expect(await field('Host key').inputValue()).toBe('')
      expect(await form().getByRole('button', { name: 'Forget the host key' }).count()).toBe(0)

      const result = await testConnection()
      expect(await result.getAttribute('data-status')).toBe('failed')
      await expectHostKeyOffer(server)
      await shot('profile-ssh-hostkey')
      expect(await result.getByTestId('failed-hop').textContent()).toBe(`SSH host ${server.user}@${server.host}:${server.port} failed:`)
      expect(await result.textContent()).toContain('Unknown host key')

      await dialog().getByRole('button', { name: 'Cancel' }).click()
      await dialog().waitFor({ state: 'detached' })
      expect(await field('Host key').inputValue()).toBe('')
      expect(await result.getByTestId('host-keys-seen').textContent()).toBe(
        `SSH host ${server.host}:${server.port}: ${server.hostKeyFingerprint} — not trusted yet`,
      )

      // Nothing was pinned: a new test stops at the same key again.
      await testConnection()
      await expectHostKeyOffer(server)
    },
    { postgres: true },
  )

  step(
    'Trust pins the key and tests again: the server version comes back through the tunnel',
    async (server) => {
      if (!isAvailable(pg)) return
      await dialog().getByRole('button', { name: 'Trust this key' }).click()
      await dialog().waitFor({ state: 'detached' })
      expect(await field('Host key').inputValue()).toBe(server.hostKeyFingerprint)
      await form().getByRole('button', { name: 'Forget the host key' }).waitFor()

      const result = settled(form())
      await result.waitFor()
      expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('ok')
      expect(await result.textContent()).toMatch(new RegExp(`^Connected — PostgreSQL ${pg.version.replace('.', '\\.')} · pg_dump [\\d.]+ \\(.+pg_dump\\) · \\d+ ms`))
      expect(await result.getByTestId('host-keys-seen').textContent()).toBe(`SSH host ${server.host}:${server.port}: ${server.hostKeyFingerprint} — pinned`)
      expect(core.profiles.list()).toEqual([]) // pinned in the draft only, until saved
      await shot('profile-ssh')
    },
    { postgres: true },
  )

  step(
    'saves the profile with its pinned key; the list says it goes through SSH and a saved test succeeds',
    async (server) => {
      if (!isAvailable(pg)) return
      await form().getByRole('button', { name: 'Create profile' }).click()
      await form().waitFor({ state: 'detached' })
      expect(await row(NAME).getByTestId('profile-ssh').textContent()).toBe(`via SSH ${server.user}@${server.host}:${server.port}`)
      const [saved] = core.profiles.list()
      expect(saved).toMatchObject({
        name: NAME,
        engine: 'postgres',
        host: '127.0.0.1',
        port: pg.port,
        hasPassword: true,
        hasSshSecret: false,
        ssh: {
          mode: 'tunnel',
          hop: { host: server.host, port: server.port, user: server.user, auth: 'publickey', privateKeyPath: server.clientKeyPath, hostKey: server.hostKeyFingerprint },
          jump: null,
          knownHostsPath: knownHosts,
          keepaliveSeconds: 15,
          connectTimeoutSeconds: 15,
        },
      })

      await row(NAME).getByRole('button', { name: `Test ${NAME}` }).click()
      const result = settled(page.getByTestId(`profile-test-${NAME}`))
      expect(await result.getAttribute('data-status'), (await result.textContent()) ?? '').toBe('ok')
      expect(await result.textContent()).toContain(`Connected — PostgreSQL ${pg.version}`)
    },
    { postgres: true },
  )

  step(
    'editing shows the pinned key read-only; Forget unpins it in the draft and Cancel keeps the saved one',
    async (server) => {
      if (!isAvailable(pg)) return
      await row(NAME).getByRole('button', { name: `Edit ${NAME}` }).click()
      await form().waitFor()
      expect(await form().getByLabel('Connect through SSH').isChecked()).toBe(true)
      expect(await field('Host key').inputValue()).toBe(server.hostKeyFingerprint)
      expect(await field('Host key').getAttribute('readonly')).not.toBeNull()
      await form().getByRole('button', { name: 'Forget the host key' }).click()
      expect(await field('Host key').inputValue()).toBe('')
      await form().getByRole('button', { name: 'Cancel' }).click()
      await form().waitFor({ state: 'detached' })
      expect(core.profiles.list()).toMatchObject([{ name: NAME, ssh: { hop: { hostKey: server.hostKeyFingerprint } } }])
    },
    { postgres: true },
  )

  step(
    'a jump host in front: its own unknown key is offered, trusted, pinned as ssh.jump.hostKey and saved',
    async (server) => {
      if (!isAvailable(pg)) return
      // The same sshd serves as the jump host, forwarding to itself.
      await row(NAME).getByRole('button', { name: `Edit ${NAME}` }).click()
      await form().waitFor()
      await form().getByLabel('Through a jump host').check()
      await field('Jump host').fill(server.host)
      await field('Jump host port').fill(String(server.port))
      await field('Jump host user').fill(server.user)
      await field('Jump host private key file').fill(server.clientKeyPath)
      expect(await field('Jump host key').inputValue()).toBe('')

      const result = await testConnection()
      expect(await result.getAttribute('data-status')).toBe('failed')
      await expectHostKeyOffer(server)
      expect(await dialog().textContent()).toContain('The jump host')
      expect(await result.getByTestId('failed-hop').textContent()).toBe(`Jump host ${server.user}@${server.host}:${server.port} failed:`)
      await dialog().getByRole('button', { name: 'Trust this key' }).click()
      await dialog().waitFor({ state: 'detached' })
      expect(await field('Jump host key').inputValue()).toBe(server.hostKeyFingerprint)
      expect(await field('Host key').inputValue()).toBe(server.hostKeyFingerprint)

      const retried = settled(form())
      await retried.waitFor()
      expect(await retried.getAttribute('data-status'), (await retried.textContent()) ?? '').toBe('ok')
      expect(await retried.getByTestId('host-keys-seen').getByRole('listitem').allTextContents()).toEqual([
        `Jump host ${server.host}:${server.port}: ${server.hostKeyFingerprint} — pinned`,
        `SSH host ${server.host}:${server.port}: ${server.hostKeyFingerprint} — pinned`,
      ])

      await form().getByRole('button', { name: 'Save' }).click()
      await form().waitFor({ state: 'detached' })
      const via = `via SSH ${server.user}@${server.host}:${server.port}`
      expect(await row(NAME).getByTestId('profile-ssh').textContent()).toBe(`${via} through ${server.user}@${server.host}:${server.port}`)
      expect(core.profiles.list()[0]).toMatchObject({
        hasPassword: true,
        ssh: { hop: { hostKey: server.hostKeyFingerprint }, jump: { host: server.host, port: server.port, auth: 'publickey', hostKey: server.hostKeyFingerprint } },
      })
    },
    { postgres: true },
  )

  step(
    'a passphrase-protected key: the passphrase is write-only, kept when left empty, removed on request',
    async (server) => {
      if (!isAvailable(pg)) return
      await row(NAME).getByRole('button', { name: `Edit ${NAME}` }).click()
      await form().waitFor()
      await field('Private key file').fill(server.encryptedClientKeyPath)
      const without = await testConnection()
      expect(await without.getAttribute('data-status')).toBe('failed')
      expect(await without.getByTestId('failed-hop').textContent()).toBe(`SSH host ${server.user}@${server.host}:${server.port} failed:`)

      await field('Key passphrase').fill(server.encryptedClientKeyPassphrase)
      const withPassphrase = await testConnection()
      expect(await withPassphrase.getAttribute('data-status'), (await withPassphrase.textContent()) ?? '').toBe('ok')
      await form().getByRole('button', { name: 'Save' }).click()
      await form().waitFor({ state: 'detached' })
      expect(core.profiles.list()[0]).toMatchObject({ hasSshSecret: true, hasJumpSecret: false, ssh: { hop: { privateKeyPath: server.encryptedClientKeyPath } } })
      expect(await page.content()).not.toContain(server.encryptedClientKeyPassphrase)

      // Never sent back; left empty, the test of the draft uses the saved one.
      await row(NAME).getByRole('button', { name: `Edit ${NAME}` }).click()
      expect(await field('Key passphrase').inputValue()).toBe('')
      expect(await field('Key passphrase').getAttribute('placeholder')).toBe('(saved)')
      expect(await form().textContent()).toContain('Leave empty to keep the saved passphrase.')
      const saved = await testConnection()
      expect(await saved.getAttribute('data-status'), (await saved.textContent()) ?? '').toBe('ok')

      await form().getByLabel('Remove saved passphrase').check()
      expect(await field('Key passphrase').isDisabled()).toBe(true)
      await form().getByRole('button', { name: 'Save' }).click()
      await form().waitFor({ state: 'detached' })
      expect(core.profiles.list()[0]).toMatchObject({ hasSshSecret: false, hasPassword: true })
    },
    { postgres: true },
  )

  step(
    'a re-keyed server is refused with both fingerprints, and no dialog offers to accept the new key',
    async (server) => {
      if (!isAvailable(pg)) return
      const trusted = server.hostKeyFingerprint
      await server.restart({ newHostKey: true })
      expect(server.hostKeyFingerprint).not.toBe(trusted)

      await row(NAME).getByRole('button', { name: `Test ${NAME}` }).click()
      const result = settled(page.getByTestId(`profile-test-${NAME}`))
      expect(await result.getAttribute('data-status')).toBe('failed')
      const text = (await result.textContent()) ?? ''
      expect(text).toContain('Host key changed')
      expect(text).toContain(trusted)
      expect(text).toContain(server.hostKeyFingerprint)
      await result.getByTestId('host-key-refused').waitFor()
      expect(await dialog().count()).toBe(0)

      // Neither does a test from the form.
      await row(NAME).getByRole('button', { name: `Edit ${NAME}` }).click()
      const formResult = await testConnection()
      expect(await formResult.getAttribute('data-status')).toBe('failed')
      await formResult.getByTestId('host-key-refused').waitFor()
      expect(await dialog().count()).toBe(0)
      await form().getByRole('button', { name: 'Cancel' }).click()
      await form().waitFor({ state: 'detached' })
    },
    { postgres: true },
  )

  step('an SSH port of 70000 shows next to the SSH port field and saves nothing', async (server) => {
    const before = core.profiles.list().length
    await openNewProfile()
    await field('Engine').selectOption('postgres')
    await field('Name').fill('pg-bad-ssh')
    await field('Host').fill('127.0.0.1')
    await field('User').fill('app')
    await field('Database').fill('shop')
    await form().getByLabel('Connect through SSH').check()
    await field('SSH host').fill(server.host)
    await field('SSH port').fill('70000')
    await field('SSH user').fill(server.user)
    await field('Private key file').fill(server.clientKeyPath)
    await form().getByRole('button', { name: 'Create profile' }).click()

    const error = form().getByTestId('error-ssh-hop-port')
    expect(await error.textContent()).toBe('expected a port between 1 and 65535')
    expect(await field('SSH port').getAttribute('aria-invalid')).toBe('true')
    expect(await field('SSH port').getAttribute('aria-describedby')).toBe(await error.getAttribute('id'))
    expect(core.profiles.list()).toHaveLength(before)

    // After the first attempt, errors follow the typing; a relative key path is refused too.
    await field('SSH port').fill('22')
    await error.waitFor({ state: 'detached' })
    await field('Private key file').fill('id_ed25519')
    expect(await form().getByTestId('error-ssh-hop-privateKeyPath').textContent()).toBe('expected an absolute path')
    await form().getByRole('button', { name: 'Cancel' }).click()
    await form().waitFor({ state: 'detached' })
    expect(core.profiles.list()).toHaveLength(before)
  })

  step('ran without CSP violations or page errors', async () => {
    expect(app?.problems ?? []).toEqual([])
  })
})
