import { useState } from 'react'
import type { Backup } from '../../../shared/backup-model'
import type { ErrorInfo } from '../../../shared/errors'
import { describeTarget } from '../../../shared/format'
import { ENGINE_LABELS, type Profile } from '../../../shared/model'
import { api } from '../../api'
import type { LiveRun } from '../../hooks/useBackupProgress'
import { defaultDraft, describeDraft, toRunInput, validateOptions, type OptionsDraft } from '../../lib/backup-options'
import { ERROR_LABELS, formatBytes, formatDuration, formatTimestamp } from '../../lib/labels'
import { TagBadge } from '../TagBadge'
import { BackupOptionsForm } from './BackupOptionsForm'
import { RunProgress } from './RunProgress'
import { StatusBadge } from './StatusBadge'

interface ProfileRunCardProps {
  profile: Profile
  /** This profile's newest history row. */
  latest: Backup | undefined
  live: Record<string, LiveRun>
}

function LastBackup({ backup }: { backup: Backup }) {
  return (
    <span className="last-backup" data-testid="last-backup">
      Last: <StatusBadge status={backup.status} /> {formatTimestamp(backup.startedAt)}
      {backup.status === 'success' && ` · ${formatBytes(backup.sizeBytes)} · ${formatDuration(backup.durationMs)}`}
    </span>
  )
}

function Outcome({ backup }: { backup: Backup }) {
  if (backup.status === 'success') {
    return (
      <p className="run-outcome ok" data-testid="run-outcome">
        Saved <span className="mono">{backup.fileName}</span>: {formatBytes(backup.sizeBytes)} in {formatDuration(backup.durationMs)}.
      </p>
    )
  }
  if (backup.status === 'cancelled') return <p className="run-outcome muted" data-testid="run-outcome">Cancelled: nothing was kept.</p>
  return (
    <p className="run-outcome failed" role="alert" data-testid="run-outcome">
      Backup {backup.status}: {backup.error ?? 'no reason was recorded'}
    </p>
  )
}

/**
 * One profile's "Back up now": options, live progress and cancel. A run started elsewhere (CLI,
 * scheduler, another window) shows up too, as this profile's newest history row while it is running.
 */
export function ProfileRunCard({ profile, latest, live }: ProfileRunCardProps) {
  const [draft, setDraft] = useState<OptionsDraft>(() => defaultDraft(profile.engine))
  const [optionsOpen, setOptionsOpen] = useState(false)
  const [attempted, setAttempted] = useState(false)
  const [runId, setRunId] = useState<string | null>(null)
  const [starting, setStarting] = useState(false)
  const [cancelling, setCancelling] = useState<string | null>(null)
  const [runError, setRunError] = useState<ErrorInfo | null>(null)
  const errors = attempted ? validateOptions(draft) : {}

  const activeId = runId ?? (latest?.status === 'running' ? latest.id : null)
  const run = activeId ? live[activeId] : undefined
  const row = latest && latest.id === activeId ? latest : undefined
  const finished = run?.finished ?? (row && row.status !== 'running' ? row : null)
  const running = starting || (activeId !== null && finished === null)
  const optionsId = `backup-options-${profile.id}`

  async function start() {
    setAttempted(true)
    if (Object.keys(validateOptions(draft)).length > 0) return setOptionsOpen(true)
    setStarting(true)
    setRunError(null)
    setRunId(null) // the previous run's outcome would read as this one's
    const result = await api.backups.run(toRunInput(profile.id, draft))
    setStarting(false)
    if (!result.ok) {
      if (result.error.field) setOptionsOpen(true)
      return setRunError(result.error)
    }
    setRunId(result.value.id)
    setAttempted(false)
    // The passphrase served this run only; it is not kept in memory for the next one.
    setDraft((d) => ({ ...d, passphrase: '', passphraseAgain: '' }))
  }

  async function cancel() {
    if (!activeId) return
    setCancelling(activeId)
    const result = await api.backups.cancel({ id: activeId })
    if (!result.ok) {
      setCancelling(null)
      setRunError(result.error)
    }
  }

  return (
    <article className="run-card" data-testid={`run-card-${profile.name}`} aria-label={`Back up ${profile.name}`}>
      <div className="run-card-head">
        <div className="who">
          <span className="name">{profile.name}</span> <TagBadge tag={profile.tag} />
          <div className="muted mono">
            {ENGINE_LABELS[profile.engine]} · {describeTarget(profile)}
          </div>
        </div>
        <div className="run-meta">
          {latest && latest.id !== activeId && <LastBackup backup={latest} />}
          <span className="options-summary muted" data-testid="options-summary">
            {describeDraft(draft)}
          </span>
        </div>
        <button type="button" aria-expanded={optionsOpen} aria-controls={optionsId} onClick={() => setOptionsOpen((o) => !o)} disabled={running}>
          Options
        </button>
        {running ? (
          <button type="button" className="danger" onClick={() => void cancel()} disabled={starting || cancelling === activeId}>
            {cancelling === activeId ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void start()}>
            Back up now
          </button>
        )}
      </div>
      {(running || finished) && <RunProgress progress={run?.progress ?? null} finished={finished} label={`Backup progress of ${profile.name}`} />}
      {finished && <Outcome backup={finished} />}
      {runError && (
        <p className="form-error" role="alert" data-testid="run-error">
          {ERROR_LABELS[runError.code]}: {runError.message}
        </p>
      )}
      {optionsOpen && !running && (
        <div id={optionsId}>
          <BackupOptionsForm profileId={profile.id} engine={profile.engine} draft={draft} errors={errors} onChange={setDraft} />
        </div>
      )}
    </article>
  )
}
