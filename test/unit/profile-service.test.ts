import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import { ActivityRepo } from '../../src/main/core/store/activity-repo'
import { recordingProbe } from '../support/fake-probe'
import { tempDir } from '../support/temp-home'

const PASSWORD = 'S3cret:pw\\with"quotes'

function setup() {
  const home = tempDir()
  const { probe, calls } = recordingProbe()
  const core = createApp({ home, origin: 'ui', probe, logger: silentLogger })
  return { home, core, calls }
}

const pg = { engine: 'postgres', name: 'prod-main', host: 'db.example.com', user: 'app', database: 'shop' } as const

describe('ProfileService', () => {
  it('creates a profile with defaults, keeps the password in the secret store only', async () => {
    const { core } = setup()
    const created = await core.profiles.create({ profile: { ...pg, port: 5432, tag: null, clientBinDir: null }, password: PASSWORD })
    expect(created).toMatchObject({ name: 'prod-main', engine: 'postgres', port: 5432, hasPassword: true, tag: null })
    expect(core.profiles.list()).toHaveLength(1)
    core.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(readFileSync(core.paths.database).includes(Buffer.from(PASSWORD))).toBe(false)
    expect(readFileSync(core.paths.secrets, 'utf8')).toContain('prod-main'.length > 0 ? created.id : '')
    core.close()
  })

  it('refuses a duplicate name (any case) with CONFLICT on the name field', async () => {
    const { core } = setup()
    await core.profiles.create({ profile: { ...pg, port: 5432, tag: null, clientBinDir: null } })
    await expect(core.profiles.create({ profile: { ...pg, name: 'PROD-MAIN', port: 5432, tag: null, clientBinDir: null } })).rejects.toMatchObject({
      code: 'CONFLICT',
      field: 'name',
    })
    core.close()
  })

  it('updates: keeps, replaces and removes the saved password', async () => {
    const { core, calls } = setup()
    const p = await core.profiles.create({ profile: { ...pg, port: 5432, tag: null, clientBinDir: null }, password: PASSWORD })
    const base = { ...pg, port: 6543, tag: 'production' as const, clientBinDir: null }
    await core.profiles.update({ id: p.id, profile: base })
    await core.profiles.test({ id: p.id })
    expect(calls.at(-1)).toMatchObject({ password: PASSWORD, profile: { port: 6543, tag: 'production' } })

    await core.profiles.update({ id: p.id, profile: base, password: 'new-one' })
    await core.profiles.test({ id: p.id })
    expect(calls.at(-1)?.password).toBe('new-one')

    const cleared = await core.profiles.update({ id: p.id, profile: base, password: null })
    expect(cleared.hasPassword).toBe(false)
    expect(await core.secrets.get(`profile/${p.id}/password`)).toBeUndefined()
    core.close()
  })

  it('tests a draft, falling back to the saved password of the profile being edited', async () => {
    const { core, calls } = setup()
    const p = await core.profiles.create({ profile: { ...pg, port: 5432, tag: null, clientBinDir: null }, password: PASSWORD })
    await core.profiles.test({ id: p.id, profile: { ...pg, host: 'other', port: 5432, tag: null, clientBinDir: null } })
    expect(calls.at(-1)).toMatchObject({ password: PASSWORD, profile: { host: 'other' } })
    await core.profiles.test({ profile: { ...pg, port: 5432, tag: null, clientBinDir: null } })
    expect(calls.at(-1)?.password).toBeUndefined()
    core.close()
  })

  it('removes the profile and its secret, and records every change in the activity log', async () => {
    const { core } = setup()
    const p = await core.profiles.create({ profile: { ...pg, port: 5432, tag: null, clientBinDir: null }, password: PASSWORD })
    await core.profiles.remove(p.id)
    expect(core.profiles.list()).toEqual([])
    expect(await core.secrets.get(`profile/${p.id}/password`)).toBeUndefined()
    const log = new ActivityRepo(core.db).recent()
    expect(log.map((e) => [e.action, e.subject, e.origin, e.outcome])).toEqual([
      ['profile.remove', 'prod-main', 'ui', 'ok'],
      ['profile.create', 'prod-main', 'ui', 'ok'],
    ])
    expect(JSON.stringify(log)).not.toContain(PASSWORD)
    core.close()
  })

  it('refuses a password for SQLite and drops a saved one when a profile becomes SQLite', async () => {
    const { core } = setup()
    const sqlite = { engine: 'sqlite' as const, name: 'local', file: '/tmp/x.db', tag: null }
    await expect(core.profiles.create({ profile: sqlite, password: 'x' })).rejects.toMatchObject({ code: 'VALIDATION', field: 'password' })
    const p = await core.profiles.create({ profile: { ...pg, port: 5432, tag: null, clientBinDir: null }, password: PASSWORD })
    const now = await core.profiles.update({ id: p.id, profile: { ...sqlite, name: 'prod-main' } })
    expect(now).toMatchObject({ engine: 'sqlite', hasPassword: false })
    expect(await core.secrets.get(`profile/${p.id}/password`)).toBeUndefined()
    core.close()
  })

  it('emits profiles.changed on every change', async () => {
    const { core } = setup()
    const seen: string[] = []
    core.events.subscribe((e) => seen.push(e.type))
    const p = await core.profiles.create({ profile: { ...pg, port: 5432, tag: null, clientBinDir: null } })
    await core.profiles.remove(p.id)
    // each change is also a line in the activity log
    expect(seen).toEqual(['activity.changed', 'profiles.changed', 'activity.changed', 'profiles.changed'])
    core.close()
  })
})
