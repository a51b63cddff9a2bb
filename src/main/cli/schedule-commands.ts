import type { Command } from 'commander'
import { ORIGINS, OUTCOMES } from '../../shared/activity-model'
import { AppError } from '../../shared/errors'
import { ago, formatBytes, formatDuration } from '../../shared/format'
import type { HealthSummary } from '../../shared/health-model'
import type { PrunePlan } from '../../shared/job-model'
import { formatTable } from './cli-values'
import { EXIT, usageError, type CliIo } from './io'
import type { CommandContext, CommandRunner } from './run'

function statusText(h: HealthSummary, now: Date): string {
  if (h.profiles.length === 0) return 'No profiles yet.'
  const rows = [['PROFILE', 'STATE', 'LAST GOOD', 'LAST FAILURE', 'JOBS', 'WHY']]
  for (const p of h.profiles) {
    rows.push([p.name, p.state, p.lastSuccessAt ? ago(p.lastSuccessAt, now) : 'never', p.lastFailureAt ? ago(p.lastFailureAt, now) : '-', p.jobs.join(', ') || '-', p.reason.replace(/\s+/g, ' ').slice(0, 120)])
  }
  return `${formatTable(rows)}\n\noverall: ${h.overall}${h.unhealthy ? ' (unhealthy: exit 3)' : ''}`
}

function planText(plans: PrunePlan[], dryRun: boolean): string {
  if (plans.length === 0) return 'No jobs, nothing to prune.'
  const lines: string[] = []
  for (const p of plans) {
    const doomed = p.decisions.filter((d) => d.action === 'delete').length
    lines.push(`${p.jobName} @ ${p.destination}: ${p.refused ?? `${dryRun ? 'would delete' : 'deleted'} ${doomed}, keep ${p.decisions.length - doomed}`}`)
    for (const d of p.decisions) lines.push(`  ${d.action === 'keep' ? 'keep  ' : 'delete'}  ${d.fileName}  (${d.reasons.join('; ')})`)
  }
  return lines.join('\n')
}

async function prune({ core, out }: CommandContext, flags: { dryRun?: boolean; job?: string }): Promise<number> {
  const jobs = flags.job ? [core.jobs.resolve(flags.job)] : core.jobs.list().map((j) => core.jobs.stored(j.id))
  const plans: PrunePlan[] = []
  const errors: string[] = []
  for (const job of jobs) {
    if (flags.dryRun) plans.push(...core.prune.plan(job))
    else {
      const applied = await core.prune.apply(job, 'cli')
      plans.push(...applied.plans)
      errors.push(...applied.errors)
    }
  }
  const refused = plans.filter((p) => p.refused)
  out.result({ dryRun: flags.dryRun === true, plans, errors }, planText(plans, flags.dryRun === true) + (errors.length ? `\n\nerrors:\n  ${errors.join('\n  ')}` : ''))
  // A refusal or a failed delete needs a human: scripts see exit 1.
  return !flags.dryRun && (refused.length > 0 || errors.length > 0) ? EXIT.failed : EXIT.ok
}

/** Runs the scheduler until SIGINT/SIGTERM; running backups are cancelled (recorded as such) on the way out. */
async function daemon({ core, io, out }: CommandContext): Promise<number> {
  const started = core.scheduler.start()
  if (!started.acquired) {
    await core.scheduler.stop() // no standby for the daemon: say who runs the jobs and exit
    const h = started.holder
    throw new AppError('CONFLICT', `another scheduler already runs the jobs of this data dir: ${h.kind === 'desktop' ? 'the Lifeboat app' : 'lifeboat daemon'} (pid ${h.pid} on ${h.host}, since ${h.acquiredAt}); stop it first`)
  }
  out.note(`lifeboat daemon: scheduling ${core.jobs.list().filter((j) => j.enabled).length} job(s) for ${core.paths.home} (pid ${process.pid}); Ctrl-C stops`)
  const off = core.events.subscribe((e) => {
    if (e.type !== 'backup.finished') return
    const b = e.backup
    out.note(`${new Date().toISOString()} ${b.profileName}: ${b.status}${b.status === 'success' ? ` ${b.fileName} (${formatBytes(b.sizeBytes)}, ${formatDuration(b.durationMs)})` : `: ${b.error ?? ''}`}`)
  })
  await waitForInterrupt(io)
  out.note('stopping: cancelling running backups…')
  core.backups.cancelAll()
  await core.scheduler.stop()
  off()
  return EXIT.ok
}

function waitForInterrupt(io: CliIo): Promise<void> {
  return new Promise((resolve) => {
    const stop = io.onInterrupt(() => {
      stop()
      resolve()
    })
  })
}

export function registerScheduleCommands(program: Command, run: CommandRunner): void {
  program
    .command('status')
    .description('health per profile; exit 3 when any profile is stale or failing')
    .action(() =>
      run(async ({ core, out }) => {
        const h = core.health()
        out.result(h, statusText(h, new Date()))
        return h.unhealthy ? EXIT.unhealthy : EXIT.ok
      }),
    )

  program
    .command('prune')
    .description('apply every job’s retention (per destination); --dry-run shows the plan only')
    .option('--dry-run', 'show what would be deleted and why; delete nothing')
    .option('--job <name>', 'only this job')
    .action((flags: { dryRun?: boolean; job?: string }) => run((ctx) => prune(ctx, flags)))

  program
    .command('daemon')
    .description('run the scheduler without the window (one per data dir)')
    .action(() => run(daemon))

  program
    .command('activity')
    .description('the activity log, newest first')
    .option('--origin <o>', ORIGINS.join('|'))
    .option('--outcome <o>', OUTCOMES.join('|'))
    .option('--action <a>', 'a domain (backup, restore, job, profile, settings) or a full action (backup.prune)')
    .option('--search <text>', 'in the subject or the detail')
    .option('--limit <n>', 'at most this many (default 50)')
    .action((flags: { origin?: string; outcome?: string; action?: string; search?: string; limit?: string }) =>
      run(async ({ core, out }) => {
        const limit = flags.limit === undefined ? 50 : Number(flags.limit)
        if (!Number.isInteger(limit) || limit < 1) throw usageError('--limit', `expected a whole number ≥ 1 (got ${JSON.stringify(flags.limit)})`)
        if (flags.origin !== undefined && !(ORIGINS as readonly string[]).includes(flags.origin)) throw usageError('--origin', `expected ${ORIGINS.join('|')} (got ${JSON.stringify(flags.origin)})`)
        if (flags.outcome !== undefined && !(OUTCOMES as readonly string[]).includes(flags.outcome)) throw usageError('--outcome', `expected ${OUTCOMES.join('|')} (got ${JSON.stringify(flags.outcome)})`)
        const entries = core.activity.list({ origin: flags.origin as never, outcome: flags.outcome as never, action: flags.action, search: flags.search, limit })
        const rows = [['TIME (UTC)', 'ORIGIN', 'ACTION', 'SUBJECT', 'OUTCOME', 'DETAIL']]
        for (const e of entries) rows.push([e.at.slice(0, 19).replace('T', ' '), e.origin, e.action, e.subject, e.outcome, e.detail ? JSON.stringify(e.detail).slice(0, 100) : ''])
        out.result(entries, entries.length ? formatTable(rows) : 'No activity recorded.')
        return EXIT.ok
      }),
    )
}
