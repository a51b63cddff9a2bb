import { describe, expect, it } from 'vitest'
import type { Backup } from '../../src/shared/backup-model'
import { jobInputSchema, type JobInput } from '../../src/shared/job-model'
import type { Profile } from '../../src/shared/model'
import { healthSummary, profileHealth, SERIES_LENGTH } from '../../src/main/core/services/health'
import { backupRow } from '../support/backup-row'

const NOW = new Date('2030-01-02T12:00:00Z')
const H = 3_600_000
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * H).toISOString()

const profile = (id: string, name = id): Profile => ({ id, name, engine: 'postgres', host: 'db', port: 5432, user: 'u', database: 'd', tag: null, hasPassword: false, createdAt: hoursAgo(1000), updatedAt: hoursAgo(1000) }) as unknown as Profile

function backup(over: Partial<Backup> = {}): Backup {
  const at = over.startedAt ?? hoursAgo(2)
  return backupRow({
    profileName: 'p1',
    reason: 'scheduled',
    jobId: 'j1',
    sizeBytes: 1000,
    rawBytes: 4000,
    sha256: 'x',
    durationMs: 2000,
    tablesCount: 3,
    copies: [{ destination: 'local', status: 'success', location: '/x', error: null }],
    ...over,
    startedAt: at,
    finishedAt: over.finishedAt === undefined ? at : over.finishedAt,
  })
}

const job = (over: Partial<JobInput> = {}, createdAt = hoursAgo(24 * 30)) => ({
  createdAt,
  definition: jobInputSchema.parse({ name: 'nightly', profileId: 'p1', schedule: { kind: 'daily', time: '02:00' }, timeZone: 'UTC', ...over }),
})

describe('profile health', () => {
  it('follows the schedule: stale once a slot is more than its slack (¼ gap, ≥ 1 h) past without a newer good backup', () => {
    // daily 02:00 UTC, now 12:00: today's slot is 10 h past (slack 6 h), so the good backup must be newer than it
    const ok = profileHealth(profile('p1'), [backup({ startedAt: hoursAgo(9) })], [job()], NOW)
    expect(ok).toMatchObject({ state: 'ok', recentGood: true, maxAgeMs: 10 * H, jobs: ['nightly'] })
    const stale = profileHealth(profile('p1'), [backup({ startedAt: hoursAgo(11) })], [job()], NOW)
    expect(stale).toMatchObject({ state: 'stale', recentGood: false })
    expect(stale.reason).toBe('the newest good backup is 11 h old (allowed 10 h)')
    // 05:00: today's 02:00 run is still within its slack, so yesterday's backup is fine
    const early = new Date('2030-01-02T05:00:00Z')
    expect(profileHealth(profile('p1'), [backup({ startedAt: '2030-01-01T02:10:00Z' })], [job()], early)).toMatchObject({ state: 'ok', maxAgeMs: 27 * H })
  })

  it('a weekday-only job is not stale at the weekend, and is once Monday’s first slot is missed', () => {
    const weekdays = job({ schedule: { kind: 'cron', expression: '*/15 9-17 * * 1-5' } })
    const friday = backup({ startedAt: '2030-01-04T17:45:00Z' })
    expect(profileHealth(profile('p1'), [friday], [weekdays], new Date('2030-01-06T12:00:00Z')).state).toBe('ok')
    const monday = profileHealth(profile('p1'), [friday], [weekdays], new Date('2030-01-07T11:00:00Z'))
    expect(monday).toMatchObject({ state: 'stale', maxAgeMs: 60 * 60_000 })
  })

  it('a configured maximum age wins over the interval; the strictest job counts', () => {
    const jobs = [job({ maxAgeMs: 2 * H }), job({ name: 'weekly', schedule: { kind: 'weekly', day: 'sun', time: '03:00' } })]
    expect(profileHealth(profile('p1'), [backup({ startedAt: hoursAgo(3) })], jobs, NOW)).toMatchObject({ state: 'stale', maxAgeMs: 2 * H })
  })

  it('failing when the newest finished run failed or was interrupted; cancelled and safety backups do not count', () => {
    const failed = backup({ status: 'failed', error: 'disk full', startedAt: hoursAgo(1), sizeBytes: null })
    expect(profileHealth(profile('p1'), [backup(), failed], [job()], NOW)).toMatchObject({ state: 'failing', lastError: 'disk full', lastFailureAt: hoursAgo(1) })
    expect(profileHealth(profile('p1'), [backup(), backup({ status: 'interrupted', startedAt: hoursAgo(1) })], [job()], NOW).state).toBe('failing')
    expect(profileHealth(profile('p1'), [backup(), backup({ status: 'cancelled', startedAt: hoursAgo(1) })], [job()], NOW).state).toBe('ok')
    const safety = backup({ reason: 'pre-restore', status: 'failed', startedAt: hoursAgo(0.5) })
    expect(profileHealth(profile('p1'), [backup(), safety], [job()], NOW).state).toBe('ok')
    expect(profileHealth(profile('p1'), [failed, backup({ startedAt: hoursAgo(0.5) })], [job()], NOW).state).toBe('ok')
  })

  it('running wins; unmonitored without jobs; a fresh job waits for its first run', () => {
    expect(profileHealth(profile('p1'), [backup({ status: 'running', finishedAt: null })], [job()], NOW).state).toBe('running')
    expect(profileHealth(profile('p1'), [], [], NOW)).toMatchObject({ state: 'unmonitored', maxAgeMs: null, recentGood: false })
    expect(profileHealth(profile('p1'), [backup({ startedAt: hoursAgo(500) })], [], NOW)).toMatchObject({ state: 'unmonitored', recentGood: true })
    expect(profileHealth(profile('p1'), [], [job({}, hoursAgo(1))], NOW)).toMatchObject({ state: 'ok', reason: 'waiting for the first scheduled run' })
    expect(profileHealth(profile('p1'), [], [job()], NOW)).toMatchObject({ state: 'stale' })
    expect(profileHealth(profile('p1'), [], [job({ enabled: false })], NOW).state).toBe('unmonitored')
  })

  it('stats and the series for the chart', () => {
    const rows = [
      backup({ startedAt: hoursAgo(5), sizeBytes: 100, durationMs: 1000 }),
      backup({ startedAt: hoursAgo(4), status: 'failed', sizeBytes: null, durationMs: 500 }),
      backup({ startedAt: hoursAgo(3), sizeBytes: 300, durationMs: 3000 }),
      // pruned everywhere: no longer stored, so not in the total
      backup({ startedAt: hoursAgo(6), sizeBytes: 50, durationMs: 2000, copies: [{ destination: 'local', status: 'deleted', location: null, error: null }] }),
      backup({ startedAt: hoursAgo(0.1), status: 'running', finishedAt: null, sizeBytes: null }),
    ]
    const h = profileHealth(profile('p1'), rows, [job()], NOW)
    expect(h.stats).toEqual({ count: 5, successCount: 3, failedCount: 1, successRate: 0.75, totalBytes: 400, averageDurationMs: 2000 })
    expect(h.series.map((p) => [p.status, p.sizeBytes])).toEqual([['success', 50], ['success', 100], ['failed', null], ['success', 300]])
    const many = Array.from({ length: SERIES_LENGTH + 10 }, (_, i) => backup({ startedAt: hoursAgo(100 - i) }))
    const series = profileHealth(profile('p1'), many, [job()], NOW).series
    expect(series).toHaveLength(SERIES_LENGTH)
    expect(series.at(-1)!.at).toBe(hoursAgo(100 - (SERIES_LENGTH + 9)))
  })
})

describe('health summary', () => {
  it('overall is the worst (running > failing > stale > ok); unhealthy when any profile is stale or failing', () => {
    const profiles = [profile('p1'), profile('p2'), profile('p3')]
    const jobs = [job(), job({ name: 'j2', profileId: 'p2' })]
    const ok = healthSummary({ profiles, backups: [backup(), backup({ profileId: 'p2' })], jobs, now: NOW })
    expect(ok).toMatchObject({ overall: 'ok', unhealthy: false })
    expect(ok.profiles.map((p) => p.state)).toEqual(['ok', 'ok', 'unmonitored'])
    const stale = healthSummary({ profiles, backups: [backup()], jobs, now: NOW })
    expect(stale).toMatchObject({ overall: 'stale', unhealthy: true })
    const failing = healthSummary({ profiles, backups: [backup(), backup({ profileId: 'p2' }), backup({ profileId: 'p3', status: 'failed', error: 'x' })], jobs, now: NOW })
    expect(failing).toMatchObject({ overall: 'failing', unhealthy: true })
    const running = healthSummary({ profiles, backups: [backup({ status: 'running' }), backup({ profileId: 'p3', status: 'failed' })], jobs, now: NOW })
    expect(running).toMatchObject({ overall: 'running', unhealthy: true })
    expect(healthSummary({ profiles, backups: [backup({ profileId: null, status: 'running' }), backup(), backup({ profileId: 'p2' })], jobs, now: NOW }).overall).toBe('running')
  })
})
