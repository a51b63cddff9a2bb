import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/main/core/app'
import { dispatch } from '../../src/main/core/ipc/dispatch'
import { silentLogger } from '../../src/main/core/logging/logger'
import { registerSecret } from '../../src/main/core/logging/redact'
import type { Handlers } from '../../src/shared/contract'
import { recordingProbe } from '../support/fake-probe'
import { tempDir } from '../support/temp-home'

describe('dispatch (the IPC/bridge boundary)', () => {
  const core = () => createApp({ home: tempDir(), origin: 'ui', probe: recordingProbe().probe, logger: silentLogger })

  it('answers with the ok envelope and applies schema defaults', async () => {
    const c = core()
    const res = await dispatch(c.handlers, 'profiles.create', {
      profile: { engine: 'mysql', name: 'm1', user: 'root', database: 'shop' },
    })
    expect(res).toMatchObject({ ok: true, value: { port: 3306, host: 'localhost', tag: null, hasPassword: false } })
    c.close()
  })

  it('rejects invalid input with VALIDATION naming the field, before any handler runs', async () => {
    const c = core()
    const res = await dispatch(c.handlers, 'profiles.create', {
      profile: { engine: 'postgres', name: 'p', user: 'u', database: 'd', port: 70000 },
    })
    expect(res).toEqual({ ok: false, error: { code: 'VALIDATION', field: 'profile.port', message: expect.stringMatching(/^profile\.port: expected a port between 1 and 65535/) } })
    expect(c.profiles.list()).toEqual([])
    expect(await dispatch(c.handlers, 'profiles.create', { profile: { engine: 'oracle', name: 'x' } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', field: 'profile.engine' },
    })
    expect(await dispatch(c.handlers, 'profiles.get', { id: 'x', extra: 1 })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    c.close()
  })

  it('refuses unknown channels', async () => {
    const c = core()
    expect(await dispatch(c.handlers, 'fs.readFile', {})).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
    expect(await dispatch(c.handlers, { toString: () => 'profiles.list' }, undefined)).toMatchObject({ ok: false })
    c.close()
  })

  it('turns a thrown AppError into its code and an unexpected error into a redacted INTERNAL', async () => {
    const c = core()
    expect(await dispatch(c.handlers, 'profiles.get', { id: 'missing' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', field: 'id' } })
    registerSecret('leaky-secret-value')
    const throwing = { ...c.handlers, 'profiles.list': async () => Promise.reject(new Error('boom with leaky-secret-value')) } as Handlers
    expect(await dispatch(throwing, 'profiles.list', undefined)).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'internal error: boom with ***' },
    })
    c.close()
  })
})
