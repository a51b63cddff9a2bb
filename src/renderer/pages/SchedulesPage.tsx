import { useMemo, useState } from 'react'
import type { ErrorInfo } from '../../shared/errors'
import type { Job } from '../../shared/job-model'
import { api } from '../api'
import { useEditorPage } from '../hooks/useEditorPage'
import { ConfirmDialog } from '../components/ConfirmDialog'
import { ErrorLine } from '../components/ErrorLine'
import { JobForm } from '../components/jobs/JobForm'
import { JobTable } from '../components/jobs/JobTable'
import { SchedulerBanner } from '../components/jobs/SchedulerBanner'
import { useJobs, useSchedulerState } from '../hooks/useJobs'
import { useProfiles } from '../hooks/useProfiles'

/** The built-in destination; remote ones join the list as jobs use them. */
const BUILT_IN_DESTINATIONS = ['local']

/** Scheduled jobs: when each profile is backed up, where to, how long backups are kept, whom to tell. */
export function SchedulesPage() {
  const jobs = useJobs()
  const scheduler = useSchedulerState()
  const { profiles, error: profilesError, loading: profilesLoading } = useProfiles()
  const [actionError, setActionError] = useState<ErrorInfo | null>(null)
  const { form, setForm, edit, removing, setRemoving, askRemove, removeError, busy, notice, setNotice, saved: savedWith, confirmRemove } = useEditorPage<Job>({
    reload: () => jobs.reload(),
    remove: (item) => api.jobs.remove({ id: item.id }),
    same: (a, b) => a.id === b.id,
    removedNotice: (item) => `Job “${item.name}” deleted. Its backups stay in the history.`,
  })
  const list = useMemo(() => jobs.data ?? [], [jobs.data])
  const destinations = useMemo(() => [...new Set([...BUILT_IN_DESTINATIONS, ...list.flatMap((j) => j.destinations)])].sort(), [list])

  const saved = (job: Job, created: boolean) => savedWith(`Job “${job.name}” ${created ? 'created' : 'saved'}: ${job.description}.`)

  async function runNow(job: Job) {
    setNotice(null)
    setActionError(null)
    const result = await api.jobs.run({ id: job.id })
    if (!result.ok) return setActionError(result.error)
    setNotice(result.value.state === 'queued' ? `Job “${job.name}” is queued: it starts when a run slot is free.` : `Job “${job.name}” is running.`)
  }

  const noProfiles = !profilesLoading && profiles.length === 0
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Schedules</h1>
        <p className="subtitle">Backups on a schedule, with retention and notifications. Run now queues like the scheduler does.</p>
        <button
          type="button"
          className="primary"
          onClick={() => {
            setNotice(null)
            setForm({ open: true, item: null })
          }}
          disabled={noProfiles || (form.open && form.item === null)}
        >
          New job
        </button>
      </header>

      {scheduler.data && <SchedulerBanner state={scheduler.data} />}
      {notice && (
        <p className="notice" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      {[jobs.error, scheduler.error, profilesError, actionError].map((e, i) => e && <ErrorLine key={i} error={e} />)}

      {noProfiles && (
        <p className="empty" data-testid="no-profiles">
          No profiles yet: <a href="#/profiles">create one</a>, then schedule its backups here.
        </p>
      )}

      {form.open && (
        <JobForm
          key={form.item?.id ?? 'new'}
          job={form.item}
          profiles={profiles}
          destinations={destinations}
          onSaved={(job) => saved(job, form.item === null)}
          onCancel={() => setForm({ open: false })}
        />
      )}

      {jobs.data && list.length === 0 && !noProfiles ? (
        <p className="empty" data-testid="jobs-empty">
          No scheduled jobs yet. Create one with “New job”: a profile, a schedule, and how long to keep its backups.
        </p>
      ) : (
        list.length > 0 && (
          <JobTable
            jobs={list}
            onRun={(job) => void runNow(job)}
            onEdit={edit}
            onRemove={askRemove}
          />
        )
      )}

      {removing && (
        <ConfirmDialog
          title={`Delete job “${removing.name}”?`}
          confirmLabel="Delete job"
          danger
          busy={busy}
          onConfirm={() => void confirmRemove()}
          onCancel={() => setRemoving(null)}
        >
          <p>
            The schedule stops and its saved secrets (webhook URLs, passphrase) are deleted. Backups it made stay in the history; retention no longer
            applies to them.
          </p>
          {removeError && <ErrorLine error={removeError} />}
        </ConfirmDialog>
      )}
    </section>
  )
}
