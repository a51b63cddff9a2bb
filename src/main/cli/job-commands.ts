import type { Command } from 'commander'
import { AppError } from '../../shared/errors'
import { formatBytes, formatDuration } from '../../shared/format'
import type { Job } from '../../shared/job-model'
import { describeRetention } from '../core/retention/plan'
import { formatTable } from './cli-values'
import { EXIT, usageError } from './io'
import { flagForField, jobFromFlags, withJobFlags, type JobFlags } from './job-flags'
import type { CommandContext, CommandRunner } from './run'

/** Service errors name contract fields; on the command line, name the flag. */
function mapJobError(e: unknown): unknown {
  if (!(e instanceof AppError) || e.code !== 'VALIDATION') return e
  const flag = flagForField(e.field)
  return flag ? usageError(flag, e.message.replace(/^[\w.]+: /, '')) : e
}

const when = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') + 'Z' : '-')

function jobLine(j: Job): string {
  return [
    `${j.name}: ${j.profileName} -> ${j.destinations.join(', ')}`,
    `  schedule: ${j.description}${j.enabled ? '' : ' (disabled)'}${j.catchUp ? '' : ', no catch-up'}`,
    `  next run: ${when(j.nextDueAt)}; state: ${j.runState}; last: ${j.lastStatus ?? 'never run'}`,
    `  retention: ${describeRetention(j.retention)}`,
  ].join('\n')
}

export function registerJobCommands(program: Command, run: CommandRunner): void {
  const job = program.command('job').description('scheduled backup jobs')

  withJobFlags(job.command('add <NAME>').description('add a scheduled job')).action((name: string, flags: JobFlags) =>
    run(async ({ core, io, out }) => {
      const { job: def, secrets } = jobFromFlags(name, flags, io, core)
      const created = await core.jobs.create(def, secrets).catch((e: unknown) => {
        throw mapJobError(e)
      })
      out.result(created, `Added job "${created.name}"\n${jobLine(created)}`)
      return EXIT.ok
    }),
  )

  withJobFlags(job.command('edit <NAME>').description('change a job (flags not given stay as they are)'))
    .option('--rename <new-name>', 'give the job a new name')
    .action((name: string, flags: JobFlags & { rename?: string }) =>
      run(async ({ core, io, out }) => {
        const existing = core.jobs.resolve(name)
        const { job: def, secrets } = jobFromFlags(flags.rename ?? existing.definition.name, flags, io, core, existing.definition)
        const updated = await core.jobs.update(existing.id, def, secrets).catch((e: unknown) => {
          throw mapJobError(e)
        })
        out.result(updated, `Updated job "${updated.name}"\n${jobLine(updated)}`)
        return EXIT.ok
      }),
    )

  job
    .command('list')
    .description('list jobs with their next run')
    .action(() =>
      run(async ({ core, out }) => {
        const jobs = core.jobs.list()
        const rows = [['NAME', 'PROFILE', 'SCHEDULE', 'NEXT RUN (UTC)', 'STATE', 'LAST', 'RETENTION']]
        for (const j of jobs) rows.push([j.name, j.profileName, j.enabled ? j.description : `${j.description} (disabled)`, when(j.nextDueAt), j.runState, j.lastStatus ?? '-', describeRetention(j.retention)])
        out.result(jobs, jobs.length === 0 ? 'No jobs yet. Add one with: lifeboat job add NAME --profile P --daily 02:00' : formatTable(rows))
        return EXIT.ok
      }),
    )

  job
    .command('show <NAME>')
    .description('a job, its next five runs and its retention plan')
    .action((name: string) =>
      run(async ({ core, out }) => {
        const stored = core.jobs.resolve(name)
        const view = core.jobs.get(stored.id)
        const preview = core.jobs.preview(view.schedule, view.timeZone)
        const nextRuns = preview.ok ? preview.nextRuns : []
        out.result({ ...view, nextRuns }, `${jobLine(view)}\n  next runs: ${nextRuns.map((r) => when(r)).join(', ')}`)
        return EXIT.ok
      }),
    )

  job
    .command('run <NAME>')
    .description('run a job now in this process (refused while it runs elsewhere)')
    .action((name: string) => run((ctx) => runJobNow(ctx, name)))

  job
    .command('remove <NAME>')
    .description('remove a job (its backups are kept)')
    .action((name: string) =>
      run(async ({ core, out }) => {
        const existing = core.jobs.resolve(name)
        await core.jobs.remove(existing.id)
        out.result({ removed: existing.definition.name, id: existing.id }, `Removed job "${existing.definition.name}"`)
        return EXIT.ok
      }),
    )
}

async function runJobNow({ core, io, out }: CommandContext, name: string): Promise<number> {
  const job = core.jobs.resolve(name)
  let backupId: string | null = null
  const off = core.events.subscribe((e) => {
    if (e.type === 'backup.finished' && e.backup.jobId === job.id) backupId = e.backup.id
  })
  const stopListening = io.onInterrupt(() => {
    out.note('\ncancelling…')
    core.backups.cancelAll()
  })
  try {
    core.scheduler.runNow(job.id)
    await core.scheduler.whenIdle()
  } finally {
    off()
    stopListening()
  }
  const id: string | null = backupId ?? core.jobs.stored(job.id).lastBackupId
  if (id === null) throw new AppError('INTERNAL', `job "${job.definition.name}" ran but recorded no backup`)
  const b = core.backups.get(id)
  if (b.status !== 'success') {
    out.error({ code: b.status === 'cancelled' ? 'CANCELLED' : 'DUMP_FAILED', message: `job ${job.definition.name}: backup ${b.status}: ${b.error ?? 'no reason recorded'}` }, { job: job.definition.name, backup: b })
    return EXIT.failed
  }
  out.result({ job: job.definition.name, backup: b }, `ok: ${b.fileName} (${formatBytes(b.sizeBytes)}, ${formatDuration(b.durationMs)})`)
  return EXIT.ok
}
