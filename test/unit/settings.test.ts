import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/main/core/app'
import { dispatch } from '../../src/main/core/ipc/dispatch'
import { silentLogger } from '../../src/main/core/logging/logger'
import { ActivityRepo } from '../../src/main/core/store/activity-repo'
import { recordingProbe } from '../support/fake-probe'
import { tempDir } from '../support/temp-home'

describe('settings (contract channels)', () => {
  it('defaults, partial updates, validation, activity log and the settings.changed event', async () => {
    const core = createApp({ home: tempDir(), origin: 'ui', probe: recordingProbe().probe, logger: silentLogger })
    const events: string[] = []
    core.events.subscribe((e) => events.push(e.type))
    expect(await dispatch(core.handlers, 'settings.get', undefined)).toEqual({ ok: true, value: { closeToTray: true, startAtLogin: false, notifyOnSuccess: false, maxConcurrentRuns: 2, schedulesPaused: false } })
    expect(await dispatch(core.handlers, 'settings.update', { notifyOnSuccess: true })).toEqual({ ok: true, value: { closeToTray: true, startAtLogin: false, notifyOnSuccess: true, maxConcurrentRuns: 2, schedulesPaused: false } })
    expect(events).toEqual(['activity.changed', 'settings.changed'])
    expect(await dispatch(core.handlers, 'settings.update', { notifyOnSuccess: 'yes' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'notifyOnSuccess' } })
    expect(await dispatch(core.handlers, 'settings.update', { windowState: null })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } })
    expect(await dispatch(core.handlers, 'settings.update', { maxConcurrentRuns: 0 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', field: 'maxConcurrentRuns', message: expect.stringContaining('at least 1') } })
    expect(await dispatch(core.handlers, 'settings.update', { maxConcurrentRuns: 4, schedulesPaused: true })).toMatchObject({ ok: true, value: { maxConcurrentRuns: 4, schedulesPaused: true } })
    expect(new ActivityRepo(core.db).recent()[1]).toMatchObject({ action: 'settings.update', origin: 'ui', detail: { notifyOnSuccess: true } })
    expect(new ActivityRepo(core.db).recent()[0]).toMatchObject({ detail: { maxConcurrentRuns: 4, schedulesPaused: true } })
    core.close()
    const again = createApp({ home: core.paths.home, origin: 'ui', probe: recordingProbe().probe, logger: silentLogger })
    expect(again.settings.user().notifyOnSuccess).toBe(true) // persisted
    again.close()
  })
})
