import { join } from 'node:path'
import { describe, expect, it, onTestFinished } from 'vitest'
import type { AppEvent } from '../../src/shared/events'
import { jobInputSchema, type JobInput } from '../../src/shared/job-model'
import { createEventBus } from '../../src/main/core/events/event-bus'
import { silentLogger, type Logger } from '../../src/main/core/logging/logger'
import { nextRunAfter } from '../../src/main/core/scheduler/schedule-math'
import { Scheduler, WAKE_MS, type RunTrigger, type SchedulerDeps } from '../../src/main/core/scheduler/scheduler'
import { ActivityRepo } from '../../src/main/core/store/activity-repo'
import { JobsRepo } from '../../src/main/core/store/jobs-repo'
import { openStore, type Db } from '../../src/main/core/store/open-store'
import { ProfilesRepo } from '../../src/main/core/store/profiles-repo'
import { SchedulerLockRepo } from '../../src/main/core/store/scheduler-lock-repo'
import { FakeClock } from '../support/fake-clock'
import { tempDir } from '../support/temp-home'

const MIDNIGHT = { kind: 'daily', time: '00:00' } as const
const z = (s: string) => `${s}:00.000Z`
/** Days of fake time: wake every 10 min rather than every 30 s (timers still aim at the due instants). */
const LONG = { wakeMs: 10 * 60_000 }

/** One connection to the data dir, as one process would hold it. */
interface Conn {
  db: Db
  jobs: JobsRepo
  activity: ActivityRepo
}

function connect(file: string, jobs?: (db: Db) => JobsRepo): Conn {
  const db = openStore(file)
  db.pragma('synchronous = OFF') // tests only: thousands of heartbeats need not each wait for the disk
  onTestFinished(() => void db.close())
  return { db, jobs: jobs?.(db) ?? new JobsRepo(db), activity: new ActivityRepo(db) }
}

function world(start: string) {
  const file = join(tempDir(), 'lifeboat.db')
  const clock = new FakeClock(start)
  const main = connect(file)
  const profileId = new ProfilesRepo(main.db).insert({ engine: 'sqlite', name: 'local', file: '/tmp/x.db', tag: null }, null).profile.id
  /** nextDue 'auto' is what `job add` stores: the first slot after now. */
  const addJob = (name: string, over: Partial<JobInput> = {}, nextDue: string | null | 'auto' = 'auto', conn = main) => {
    const def = jobInputSchema.parse({ name, profileId, schedule: MIDNIGHT, timeZone: 'UTC', ...over })
    const due = nextDue === 'auto' ? (nextRunAfter(def.schedule, def.timeZone, clock.now())?.toISOString() ?? null) : nextDue
    return conn.jobs.insert(def, {}, due, clock.now())
  }
  return { file, clock, main, addJob }
}
type World = ReturnType<typeof world>

interface Run {
  job: string
  trigger: RunTrigger
  at: string
}

interface Options {
  conn?: Conn
  hold?: boolean
  maxConcurrentRuns?: number
  paused?: boolean
  logger?: Logger
  deps?: Partial<SchedulerDeps>
}

/** A scheduler whose runJob records (job, trigger, now) and resolves, or stays open until finished by the test. */
function scheduler(w: World, o: Options = {}) {
  const conn = o.conn ?? w.main
  const runs: Run[] = []
  const open: { job: string; finish: (status?: string) => void }[] = []
  const events: AppEvent[] = []
  const bus = createEventBus()
  bus.subscribe((e) => events.push(e))
  const s = new Scheduler({
    jobs: conn.jobs,
    lock: new SchedulerLockRepo(conn.db),
    activity: conn.activity,
    events: bus,
    logger: o.logger ?? silentLogger,
    clock: w.clock,
    settings: { maxConcurrentRuns: () => o.maxConcurrentRuns ?? 2, paused: () => o.paused ?? false },
    kind: 'desktop',
    runJob: async (job, trigger) => {
      runs.push({ job: job.definition.name, trigger, at: w.clock.now().toISOString() })
      const status = o.hold ? await new Promise<string>((resolve) => open.push({ job: job.definition.name, finish: (st = 'success') => resolve(st) })) : 'success'
      return { backupId: null, status }
    },
    ...o.deps,
  })
  return { s, runs, open, events }
}

const activity = (conn: Conn, action: string) => conn.activity.list({ action }).reverse()

describe('Scheduler: daily 00:00 across DST changes fires once per local day at the right instant', () => {
  const cases: [string, string, string, string[]][] = [
    ['Europe/Berlin', '2026-03-25T00:00:00Z', '2026-04-02T00:00:00Z', ['03-25T23', '03-26T23', '03-27T23', '03-28T23', '03-29T22', '03-30T22', '03-31T22', '04-01T22']],
    ['Europe/Berlin', '2026-10-22T00:00:00Z', '2026-10-29T00:00:00Z', ['10-22T22', '10-23T22', '10-24T22', '10-25T23', '10-26T23', '10-27T23', '10-28T23']],
    ['America/New_York', '2026-03-05T00:00:00Z', '2026-03-12T00:00:00Z', ['03-05T05', '03-06T05', '03-07T05', '03-08T05', '03-09T04', '03-10T04', '03-11T04']],
    ['America/New_York', '2026-10-29T00:00:00Z', '2026-11-05T00:00:00Z', ['10-29T04', '10-30T04', '10-31T04', '11-01T04', '11-02T05', '11-03T05', '11-04T05']],
  ]
  it.each(cases)('%s from %s', async (tz, from, to, expected) => {
    const w = world(from)
    w.addJob('nightly', { timeZone: tz })
    const { s, runs } = scheduler(w, { deps: LONG })
    expect(s.start()).toEqual({ acquired: true })
    await w.clock.advanceTo(to)
    expect(runs).toEqual(expected.map((t) => ({ job: 'nightly', trigger: 'schedule', at: z(`2026-${t}:00`) })))
    expect(activity(w.main, 'job.skip')).toEqual([])
    await s.stop()
    expect(w.clock.pending).toBe(0)
  })
})

describe('Scheduler', () => {
  it('a machine asleep for 3 days catches up once, then keeps to the schedule', async () => {
    const w = world('2026-01-10T12:00:00Z')
    const job = w.addJob('nightly')
    const { s, runs } = scheduler(w, { deps: LONG })
    s.start()
    await w.clock.advanceTo('2026-01-11T06:00:00Z')
    expect(runs).toEqual([{ job: 'nightly', trigger: 'schedule', at: z('2026-01-11T00:00') }])
    w.clock.set('2026-01-14T08:00:00Z') // asleep: no timer fires until the OS says we are back
    s.resume()
    await s.whenIdle()
    expect(runs.slice(1)).toEqual([{ job: 'nightly', trigger: 'catch-up', at: z('2026-01-14T08:00') }])
    expect(w.main.jobs.get(job.id)).toMatchObject({ nextDueAt: z('2026-01-15T00:00'), runState: 'idle', lastStatus: 'success', lastRunAt: z('2026-01-14T08:00') })
    expect(activity(w.main, 'job.catch-up')).toMatchObject([
      { origin: 'scheduler', subject: 'nightly', outcome: 'ok', at: z('2026-01-14T08:00'), detail: { missedSince: z('2026-01-12T00:00'), missedSlots: 3 } },
    ])
    await w.clock.advanceTo('2026-01-15T06:00:00Z')
    expect(runs.slice(2)).toEqual([{ job: 'nightly', trigger: 'schedule', at: z('2026-01-15T00:00') }])
  })

  it('without catch-up a missed slot is skipped and logged, and the next future slot stands', async () => {
    const w = world('2026-01-10T12:00:00Z')
    const job = w.addJob('nightly', { catchUp: false })
    const { s, runs } = scheduler(w)
    s.start()
    w.clock.set('2026-01-14T08:00:00Z')
    s.resume()
    await s.whenIdle()
    expect(runs).toEqual([])
    expect(activity(w.main, 'job.skip')).toMatchObject([
      { origin: 'scheduler', subject: 'nightly', outcome: 'ok', detail: { reason: 'missed while Lifeboat was not running; catch-up is off', slot: z('2026-01-11T00:00'), missedSlots: 4 } },
    ])
    expect(w.main.jobs.get(job.id)?.nextDueAt).toBe(z('2026-01-15T00:00'))
  })

  it('start-up after downtime: one catch-up; a slot only just passed (within grace) runs as scheduled', async () => {
    const w = world('2026-01-14T08:00:00Z')
    w.addJob('nightly', {}, z('2026-01-12T00:00'))
    w.addJob('hourly', { schedule: { kind: 'cron', expression: '0 * * * *' } }, z('2026-01-14T07:59'))
    const { s, runs } = scheduler(w)
    s.start()
    await s.whenIdle()
    expect(runs).toEqual([
      { job: 'hourly', trigger: 'schedule', at: z('2026-01-14T08:00') },
      { job: 'nightly', trigger: 'catch-up', at: z('2026-01-14T08:00') },
    ])
    expect(w.main.jobs.list().map((j) => j.nextDueAt)).toEqual([z('2026-01-14T09:00'), z('2026-01-15T00:00')])
  })

  it('a run that overruns its next slot: the slot is skipped and logged, never stacked; runNow is refused', async () => {
    const w = world('2026-01-10T12:00:00Z')
    const job = w.addJob('nightly')
    const { s, runs, open } = scheduler(w, { hold: true, deps: LONG })
    s.start()
    await w.clock.advanceTo('2026-01-11T00:00:00Z')
    expect(runs).toHaveLength(1)
    expect(s.state()).toMatchObject({ owner: 'this', ownerPid: process.pid, ownerKind: 'desktop', running: 1, queued: 0 })
    expect(w.main.jobs.get(job.id)).toMatchObject({ runState: 'running', runOwnerPid: process.pid })
    expect(() => s.runNow(job.id)).toThrow(expect.objectContaining({ code: 'CONFLICT', message: `job "nightly" is already running (pid ${process.pid})` }))

    await w.clock.advanceTo('2026-01-12T06:00:00Z')
    expect(runs).toHaveLength(1)
    expect(activity(w.main, 'job.skip')).toMatchObject([{ subject: 'nightly', at: z('2026-01-12T00:00'), detail: { reason: 'the previous run is still running', slot: z('2026-01-12T00:00') } }])

    open[0]!.finish()
    await s.whenIdle()
    expect(w.main.jobs.get(job.id)).toMatchObject({ runState: 'idle', runOwnerPid: null, lastStatus: 'success', lastRunAt: z('2026-01-12T06:00') })
    await w.clock.advanceTo('2026-01-13T00:00:00Z')
    expect(runs.map((r) => r.at)).toEqual([z('2026-01-11T00:00'), z('2026-01-13T00:00')])
  })

  it('concurrency limit: 5 jobs due at once with max 2 run 2 at a time, the rest queued FIFO', async () => {
    const w = world('2026-01-10T12:00:00Z')
    for (const name of ['a', 'b', 'c', 'd', 'e']) w.addJob(name)
    const { s, runs, open, events } = scheduler(w, { hold: true, maxConcurrentRuns: 2, deps: LONG })
    s.start()
    await w.clock.advanceTo('2026-01-11T00:00:00Z')
    const states = () => Object.fromEntries(w.main.jobs.list().map((j) => [j.definition.name, j.runState]))
    expect(runs.map((r) => r.job)).toEqual(['a', 'b'])
    expect(s.state()).toMatchObject({ running: 2, queued: 3, maxConcurrentRuns: 2 })
    expect(states()).toEqual({ a: 'running', b: 'running', c: 'queued', d: 'queued', e: 'queued' })
    expect(events.filter((e) => e.type === 'jobs.changed').length).toBeGreaterThan(0)

    let idle = false
    void s.whenIdle().then(() => (idle = true))
    for (const [done, next] of [['a', 'c'], ['b', 'd'], ['c', 'e']] as const) {
      open.find((r) => r.job === done)!.finish()
      await w.clock.advance(0) // let the ended run free its slot
      expect(states()).toMatchObject({ [done]: 'idle', [next]: 'running' })
      expect(runs.at(-1)?.job).toBe(next)
    }
    expect(s.state()).toMatchObject({ running: 2, queued: 0 })
    open.find((r) => r.job === 'd')!.finish('failed')
    await w.clock.advance(0)
    expect(idle).toBe(false)
    open.find((r) => r.job === 'e')!.finish()
    await w.clock.advance(0)
    expect(idle).toBe(true)
    expect(runs).toEqual(['a', 'b', 'c', 'd', 'e'].map((job) => ({ job, trigger: 'schedule', at: z('2026-01-11T00:00') })))
    expect(w.main.jobs.list().map((j) => [j.definition.name, j.runState, j.lastStatus])).toEqual([
      ['a', 'idle', 'success'],
      ['b', 'idle', 'success'],
      ['c', 'idle', 'success'],
      ['d', 'idle', 'failed'],
      ['e', 'idle', 'success'],
    ])
    expect(s.state()).toMatchObject({ running: 0, queued: 0 })
  })

  it('a runJob that throws ends the run as failed (logged); manual runs ignore pause and work without start()', async () => {
    const w = world('2026-01-10T12:00:00Z')
    const job = w.addJob('nightly')
    const errors: string[] = []
    const logger: Logger = { ...silentLogger, error: (m) => errors.push(m) }
    const { s } = scheduler(w, { logger, paused: true, deps: { runJob: () => Promise.reject(new Error('boom')) } })
    expect(s.runNow(job.id)).toBe('running')
    await s.whenIdle()
    expect(w.main.jobs.get(job.id)).toMatchObject({ runState: 'idle', lastStatus: 'failed' })
    expect(errors).toEqual(['job run threw'])
    expect(() => s.runNow('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }))
  })

  it('paused: every slot is claimed and skipped with a note, nothing runs', async () => {
    const w = world('2026-01-10T12:00:00Z')
    const job = w.addJob('nightly')
    const { s, runs } = scheduler(w, { paused: true, deps: LONG })
    s.start()
    await w.clock.advanceTo('2026-01-13T12:00:00Z')
    expect(runs).toEqual([])
    expect(activity(w.main, 'job.skip').map((e) => [e.at, e.detail])).toEqual(
      ['2026-01-11', '2026-01-12', '2026-01-13'].map((d) => [z(`${d}T00:00`), { reason: 'schedules paused', slot: z(`${d}T00:00`) }]),
    )
    expect(s.state().paused).toBe(true)
    expect(w.main.jobs.get(job.id)?.nextDueAt).toBe(z('2026-01-14T00:00'))
  })

  it('picks up jobs added by another process at the next wake; disabled jobs have no next due', async () => {
    const w = world('2026-01-10T12:00:00Z')
    const { s, runs } = scheduler(w)
    s.start()
    await w.clock.advance(5_000)
    const other = connect(w.file) // `lifeboat job add` while the app runs
    w.addJob('minutely', { schedule: { kind: 'cron', expression: '* * * * *' } }, 'auto', other)
    const fresh = w.addJob('fresh', {}, null, other)
    const off = w.addJob('off', { enabled: false }, z('2026-01-11T00:00'), other)
    await w.clock.advanceTo(new Date(Date.parse('2026-01-10T12:00:00Z') + WAKE_MS - 1))
    expect(w.main.jobs.get(fresh.id)?.nextDueAt).toBeNull() // not seen yet
    await w.clock.advance(1) // the wake WAKE_MS after the last one reads the store again
    expect(w.main.jobs.get(fresh.id)?.nextDueAt).toBe(z('2026-01-11T00:00'))
    await w.clock.advanceTo('2026-01-10T12:01:30Z')
    expect(runs).toEqual([{ job: 'minutely', trigger: 'schedule', at: z('2026-01-10T12:01') }])
    expect(w.main.jobs.get(off.id)?.nextDueAt).toBeNull()
    await s.stop()
  })

  it('two schedulers on one data dir: one holds the lock, the other stands by and takes over; every slot runs once', async () => {
    const w = world('2026-01-10T00:00:00Z')
    w.addJob('six-hourly', { schedule: { kind: 'cron', expression: '0 */6 * * *' } })
    const a = scheduler(w, { deps: LONG })
    const b = scheduler(w, { conn: connect(w.file), deps: { ...LONG, pid: process.ppid, kind: 'daemon' } })
    expect(a.s.start()).toEqual({ acquired: true })
    expect(b.s.start()).toMatchObject({ acquired: false, holder: { pid: process.pid, kind: 'desktop' } })
    expect(b.s.state()).toMatchObject({ owner: 'other', ownerPid: process.pid, ownerKind: 'desktop' })

    await w.clock.advanceTo('2026-01-13T03:00:00Z')
    expect(b.runs).toEqual([])
    await a.s.stop()
    expect(b.s.state().owner).toBe('none')
    await w.clock.advance(LONG.wakeMs)
    expect(b.s.state()).toMatchObject({ owner: 'this', ownerPid: process.ppid, ownerKind: 'daemon' })
    expect(a.s.state()).toMatchObject({ owner: 'other', ownerPid: process.ppid })
    await w.clock.advanceTo('2026-01-17T00:00:00Z')
    await b.s.stop()

    const slots = Array.from({ length: 28 }, (_, i) => new Date(Date.parse('2026-01-10T06:00:00Z') + i * 6 * 3_600_000).toISOString())
    expect([...a.runs, ...b.runs].map((r) => r.at)).toEqual(slots)
    expect(a.runs).toHaveLength(12)
    expect([...a.runs, ...b.runs].every((r) => r.trigger === 'schedule')).toBe(true)
    expect(a.s.state().owner).toBe('none')
    expect(w.clock.pending).toBe(0)
  })

  it('a lost race for the same due slot: the compare-and-set lets exactly one scheduler run it', async () => {
    const w = world('2026-01-10T23:59:00Z')
    const job = w.addJob('nightly')
    // A never notices it lost the lock; B thinks A is dead: both believe they schedule.
    class DeafLock extends SchedulerLockRepo {
      override heartbeat(): boolean {
        return true
      }
    }
    let claims: boolean[] = []
    let beforeClaim: (() => void) | undefined
    class SlowJobsRepo extends JobsRepo {
      override claimSlot(id: string, expected: string | null, next: string | null): boolean {
        beforeClaim?.() // A acts between B's read and B's claim
        beforeClaim = undefined
        const won = super.claimSlot(id, expected, next)
        claims.push(won)
        return won
      }
    }
    const a = scheduler(w, { deps: { lock: new DeafLock(w.main.db) } })
    const bConn = connect(w.file, (db) => new SlowJobsRepo(db))
    const b = scheduler(w, { conn: bConn, deps: { pid: process.ppid, lock: new SchedulerLockRepo(bConn.db, () => false) } })
    expect(a.s.start()).toEqual({ acquired: true })
    expect(b.s.start()).toEqual({ acquired: true })
    claims = []
    beforeClaim = () => a.s.refresh()
    w.clock.set('2026-01-11T00:00:00Z')
    b.s.refresh()
    await w.clock.advanceTo('2026-01-11T06:00:00Z')
    expect(claims[0]).toBe(false)
    expect([...a.runs, ...b.runs]).toEqual([{ job: 'nightly', trigger: 'schedule', at: z('2026-01-11T00:00') }])
    expect(a.runs).toHaveLength(1)
    // B dropped the slot at the claim; single flight would have refused it later, but with a skip note.
    expect(activity(w.main, 'job')).toEqual([])
    expect(w.main.jobs.get(job.id)?.nextDueAt).toBe(z('2026-01-12T00:00'))
  })
})
