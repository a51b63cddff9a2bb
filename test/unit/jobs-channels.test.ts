import { join } from 'node:path'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/main/core/app'
import { dispatch } from '../../src/main/core/ipc/dispatch'
import { silentLogger } from '../../src/main/core/logging/logger'
import { jobInputSchema } from '../../src/shared/job-model'
import { recordingProbe } from '../support/fake-probe'
import { tempDir } from '../support/temp-home'

/** jobs.*, status.get, activity.list and scheduler.state through the validated contract (as the renderer calls them). */
async function coreWithProfile() {
  const core = createApp({ home: tempDir(), origin: 'ui', probe: recordingProbe().probe, logger: silentLogger })
  const file = join(tempDir(), 'app.sqlite')
  new Database(file).exec('CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2)')
  const profile = await core.profiles.create({ profile: { name: 'app', engine: 'sqlite', file } as never })
  return { core, profile }
}

const nightly = (profileId: string, over: Record<string, unknown> = {}) => ({ name: 'nightly', profileId, schedule: { kind: 'daily', time: '02:00' }, timeZone: 'Europe/Berlin', ...over })

describe('jobs channels', () => {
  it('preview: the schedule in words and five runs, or a specific error', async () => {
    const { core } = await coreWithProfile()
    const ok = await dispatch(core.handlers, 'jobs.preview', { schedule: { kind: 'cron', expression: '*/15 9-17 * * 1-5' }, timeZone: 'UTC' })
    expect(ok).toMatchObject({ ok: true, value: { ok: true, description: expect.stringContaining('15 minutes'), nextRuns: expect.any(Array) } })
    expect((ok as { value: { nextRuns: string[] } }).value.nextRuns).toHaveLength(5)
    const bad = await dispatch(core.handlers, 'jobs.preview', { schedule: { kind: 'cron', expression: '0 25 * * *' }, timeZone: 'UTC' })
    expect(bad).toMatchObject({ ok: true, value: { ok: false, error: expect.stringMatching(/hour/) } })
    expect(await dispatch(core.handlers, 'jobs.preview', { schedule: { kind: 'daily', time: '2am' }, timeZone: 'UTC' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'schedule.time' } })
    expect(await dispatch(core.handlers, 'jobs.preview', { schedule: { kind: 'daily', time: '02:00' }, timeZone: 'Europe/Nowhere' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'timeZone' } })
    core.close()
  })

  it('create validates each field, keeps secrets write-only, and logs the change with its origin', async () => {
    const { core, profile } = await coreWithProfile()
    const cases: [Record<string, unknown>, string][] = [
      [{ schedule: { kind: 'cron', expression: '61 * * * *' } }, 'schedule.expression'],
      [{ profileId: 'nope' }, 'profileId'],
      [{ destinations: ['nas'] }, 'destinations'],
      [{ options: { format: 'custom' } }, 'options.format'],
      [{ options: { encryption: { kind: 'passphrase' } } }, 'secrets.passphrase'],
      [{ retention: { keepLast: -1 } }, 'job.retention.keepLast'],
      [{ testRestoreProfileId: 'nope' }, 'testRestoreProfileId'],
    ]
    for (const [over, field] of cases) {
      const r = await dispatch(core.handlers, 'jobs.create', { job: nightly(profile.id, over) })
      expect({ over, r }).toMatchObject({ over, r: { ok: false, error: { code: 'VALIDATION', field } } })
    }
    expect(core.jobs.list()).toEqual([])
    const created = await dispatch(core.handlers, 'jobs.create', { job: nightly(profile.id, { retention: { keepLast: 5 } }), secrets: { webhookUrl: 'https://example.test/hook/s3cret', passphrase: null } })
    expect(created).toMatchObject({ ok: true, value: { name: 'nightly', profileName: 'app', hasWebhook: true, hasSlackWebhook: false, runState: 'idle', description: 'Every day at 02:00 (Europe/Berlin)' } })
    expect(JSON.stringify(created)).not.toContain('s3cret')
    expect(await dispatch(core.handlers, 'jobs.create', { job: nightly(profile.id) })).toMatchObject({ ok: false, error: { code: 'CONFLICT', field: 'name' } })
    expect(core.activity.list({ action: 'job' })).toEqual([expect.objectContaining({ action: 'job.create', origin: 'ui', subject: 'nightly' })])
    core.close()
  })

  it('update recomputes the next run only when the timing changes; remove; profile removal refused while a job uses it', async () => {
    const { core, profile } = await coreWithProfile()
    const created = await core.jobs.create(jobInputSchema.parse(nightly(profile.id)))
    const renamed = await dispatch(core.handlers, 'jobs.update', { id: created.id, job: nightly(profile.id, { name: 'renamed', retention: { keepDays: 7 } }) })
    expect(renamed).toMatchObject({ ok: true, value: { name: 'renamed', nextDueAt: created.nextDueAt, retention: { keepDays: 7 } } })
    const disabled = await dispatch(core.handlers, 'jobs.update', { id: created.id, job: nightly(profile.id, { name: 'renamed', enabled: false }) })
    expect(disabled).toMatchObject({ ok: true, value: { enabled: false, nextDueAt: null } })
    expect(await dispatch(core.handlers, 'profiles.remove', { id: profile.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringContaining('"renamed"') } })
    expect(await dispatch(core.handlers, 'jobs.remove', { id: created.id })).toEqual({ ok: true, value: null })
    expect(await dispatch(core.handlers, 'profiles.remove', { id: profile.id })).toEqual({ ok: true, value: null })
    core.close()
  })

  it('run now, retention plan and apply, status and activity', async () => {
    const { core, profile } = await coreWithProfile()
    const job = await core.jobs.create(jobInputSchema.parse(nightly(profile.id, { retention: { keepLast: 1 } })))
    expect(await dispatch(core.handlers, 'jobs.run', { id: job.id })).toEqual({ ok: true, value: { state: 'running' } })
    expect(await dispatch(core.handlers, 'jobs.run', { id: job.id })).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: expect.stringMatching(/already running/) } })
    await core.scheduler.whenIdle()
    const first = core.backups.list()[0]!
    expect(first).toMatchObject({ status: 'success', reason: 'scheduled', jobId: job.id })
    // a manual backup of the same profile is not the job's: retention leaves it alone
    const manual = await (await core.backups.start({ profileId: profile.id })).finished
    const plan = await dispatch(core.handlers, 'jobs.prunePlan', { id: job.id })
    expect(plan).toMatchObject({ ok: true, value: [{ destination: 'local', refused: null, decisions: [{ backupId: first.id, action: 'keep' }] }] })
    await dispatch(core.handlers, 'jobs.run', { id: job.id })
    await core.scheduler.whenIdle()
    const ids = core.backups.list().map((b) => b.id)
    expect(ids).toContain(manual.id)
    expect(ids).not.toContain(first.id)
    expect(ids).toHaveLength(2)

    const status = await dispatch(core.handlers, 'status.get', undefined)
    expect(status).toMatchObject({ ok: true, value: { overall: 'ok', unhealthy: false, profiles: [{ name: 'app', state: 'ok', jobs: ['nightly'], stats: { successCount: 2 } }] } })
    const activity = await dispatch(core.handlers, 'activity.list', { action: 'backup', origin: 'ui' })
    expect((activity as { value: { action: string }[] }).value.map((e) => e.action)).toEqual(['backup.prune', 'backup.run', 'backup.run', 'backup.run'])
    expect(await dispatch(core.handlers, 'activity.list', { search: '100%_' })).toEqual({ ok: true, value: [] })
    expect(await dispatch(core.handlers, 'scheduler.state', undefined)).toMatchObject({ ok: true, value: { owner: 'none', paused: false, maxConcurrentRuns: 2, running: 0, queued: 0 } })
    core.close()
  })
})
