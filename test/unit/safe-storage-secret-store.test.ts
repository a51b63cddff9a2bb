import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { redact } from '../../src/main/core/logging/redact'
import { FileSecretStore } from '../../src/main/core/secrets/file-secret-store'
import { tempDir } from '../support/temp-home'

vi.mock('electron', () => ({ safeStorage: undefined }))
const { SafeStorageSecretStore, createDesktopSecretStore } = await import('../../src/main/electron/safe-storage-secret-store')
type SafeStorageLike = import('../../src/main/electron/safe-storage-secret-store').SafeStorageLike

/** A reversible "encryption" (byte-wise rotate + marker) standing in for the OS keychain. */
const scramble = (s: string) => Buffer.concat([Buffer.from('ENC:'), Buffer.from(s, 'utf8').map((b) => (b + 13) % 256)])
const unscramble = (b: Buffer) => {
  if (b.subarray(0, 4).toString() !== 'ENC:') throw new Error('bad ciphertext')
  return Buffer.from(b.subarray(4).map((x) => (x + 243) % 256)).toString('utf8')
}

function fakeSafeStorage(opts: { backend?: string; available?: boolean; async?: boolean } = {}) {
  const calls: string[] = []
  const sync: SafeStorageLike = {
    isEncryptionAvailable: () => opts.available ?? true,
    encryptString: (s) => (calls.push('encryptString'), scramble(s)),
    decryptString: (b) => (calls.push('decryptString'), unscramble(b)),
    getSelectedStorageBackend: () => opts.backend ?? 'gnome_libsecret',
  }
  if (opts.async === false) return { storage: sync, calls }
  const storage: SafeStorageLike = {
    ...sync,
    isAsyncEncryptionAvailable: async () => opts.available ?? true,
    encryptStringAsync: async (s) => (calls.push('encryptStringAsync'), scramble(s)),
    decryptStringAsync: async (b) => (calls.push('decryptStringAsync'), { result: unscramble(b), shouldReEncrypt: false }),
  }
  return { storage, calls }
}

const REF = 'profile/p1/password'
const SECRET = 'hunter2-correct-horse'

describe('SafeStorageSecretStore (fake safeStorage)', () => {
  it('round-trips through the async API, into a 0600 file without plaintext', async () => {
    const dir = tempDir()
    const { storage, calls } = fakeSafeStorage()
    const store = new SafeStorageSecretStore(dir, storage, 'linux')
    await store.set(REF, SECRET)
    expect(await store.get(REF)).toBe(SECRET)
    expect(calls).toEqual(['encryptStringAsync', 'decryptStringAsync'])
    const file = join(dir, 'secrets.keychain.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain(SECRET)
    expect(JSON.parse(text)).toMatchObject({ version: 1, secrets: { [REF]: expect.any(String) } })
    expect(store.kind).toBe('keychain')
    expect(redact(`connecting with ${SECRET}`)).toBe('connecting with ***')
    await store.delete(REF)
    expect(await store.get(REF)).toBeUndefined()
  })

  it('falls back to the sync API when the async one is absent', async () => {
    const { storage, calls } = fakeSafeStorage({ async: false })
    const store = new SafeStorageSecretStore(tempDir(), storage, 'linux')
    await store.set(REF, SECRET)
    expect(await store.get(REF)).toBe(SECRET)
    expect(calls).toEqual(['encryptString', 'decryptString'])
  })

  it('reports kind plaintext on Linux with the basic_text backend, and says so', () => {
    const store = new SafeStorageSecretStore(tempDir(), fakeSafeStorage({ backend: 'basic_text' }).storage, 'linux')
    expect(store.kind).toBe('plaintext')
    expect(store.description).toMatch(/NOT protected by a keychain/)
    // The backend query is Linux-only.
    expect(new SafeStorageSecretStore(tempDir(), fakeSafeStorage({ backend: 'basic_text' }).storage, 'darwin').kind).toBe('keychain')
  })

  it('refuses to store when encryption is unavailable, writing nothing', async () => {
    const dir = tempDir()
    const store = new SafeStorageSecretStore(dir, fakeSafeStorage({ available: false }).storage, 'linux')
    await expect(store.set(REF, SECRET)).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringMatching(/keychain is not available/) })
    expect(statSync(join(dir, 'secrets.keychain.json'), { throwIfNoEntry: false })).toBeUndefined()
  })

  it('migrates the CLI secrets.json once, leaving it for the CLI', async () => {
    const dir = tempDir()
    const cli = new FileSecretStore(join(dir, 'secrets.json'))
    await cli.set(REF, SECRET)
    await cli.set('profile/p2/password', 'other-secret')
    const store = new SafeStorageSecretStore(dir, fakeSafeStorage().storage, 'linux')
    expect(await store.migrateFromFileStore()).toBe(2)
    expect(await store.migrateFromFileStore()).toBe(0) // keychain no longer empty
    expect(await store.get('profile/p2/password')).toBe('other-secret')
    expect(readFileSync(join(dir, 'secrets.keychain.json'), 'utf8')).not.toContain('other-secret')
    expect(await cli.get(REF)).toBe(SECRET) // the CLI keeps working
  })

  it('reads CLI-only secrets, and removes the stale CLI copy when the app changes one', async () => {
    const dir = tempDir()
    const cli = new FileSecretStore(join(dir, 'secrets.json'))
    await cli.set(REF, 'old-password')
    const store = new SafeStorageSecretStore(dir, fakeSafeStorage().storage, 'linux')
    expect(await store.get(REF)).toBe('old-password')
    await store.set(REF, 'new-password')
    expect(await store.get(REF)).toBe('new-password')
    expect(await cli.get(REF)).toBeUndefined()
    await cli.set(REF, 'cli-again') // re-saved with the CLI afterwards: the newer value wins in the app
    expect(await store.get(REF)).toBe('cli-again')
  })

  it('keeps concurrent saves and the background migration from losing each other', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'secrets.json'), JSON.stringify({ version: 1, secrets: { 'profile/cli/password': 'from-cli' } }), { mode: 0o600 })
    const store = createDesktopSecretStore(dir, fakeSafeStorage().storage)
    await Promise.all([store.set('profile/a/password', 'aaa-secret'), store.set('profile/b/password', 'bbb-secret')])
    await new Promise((r) => setTimeout(r, 10))
    const saved = JSON.parse(readFileSync(join(dir, 'secrets.keychain.json'), 'utf8')) as { secrets: Record<string, string> }
    expect(Object.keys(saved.secrets).sort()).toEqual(['profile/a/password', 'profile/b/password', 'profile/cli/password'])
    expect(await store.get('profile/a/password')).toBe('aaa-secret')
  })

  it('reports a ciphertext the keychain cannot decrypt as an AppError', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'secrets.keychain.json'), JSON.stringify({ version: 1, secrets: { [REF]: Buffer.from('garbage').toString('base64') } }), { mode: 0o600 })
    const store = new SafeStorageSecretStore(dir, fakeSafeStorage().storage, 'linux')
    await expect(store.get(REF)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' })
  })
})
