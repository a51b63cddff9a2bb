import type { Backup } from '../../../shared/backup-model'
import type { Origin } from '../../../shared/model'
import type { Logger } from '../logging/logger'
import { sendRunNotifications } from '../notify'
import type { JobRunOutcome, RunTrigger } from '../scheduler/scheduler'
import type { ActivityRepo } from '../store/activity-repo'
import type { StoredJob } from '../store/jobs-repo'
import type { BackupService } from './backup-service'
import type { JobSecretValues, JobService } from './job-service'
import type { ProfileService } from './profile-service'
import type { PruneService } from './prune-service'
import { runTestRestore, type TestRestoreDeps } from './test-restore'

export interface JobRunnerDeps {
  jobs: JobService
  backups: BackupService
  profiles: ProfileService
  prune: PruneService
  activity: ActivityRepo
  logger: Logger
  testRestore: Omit<TestRestoreDeps, 'backups' | 'profiles' | 'logger'>
  /** Who started manual runs in this process (ui / cli); schedule and catch-up runs are 'scheduler'. */
  origin: Origin
}

const describeError = (e: unknown) => (e instanceof Error ? e.message : String(e))

/** The database (SQLite: the file) for the notification text; null when the profile is gone. */
function databaseOf(profiles: ProfileService, profileId: string): string | null {
  const p = profiles.list().find((x) => x.id === profileId)
  return p ? (p.engine === 'sqlite' ? p.file : p.database) : null
}

/**
 * One run of a job, start to end: backup -> retention (only after a success) -> optional test
 * restore -> notifications. Never rejects: every failure ends up in history, the activity log and
 * the notifications.
 */
export function createJobRunner(deps: JobRunnerDeps): (job: StoredJob, trigger: RunTrigger) => Promise<JobRunOutcome> {
  return async (job, trigger) => {
    const origin: Origin = trigger === 'manual' ? deps.origin : 'scheduler'
    const d = job.definition
    const secrets = await deps.jobs.secretValues(job).catch((e: unknown): JobSecretValues => {
      deps.logger.error('job secrets unreadable', { job: d.name, error: describeError(e) })
      return {}
    })
    let backup: Backup
    try {
      const started = await deps.backups.start({
        profileId: d.profileId,
        options: { ...d.options, label: undefined },
        passphrase: d.options.encryption?.kind === 'passphrase' ? secrets.passphrase : undefined,
        destinations: d.destinations,
        reason: 'scheduled',
        jobId: job.id,
        origin,
      })
      backup = await started.finished
    } catch (e) {
      backup = deps.backups.recordStartFailure({ profile: deps.profiles.get(d.profileId), jobId: job.id, options: d.options, error: describeError(e), origin })
    }

    const notes: string[] = []
    // A backup that reached only some of its destinations is a success with a problem worth telling.
    for (const c of backup.copies) if (backup.status === 'success' && c.status === 'failed') notes.push(`copy to ${c.destination} failed: ${c.error ?? 'no reason recorded'}`)
    if (backup.status === 'success') {
      const pruned = await deps.prune.apply(job, origin).catch((e: unknown) => ({ plans: [], errors: [describeError(e)] }))
      for (const p of pruned.plans) if (p.refused) notes.push(`retention at ${p.destination}: ${p.refused}`)
      if (pruned.errors.length) notes.push(`retention: ${pruned.errors.join('; ')}`)
      if (d.testRestoreProfileId) notes.push(...(await testRestore(deps, job, backup, secrets.passphrase, origin)))
    }

    const failed = backup.status !== 'success' || notes.length > 0
    if (failed || d.notify.onSuccess) {
      await sendRunNotifications(
        { slackWebhookUrl: secrets.slackWebhookUrl, webhookUrl: secrets.webhookUrl },
        { jobName: d.name, backup, database: databaseOf(deps.profiles, d.profileId), note: notes.length ? notes.join('\n') : undefined },
        { logger: deps.logger },
      ).catch((e: unknown) => deps.logger.error('notifications failed', { job: d.name, error: describeError(e) }))
    }
    return { backupId: backup.id, status: backup.status }
  }
}

async function testRestore(deps: JobRunnerDeps, job: StoredJob, backup: Backup, passphrase: string | undefined, origin: Origin): Promise<string[]> {
  const target = job.definition.testRestoreProfileId!
  const result = await runTestRestore(
    { ...deps.testRestore, backups: deps.backups, profiles: deps.profiles, logger: deps.logger },
    { backupId: backup.id, targetProfileId: target, passphrase, origin },
  )
  deps.activity.record({
    origin,
    action: 'job.test-restore',
    subject: job.definition.name,
    outcome: result.status === 'failed' ? 'failed' : 'ok',
    detail: { status: result.status, backupId: backup.id, scratchDatabase: result.scratchDatabase, durationMs: result.durationMs, error: result.error, tables: result.tables.filter((t) => !t.ok) },
  })
  if (result.status === 'passed') return result.error ? [`test restore passed, but: ${result.error}`] : []
  return [`test restore ${result.status}: ${result.error ?? result.tables.filter((t) => !t.ok).map((t) => `${t.name} expected ${t.expected} rows, found ${t.actual}`).join('; ')}`]
}
