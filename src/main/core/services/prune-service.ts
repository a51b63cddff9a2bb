import type { Backup } from '../../../shared/backup-model'
import type { PrunePlan } from '../../../shared/job-model'
import type { Origin } from '../../../shared/model'
import type { Logger } from '../logging/logger'
import { planRetention, type RetentionCandidate } from '../retention/plan'
import type { ActivityRepo } from '../store/activity-repo'
import type { StoredJob } from '../store/jobs-repo'
import type { BackupService } from './backup-service'

export interface PruneServiceDeps {
  backups: BackupService
  activity: ActivityRepo
  logger: Logger
  now?: () => Date
}

/** A copy of a backup at one destination, as retention sees it. */
function candidatesAt(backups: Backup[], destination: string): RetentionCandidate[] {
  return backups
    .filter((b) => b.status !== 'success' || b.copies.some((c) => c.destination === destination && c.status === 'success'))
    .map((b) => ({ id: b.id, fileName: b.fileName, startedAt: b.startedAt, status: b.status }))
}

/**
 * Retention per job and destination: plans come from the pure planner; applying one deletes the
 * copies it marks (a refused plan deletes nothing) and logs every deletion with the reason.
 */
export class PruneService {
  constructor(private readonly deps: PruneServiceDeps) {}

  plan(job: StoredJob): PrunePlan[] {
    const now = this.deps.now?.() ?? new Date()
    const backups = this.deps.backups.list({ jobId: job.id, limit: 1_000_000 })
    return job.definition.destinations.map((destination) => {
      const plan = planRetention(candidatesAt(backups, destination), job.definition.retention, now, job.definition.timeZone)
      return { jobId: job.id, jobName: job.definition.name, destination, decisions: plan.decisions, refused: plan.refused }
    })
  }

  /** Applies the plans; a copy that can't be deleted is reported and the rest go on. */
  async apply(job: StoredJob, origin: Origin): Promise<{ plans: PrunePlan[]; errors: string[] }> {
    const plans = this.plan(job)
    const errors: string[] = []
    for (const plan of plans) {
      const doomed = plan.refused ? [] : plan.decisions.filter((d) => d.action === 'delete')
      const deleted: string[] = []
      for (const decision of doomed) {
        try {
          await this.deps.backups.deleteCopy(decision.backupId, plan.destination)
          deleted.push(decision.fileName)
        } catch (e) {
          const message = `${decision.fileName} at ${plan.destination}: ${e instanceof Error ? e.message : String(e)}`
          errors.push(message)
          this.deps.logger.error('prune: delete failed', { job: job.definition.name, error: message })
        }
      }
      if (plan.refused || doomed.length > 0) {
        this.deps.activity.record({
          origin,
          action: 'backup.prune',
          subject: job.definition.name,
          outcome: plan.refused || deleted.length < doomed.length ? 'failed' : 'ok',
          detail: {
            destination: plan.destination,
            deleted,
            kept: plan.decisions.filter((d) => d.action === 'keep').length,
            ...(plan.refused ? { refused: plan.refused } : {}),
            ...(deleted.length < doomed.length ? { errors } : {}),
          },
        })
      }
    }
    return { plans, errors }
  }
}
