import Database from 'better-sqlite3'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type LifeboatCore } from '../../src/main/core/app'
import { silentLogger } from '../../src/main/core/logging/logger'
import type { Clock } from '../../src/main/core/scheduler/clock'
import type { Origin } from '../../src/shared/model'
import type { SchedulePreview } from '../../src/shared/job-model'
import { missingPrerequisite, openApp, type OpenedApp, screenshot } from './browser'

/**
 * Schedules, Dashboard, Activity and Settings in headless Chromium against the real core (loopback
 * bridge, real store, real SQLite backups). The steps build on each other, in order.
 */
const missing = missingPrerequisite()
const JOB = 'weekday-notes'
const BAD_CRON = '61 * * * *'
const GOOD_CRON = '*/15 9-17 * * 1-5'
const JOB_ZONE = 'Europe/Berlin'
const SLACK_URL = 'https://hooks.slack.com/services/T0000/B0000/not-a-real-token'

/**
 * The scheduler holds the lock (so the page says "Schedules run in this app") but its timers never
 * fire: no slot of the new job can start a backup in the middle of the story.
 */
const timersThatNeverFire: Clock = { now: () => new Date(), setTimer: () => () => {} }

let dir: string
let core: LifeboatCore
let page: Page
let app: OpenedApp | undefined
let notesId: string
let timeZone: string

function step(name: string, run: () => Promise<void>, timeout?: number) {
  it(
    name,
    async (ctx) => {
      if (missing) return ctx.skip(missing)
      await run()
    },
    timeout,
  )
}

const shot = (name: string) => screenshot(page, name)

const nav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click()
const form = (): Locator => page.getByTestId('job-form')
const field = (label: string): Locator => form().getByLabel(label, { exact: true })
const jobRow = (): Locator => page.getByTestId(`job-row-${JOB}`)
const card = (profile: string): Locator => page.getByTestId(`health-card-${profile}`)
const activityRows = (): Locator => page.getByTestId('activity-row')
const preview = (expression: string): Promise<SchedulePreview> => core.handlers['jobs.preview']({ schedule: { kind: 'cron', expression }, timeZone })
const finishedRuns = (profileId: string) => core.backups.list({ profileId }).filter((b) => b.status !== 'running')

async function backUp(profileId: string, origin?: Origin) {
  const started = await core.backups.start({ profileId, ...(origin ? { origin } : {}) })
  return started.finished
}

function addNotes(path: string, rows: number): void {
  const db = new Database(path)
  db.exec('CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)')
  const insert = db.prepare('INSERT INTO notes (body) VALUES (?)')
  db.transaction(() => {
    for (let i = 0; i < rows; i++) insert.run(`note ${i}: keep the lifeboat ready, ${'∿'.repeat(i % 40)}`)
  })()
  db.close()
}

beforeAll(async () => {
  if (missing) {
    if (process.env.CI === 'true') throw new Error(missing)
    console.warn(`[e2e] skipped: ${missing}`)
    return
  }
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-e2e-schedules-'))
  core = createApp({ home: join(dir, 'home'), origin: 'ui', logger: silentLogger, clock: timersThatNeverFire })
  await core.ready

  const notes = join(dir, 'notes.sqlite')
  addNotes(notes, 200)
  notesId = (await core.profiles.create({ profile: { engine: 'sqlite', name: 'notes', tag: 'dev', file: notes } })).id
  const doomed = join(dir, 'doomed.sqlite')
  addNotes(doomed, 10)
  const doomedId = (await core.profiles.create({ profile: { engine: 'sqlite', name: 'doomed', tag: 'staging', file: doomed } })).id

  // History for the Dashboard: three good runs of a growing database (one from the CLI, for the
  // Activity filter), and a profile whose file vanished after one good run, so its newest run failed.
  expect((await backUp(notesId)).status).toBe('success')
  addNotes(notes, 2000)
  expect((await backUp(notesId, 'cli')).status).toBe('success')
  addNotes(notes, 4000)
  expect((await backUp(notesId)).status).toBe('success')
  expect((await backUp(doomedId)).status).toBe('success')
  rmSync(doomed)
  expect((await backUp(doomedId)).status).toBe('failed')

  expect(core.scheduler.start()).toEqual({ acquired: true })
  app = await openApp(core)
  page = app.page
}, 120_000)

afterAll(async () => {
  await app?.close()
  await core?.scheduler.stop()
  core?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('Schedules, Dashboard, Activity and Settings', () => {
  step('the Schedules page says where schedules run and has no job yet', async () => {
    await nav('Schedules')
    await page.getByRole('heading', { level: 1, name: 'Schedules' }).waitFor()
    const banner = page.getByTestId('scheduler-state')
    await banner.waitFor()
    expect(await banner.getAttribute('data-owner')).toBe('this')
    expect(await banner.textContent()).toContain('Schedules run in this app.')
    await page.getByTestId('jobs-empty').waitFor()
  })

  step('a new job: an invalid cron expression is flagged inline as you type', async () => {
    await page.getByRole('button', { name: 'New job' }).click()
    await form().waitFor()
    // The default zone is this machine's; the job takes another, so the preview shows both clocks.
    expect(await field('Time zone').inputValue()).toBe(await page.evaluate('Intl.DateTimeFormat().resolvedOptions().timeZone'))
    timeZone = JOB_ZONE
    await field('Time zone').fill(timeZone)
    await field('Name').fill(JOB)
    await field('Profile').selectOption(notesId)
    await field('Repeats').selectOption('cron')
    await field('Cron expression').fill(BAD_CRON)

    const expected = await preview(BAD_CRON)
    if (expected.ok) throw new Error(`jobs.preview accepted ${BAD_CRON}`)
    const error = form().getByRole('alert').and(form().getByTestId('error-cron'))
    await error.waitFor()
    expect(await error.textContent()).toBe(expected.error)
    expect(await field('Cron expression').getAttribute('aria-invalid')).toBe('true')
    expect(await field('Cron expression').getAttribute('aria-describedby')).toBe(await error.getAttribute('id'))
    expect(await form().getByTestId('schedule-preview').count()).toBe(0)
  })

  step('a valid cron expression shows its description and the next five runs', async () => {
    await field('Cron expression').fill(GOOD_CRON)
    const expected = await preview(GOOD_CRON)
    if (!expected.ok) throw new Error(`jobs.preview refused ${GOOD_CRON}: ${expected.error}`)
    const description = form().getByTestId('schedule-description')
    await expect.poll(() => description.textContent().catch(() => null)).toBe(expected.description)
    await form().getByTestId('error-cron').waitFor({ state: 'detached' })
    expect(await field('Cron expression').getAttribute('aria-invalid')).toBeNull()
    await expect.poll(() => form().locator('[data-testid="schedule-preview"]:not(.stale)').count()).toBe(1)
    const runs = form().getByTestId('next-run').locator('time')
    expect(await runs.evaluateAll((times) => times.map((t) => t.getAttribute('datetime')))).toEqual(expected.nextRuns)
    expect(expected.nextRuns).toHaveLength(5)
  })

  step('retention and a write-only Slack webhook; screenshot of the form', async () => {
    await field('Keep last N').fill('7')
    await field('GFS daily').fill('7')
    await field('GFS weekly').fill('4')
    expect(await form().getByTestId('retention-summary').textContent()).toBe('Keep last 7 · 7 daily, 4 weekly')
    await field('Slack webhook URL').fill(SLACK_URL)
    await shot('schedule-form')
  })

  step('Create job saves it: the list shows its description, next run and retention', async () => {
    await form().getByRole('button', { name: 'Create job' }).click()
    await form().waitFor({ state: 'detached' })
    const [job] = core.jobs.list()
    expect(job?.name).toBe(JOB)
    expect(job!.schedule).toEqual({ kind: 'cron', expression: GOOD_CRON })
    expect(job!.timeZone).toBe(timeZone)
    expect(job!.retention).toEqual({ keepLast: 7, gfs: { daily: 7, weekly: 4, monthly: 0, yearly: 0 } })
    expect(job!.hasSlackWebhook).toBe(true)
    expect(JSON.stringify(job)).not.toContain(SLACK_URL)

    await jobRow().waitFor()
    expect(await jobRow().getByTestId('job-description').textContent()).toBe(job!.description)
    expect(await jobRow().locator('[data-testid="next-run-at"] time').getAttribute('datetime')).toBe(job!.nextDueAt)
    expect(await jobRow().getByTestId('next-run-at').textContent()).toMatch(/\(in \d+ (min|h|d)/)
    expect(await jobRow().getByTestId('run-state').textContent()).toBe('idle')
    expect(await jobRow().getByTestId('job-retention').textContent()).toBe('Keep last 7 · 7 daily, 4 weekly')
    expect(await page.getByTestId('notice').textContent()).toContain(`Job “${JOB}” created`)
  })

  step('Run now backs the profile up; the last result links to that backup', async () => {
    await jobRow().getByRole('button', { name: `Run ${JOB} now` }).click()
    await page.getByTestId('notice').filter({ hasText: `Job “${JOB}” is running.` }).waitFor()
    // Main first (a failure message names the run state), then the row that follows its jobs.changed.
    const state = () => core.jobs.list().map((j) => `${j.runState}/${j.lastStatus}`)[0]
    await expect.poll(state, { timeout: 30_000 }).toBe('idle/success')
    const link = jobRow().getByTestId('last-result').locator('a')
    await link.waitFor()
    const job = core.jobs.list()[0]!
    expect(await link.getAttribute('href')).toBe(`#/backups?backup=${job.lastBackupId}`)
    expect(await link.getByTestId('status-badge').textContent()).toBe('success')
    await expect.poll(() => jobRow().getByTestId('run-state').textContent()).toBe('idle')
    await shot('schedules')
  })

  step('a job waiting for a free run slot says "queued" and cannot be started twice', async () => {
    // The queue's state as another process (the daemon) would leave it in the store.
    const id = core.jobs.list()[0]!.id
    const setRunState = (state: 'queued' | 'idle') => {
      core.db.prepare('UPDATE jobs SET run_state = ? WHERE id = ?').run(state, id)
      core.events.emit({ type: 'jobs.changed' })
    }
    setRunState('queued')
    await jobRow().locator('[data-testid="run-state"][data-state="queued"]').waitFor()
    expect(await jobRow().getByTestId('run-state').textContent()).toBe('queued')
    expect(await jobRow().getByRole('button', { name: `Run ${JOB} now` }).isDisabled()).toBe(true)
    setRunState('idle')
    await jobRow().locator('[data-testid="run-state"][data-state="idle"]').waitFor()
  })

  step('a second job with the same name: the server\'s error is shown next to the name', async () => {
    await page.getByRole('button', { name: 'New job' }).click()
    await form().waitFor()
    await field('Name').fill(JOB)
    await field('Profile').selectOption(notesId)
    await form().getByRole('button', { name: 'Create job' }).click()
    const error = form().getByTestId('error-name')
    await error.waitFor()
    expect(await error.textContent()).toBe(`a job named "${JOB}" already exists`)
    expect(await field('Name').getAttribute('aria-invalid')).toBe('true')
    expect(core.jobs.list()).toHaveLength(1)
    await form().getByRole('button', { name: 'Cancel' }).click()
    await form().waitFor({ state: 'detached' })
  })

  step('Edit: the webhook shows as "saved", never its value; retention preview; Remove sends null', async () => {
    await jobRow().getByRole('button', { name: `Edit ${JOB}` }).click()
    await form().waitFor()
    await form().getByTestId('slackWebhookUrl-saved').waitFor()
    expect(await field('Slack webhook URL').inputValue()).toBe('')

    await form().getByRole('button', { name: 'Preview retention' }).click()
    const plan = form().getByTestId('prune-plan-local')
    await plan.waitFor()
    const [expected] = await core.handlers['jobs.prunePlan']({ id: core.jobs.list()[0]!.id })
    expect(await plan.getByTestId('prune-decision').count()).toBe(expected!.decisions.length)
    expect(await plan.locator('[data-testid="prune-decision"][data-action="keep"]').count()).toBe(expected!.decisions.filter((d) => d.action === 'keep').length)
    expect(await form().getByRole('button', { name: 'Apply…' }).isDisabled()).toBe(expected!.decisions.every((d) => d.action === 'keep'))

    await form().getByRole('button', { name: 'Remove the saved Slack webhook URL' }).click()
    await form().getByRole('button', { name: 'Save', exact: true }).click()
    await form().waitFor({ state: 'detached' })
    expect(core.jobs.list()[0]!.hasSlackWebhook).toBe(false)
  })

  step('the Dashboard shows a card per profile with its state and a chart point per finished run', async () => {
    await nav('Dashboard')
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor()
    await card('notes').waitFor()
    await card('doomed').waitFor()
    const health = core.health()
    expect(await page.getByTestId('overall').getAttribute('data-state')).toBe(health.overall)
    for (const p of health.profiles) {
      const c = card(p.name)
      expect(await c.getByTestId('health-state').textContent()).toBe(p.state)
      expect(await c.getByTestId('health-reason').textContent()).toBe(p.reason)
      const runs = finishedRuns(p.profileId).length
      const chart = c.getByRole('img', { name: `Backup size and duration over the last ${runs} runs` })
      expect(await chart.locator('[data-testid="chart-point"]').count()).toBe(runs)
    }
    expect(await card('doomed').getByTestId('health-state').textContent()).toBe('failing')
    expect(await card('doomed').getByTestId('last-failure').textContent()).toMatch(/ago|just now/)
    expect(await card('notes').getByTestId('stats-success-rate').textContent()).toBe('100 %')
    expect(await card('doomed').getByTestId('stats-success-rate').textContent()).toBe('50 %')
    expect(await card('notes').locator('[data-testid="chart-point"] title').first().textContent()).toMatch(/ · success · .+ · .+/)
    await shot('dashboard')
  })

  step('the Activity page lists the job creation and the backups; filtering by origin narrows them', async () => {
    await nav('Activity')
    await page.getByRole('heading', { level: 1, name: 'Activity' }).waitFor()
    const all = core.activity.list({ limit: 1000 })
    await expect.poll(() => activityRows().count()).toBe(all.length)
    expect(await page.locator(`[data-testid="activity-row"][data-action="job.create"]`).count()).toBe(1)
    expect(await page.locator(`[data-testid="activity-row"][data-action="job.create"] .col-subject`).textContent()).toBe(JOB)
    const backupRuns = all.filter((e) => e.action === 'backup.run').length
    expect(backupRuns).toBeGreaterThanOrEqual(6)
    expect(await page.locator(`[data-testid="activity-row"][data-action="backup.run"]`).count()).toBe(backupRuns)
    const failed = page.locator('[data-testid="activity-row"][data-outcome="failed"]').first()
    expect(await failed.locator('.detail-problem').first().textContent()).toMatch(/^error: .*doomed\.sqlite/)
    await shot('activity')

    await page.getByLabel('Origin', { exact: true }).selectOption('cli')
    const cli = core.activity.list({ origin: 'cli', limit: 1000 })
    expect(cli.length).toBeGreaterThan(0)
    expect(cli.length).toBeLessThan(all.length)
    await expect.poll(() => activityRows().count()).toBe(cli.length)
    expect(new Set(await activityRows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-origin'))))).toEqual(new Set(['cli']))
    expect(await page.getByTestId('activity-count').textContent()).toBe(`${cli.length} ${cli.length === 1 ? 'entry' : 'entries'}`)
    await page.getByLabel('Origin', { exact: true }).selectOption('')
    await expect.poll(() => activityRows().count()).toBe(all.length)
  })

  step('Settings: concurrent runs and pause are saved at once', async () => {
    await nav('Settings')
    const runs = page.getByLabel('Concurrent scheduled runs')
    await runs.waitFor()
    expect(await runs.inputValue()).toBe(String(core.settings.get('maxConcurrentRuns')))
    await runs.fill('3')
    await expect.poll(() => core.settings.get('maxConcurrentRuns')).toBe(3)
    await runs.fill('17')
    await page.getByRole('alert').filter({ hasText: 'at most 16' }).waitFor()
    expect(core.settings.get('maxConcurrentRuns')).toBe(3)
    await runs.fill('3')

    await page.getByLabel('Pause schedules').check()
    await expect.poll(() => core.settings.get('schedulesPaused')).toBe(true)
    await nav('Schedules')
    await page.locator('[data-testid="scheduler-state"][data-paused="true"]').waitFor()
    expect(await page.getByTestId('scheduler-state').textContent()).toContain('at most 3 at once')
    await nav('Settings')
    await page.getByLabel('Pause schedules').uncheck()
    await expect.poll(() => core.settings.get('schedulesPaused')).toBe(false)
  })

  step('ran without CSP violations or page errors', async () => {
    expect(app?.problems).toEqual([])
  })
})
