import { randomUUID } from 'node:crypto'
import { AppError } from '../../../shared/errors'
import type { Job, JobDefinition, JobSecrets, Schedule, SchedulePreview } from '../../../shared/job-model'
import type { Origin } from '../../../shared/model'
import type { DestinationRegistry } from '../destinations/registry'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import { registerSecret } from '../logging/redact'
import { describeSchedule, nextRunAfter, previewSchedule, validateCron } from '../scheduler/schedule-math'
import type { SecretStore } from '../secrets/secret-store'
import type { ActivityRepo } from '../store/activity-repo'
import type { JobSecretRefs, JobsRepo, StoredJob } from '../store/jobs-repo'
import type { ProfileService } from './profile-service'

export interface JobServiceDeps {
  repo: JobsRepo
  profiles: ProfileService
  destinations: DestinationRegistry
  secrets: SecretStore
  activity: ActivityRepo
  events: EventBus
  logger: Logger
  origin: Origin
  now?: () => Date
}

type SecretName = keyof JobSecretRefs
const SECRET_NAMES: SecretName[] = ['slackWebhookUrl', 'webhookUrl', 'passphrase']
const secretRef = (jobId: string, name: SecretName) => `job/${jobId}/${name}`

/** The plain values of a job's secrets, for one run. */
export type JobSecretValues = Partial<Record<SecretName, string>>

/** Scheduled jobs: validated CRUD, write-only secrets in the SecretStore, the next due time. */
export class JobService {
  constructor(private readonly deps: JobServiceDeps) {}

  private now(): Date {
    return this.deps.now?.() ?? new Date()
  }

  list(): Job[] {
    return this.deps.repo.list().map((j) => this.view(j))
  }

  get(id: string): Job {
    return this.view(this.stored(id))
  }

  stored(id: string): StoredJob {
    const job = this.deps.repo.get(id)
    if (!job) throw new AppError('NOT_FOUND', `no job with id "${id}"`, 'id')
    return job
  }

  /** For the CLI: a job by name (case-insensitive) or id. */
  resolve(nameOrId: string): StoredJob {
    const job = this.deps.repo.findByName(nameOrId) ?? this.deps.repo.get(nameOrId)
    if (!job) throw new AppError('NOT_FOUND', `no job named "${nameOrId}"`, 'name')
    return job
  }

  /** Names of the jobs that would break if this profile went away. */
  usingProfile(profileId: string): string[] {
    return this.deps.repo.usingProfile(profileId).map((j) => j.definition.name)
  }

  preview(schedule: Schedule, timeZone: string): SchedulePreview {
    return previewSchedule(schedule, timeZone, this.now())
  }

  async create(def: JobDefinition, secrets: JobSecrets = {}, origin = this.deps.origin): Promise<Job> {
    this.assertNameFree(def.name)
    this.validate(def, secrets, {})
    const id = randomUUID()
    const refs = await this.saveSecrets(id, {}, secrets)
    let created: StoredJob
    try {
      created = this.deps.repo.insert(def, refs, this.firstDue(def), this.now(), id)
    } catch (e) {
      await this.dropSecrets(refs)
      throw e
    }
    this.changed('job.create', def.name, origin, { profile: this.deps.profiles.get(def.profileId).name, schedule: describeSchedule(def.schedule, def.timeZone) })
    return this.view(created)
  }

  async update(id: string, def: JobDefinition, secrets: JobSecrets = {}, origin = this.deps.origin): Promise<Job> {
    const existing = this.stored(id)
    this.assertNameFree(def.name, id)
    this.validate(def, secrets, existing.secretRefs)
    const refs = await this.saveSecrets(id, existing.secretRefs, secrets)
    const before = existing.definition
    // A new schedule, zone or enabling starts counting from now; otherwise the persisted slot stands.
    const timing = JSON.stringify([before.schedule, before.timeZone, before.enabled]) !== JSON.stringify([def.schedule, def.timeZone, def.enabled])
    const nextDue = timing ? this.firstDue(def) : existing.nextDueAt
    const updated = this.deps.repo.update(id, def, refs, nextDue, this.now())
    this.changed('job.update', def.name, origin, { previousName: before.name, scheduleChanged: timing })
    return this.view(updated)
  }

  async remove(id: string, origin = this.deps.origin): Promise<void> {
    const job = this.stored(id)
    if (job.runState !== 'idle') throw new AppError('CONFLICT', `job "${job.definition.name}" is ${job.runState}; wait for it to finish or cancel its backup first`)
    this.deps.repo.delete(id)
    await this.dropSecrets(job.secretRefs)
    this.changed('job.remove', job.definition.name, origin, {})
  }

  /** The job's secrets for one run; registered with the log redactor. */
  async secretValues(job: StoredJob): Promise<JobSecretValues> {
    const values: JobSecretValues = {}
    for (const name of SECRET_NAMES) {
      const ref = job.secretRefs[name]
      if (!ref) continue
      const value = await this.deps.secrets.get(ref)
      if (value === undefined) continue
      registerSecret(value)
      values[name] = value
    }
    return values
  }

  view(job: StoredJob): Job {
    const d = job.definition
    const profile = this.deps.profiles.list().find((p) => p.id === d.profileId)
    return {
      id: job.id,
      ...d,
      profileName: profile?.name ?? '(removed profile)',
      hasSlackWebhook: Boolean(job.secretRefs.slackWebhookUrl),
      hasWebhook: Boolean(job.secretRefs.webhookUrl),
      hasPassphrase: Boolean(job.secretRefs.passphrase),
      description: describeSchedule(d.schedule, d.timeZone),
      nextDueAt: job.nextDueAt,
      runState: job.runState,
      lastRunAt: job.lastRunAt,
      lastBackupId: job.lastBackupId,
      lastStatus: job.lastStatus,
      createdAt: job.createdAt,
      updatedAt: job.updatedAt,
    }
  }

  private firstDue(def: JobDefinition): string | null {
    return def.enabled ? (nextRunAfter(def.schedule, def.timeZone, this.now())?.toISOString() ?? null) : null
  }

  /** Everything a DBA could get wrong, each error naming its field. */
  private validate(def: JobDefinition, secrets: JobSecrets, existing: JobSecretRefs): void {
    const profile = this.findProfile(def.profileId, 'profileId')
    if (def.schedule.kind === 'cron') {
      const problem = validateCron(def.schedule.expression)
      if (problem) throw new AppError('VALIDATION', `schedule.expression: ${problem}`, 'schedule.expression')
    }
    if (!nextRunAfter(def.schedule, def.timeZone, this.now())) throw new AppError('VALIDATION', 'schedule: this schedule never runs', 'schedule')
    try {
      this.deps.destinations.resolve(def.destinations)
    } catch (e) {
      throw new AppError('VALIDATION', `destinations: ${e instanceof Error ? e.message : String(e)}`, 'destinations')
    }
    const engine = this.deps.profiles.engine(profile)
    if (def.options.format && !engine.formats.includes(def.options.format)) {
      throw new AppError('VALIDATION', `options.format: ${profile.engine} backups can be ${engine.formats.join(' or ')}, not ${def.options.format}`, 'options.format')
    }
    const passphrase = secrets.passphrase === undefined ? Boolean(existing.passphrase) : secrets.passphrase !== null
    if (def.options.encryption?.kind === 'passphrase' && !passphrase) {
      throw new AppError('VALIDATION', 'secrets.passphrase: passphrase encryption needs a passphrase, kept in the secret store for scheduled runs', 'secrets.passphrase')
    }
    if (def.testRestoreProfileId !== null) {
      const target = this.findProfile(def.testRestoreProfileId, 'testRestoreProfileId')
      if (target.engine !== profile.engine) {
        throw new AppError('VALIDATION', `testRestoreProfileId: a ${profile.engine} backup can't be test-restored into the ${target.engine} profile "${target.name}"`, 'testRestoreProfileId')
      }
      if (target.tag === 'production') {
        throw new AppError('VALIDATION', `testRestoreProfileId: test restores create and drop a scratch database; "${target.name}" is tagged production — choose a staging or dev profile`, 'testRestoreProfileId')
      }
    }
  }

  private findProfile(id: string, field: string) {
    const profile = this.deps.profiles.list().find((p) => p.id === id)
    if (!profile) throw new AppError('VALIDATION', `${field}: no profile with id "${id}"`, field)
    return profile
  }

  private assertNameFree(name: string, exceptId?: string): void {
    const other = this.deps.repo.findByName(name)
    if (other && other.id !== exceptId) throw new AppError('CONFLICT', `name: a job named "${other.definition.name}" already exists`, 'name')
  }

  /** undefined keeps a secret, null removes it, a string replaces it. */
  private async saveSecrets(jobId: string, existing: JobSecretRefs, secrets: JobSecrets): Promise<JobSecretRefs> {
    const refs: JobSecretRefs = { ...existing }
    for (const name of SECRET_NAMES) {
      const value = secrets[name]
      if (value === undefined) continue
      if (value === null) {
        if (refs[name]) await this.deps.secrets.delete(refs[name])
        delete refs[name]
        continue
      }
      registerSecret(value)
      refs[name] = secretRef(jobId, name)
      await this.deps.secrets.set(refs[name], value)
    }
    return refs
  }

  private async dropSecrets(refs: JobSecretRefs): Promise<void> {
    for (const ref of Object.values(refs)) if (ref) await this.deps.secrets.delete(ref)
  }

  private changed(action: string, subject: string, origin: Origin, detail: Record<string, unknown>): void {
    this.deps.activity.record({ origin, action, subject, outcome: 'ok', detail })
    this.deps.logger.info(action, { subject, origin, ...detail })
    this.deps.events.emit({ type: 'jobs.changed' })
  }
}
