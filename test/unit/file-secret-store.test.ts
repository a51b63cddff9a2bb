import { readdirSync, readFileSync, statSync, writeFileSync, chmodSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FileSecretStore } from '../../src/main/core/secrets/file-secret-store'
import { redact } from '../../src/main/core/logging/redact'
import { tempDir } from '../support/temp-home'

const posix = process.platform !== 'win32'

describe('FileSecretStore', () => {
  it('keeps secrets in a 0600 file and reads them back', async () => {
    const dir = tempDir()
    const file = join(dir, 'nested', 'secrets.json')
    const store = new FileSecretStore(file)
    await store.set('profile/a/password', 'p@ss:w\\"rd é')
    await store.set('profile/b/password', 'second')
    expect(await new FileSecretStore(file).get('profile/a/password')).toBe('p@ss:w\\"rd é')
    if (posix) expect(statSync(file).mode & 0o777).toBe(0o600)
    await store.delete('profile/a/password')
    expect(await store.get('profile/a/password')).toBeUndefined()
    expect(await store.get('profile/b/password')).toBe('second')
    expect(readdirSync(join(dir, 'nested'))).toEqual(['secrets.json']) // no temp files left behind
  })

  it('tightens a file that was made readable by others', async () => {
    if (!posix) return
    const file = join(tempDir(), 'secrets.json')
    writeFileSync(file, JSON.stringify({ version: 1, secrets: { x: 'y' } }))
    chmodSync(file, 0o644)
    expect(await new FileSecretStore(file).get('x')).toBe('y')
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('refuses a damaged file with a clear message instead of overwriting it', async () => {
    const file = join(tempDir(), 'secrets.json')
    writeFileSync(file, '{ not json')
    await expect(new FileSecretStore(file).set('a', 'b')).rejects.toThrow(/not valid JSON/)
    expect(readFileSync(file, 'utf8')).toBe('{ not json')
  })

  it('registers every secret it handles for redaction', async () => {
    const store = new FileSecretStore(join(tempDir(), 'secrets.json'))
    await store.set('k', 'hunter2-redact-me')
    expect(redact('login failed for hunter2-redact-me')).toBe('login failed for ***')
  })

  it('explains a password only the desktop app holds (OS keychain) instead of using none', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'secrets.keychain.json'), JSON.stringify({ version: 1, secrets: { 'profile/p/password': 'djEw…ciphertext' } }))
    const store = new FileSecretStore(join(dir, 'secrets.json'), join(dir, 'secrets.keychain.json'))
    await expect(store.get('profile/p/password')).rejects.toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('profile edit NAME --password-env') })
    expect(await store.get('profile/other/password')).toBeUndefined()
    await store.set('profile/p/password', 're-entered')
    expect(await store.get('profile/p/password')).toBe('re-entered')
  })
})
