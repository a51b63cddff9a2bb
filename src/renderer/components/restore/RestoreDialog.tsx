import { useEffect, useRef, useState } from 'react'
import type { Backup } from '../../../shared/backup-model'
import type { ErrorInfo } from '../../../shared/errors'
import type { RestorePlan } from '../../../shared/restore-model'
import { api } from '../../api'
import { useProfiles } from '../../hooks/useProfiles'
import { ERROR_LABELS } from '../../lib/labels'
import { ConfirmStep } from './ConfirmStep'
import { emptyDraft, targetsFor, toRequest, validateDraft, type DraftErrors, type RestoreDraft } from './draft'
import { PlanView } from './PlanView'
import { RestoreForm } from './RestoreForm'
import { RestoreProgressView } from './RestoreProgressView'
import { SourceSummary } from './SourceSummary'
import { useRestoreEvents } from './useRestoreEvents'

/**
 * The most dangerous screen in the app. Step 0: choose a target (never pre-selected) and options, then
 * preview the plan (restores.plan, changes nothing). Step 1: Continue confirms the plan. Step 2: type the
 * target database name by hand (production also needs its box). Any change to the target or options
 * throws the plan away: it must be previewed again. Then live progress, cancel, and the result.
 */
export function RestoreDialog({ backup, onClose }: { backup: Backup; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null)
  const { profiles } = useProfiles()
  const live = useRestoreEvents()
  const [draft, setDraft] = useState<RestoreDraft>(emptyDraft)
  const [errors, setErrors] = useState<DraftErrors>({})
  const [plan, setPlan] = useState<RestorePlan | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [typed, setTyped] = useState('')
  const [production, setProduction] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ErrorInfo | null>(null)
  const [runId, setRunId] = useState<string | null>(null)

  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
    return () => dialog?.close()
  }, [])

  const targets = targetsFor(backup, profiles)
  const target = targets.find((p) => p.id === draft.targetProfileId)
  const run = runId ? live[runId] : undefined
  const running = runId !== null && !run?.result
  const needsProduction = target?.tag === 'production' || plan?.target.tag === 'production'
  const canRestore = plan !== null && confirming && typed === plan.target.database && (!needsProduction || production) && !busy

  function change(patch: Partial<RestoreDraft>) {
    if (patch.targetProfileId !== undefined && patch.targetProfileId !== draft.targetProfileId) setProduction(false)
    setDraft((d) => ({ ...d, ...patch }))
    setErrors({})
    // Back to step 0: the plan described other choices.
    setPlan(null)
    setConfirming(false)
    setTyped('')
    setError(null)
  }

  async function preview() {
    const found = validateDraft(backup, draft)
    setErrors(found)
    if (Object.keys(found).length) return
    setBusy(true)
    setError(null)
    const result = await api.restores.plan(toRequest(backup, draft, null))
    setBusy(false)
    if (result.ok) setPlan(result.value)
    else setError(result.error)
  }

  async function restore() {
    if (!plan || !canRestore) return
    setBusy(true)
    setError(null)
    const result = await api.restores.run(toRequest(backup, draft, { name: typed, production: needsProduction && production }))
    setBusy(false)
    if (result.ok) setRunId(result.value.id)
    else setError(result.error)
  }

  const close = () => {
    if (!running) onClose()
  }

  return (
    <dialog
      ref={ref}
      className="restore-dialog"
      aria-labelledby="restore-title"
      data-testid="restore-dialog"
      onCancel={(e) => {
        e.preventDefault()
        close()
      }}
    >
      <h2 id="restore-title">Restore a backup</h2>
      <SourceSummary backup={backup} />
      {targets.length === 0 && <p className="form-error">No profile uses {backup.engine}: add a target profile first.</p>}
      <RestoreForm
        backup={backup}
        targets={targets}
        draft={draft}
        errors={errors}
        disabled={busy || runId !== null}
        onChange={change}
        production={production}
        onProduction={setProduction}
      />

      {plan && <PlanView plan={plan} />}
      {plan && confirming && <ConfirmStep database={plan.target.database} typed={typed} onTyped={setTyped} disabled={busy || runId !== null} />}
      {runId && <RestoreProgressView progress={run?.progress ?? null} result={run?.result ?? null} />}

      {error && (
        <p className="form-error" role="alert" data-testid="restore-dialog-error">
          {ERROR_LABELS[error.code]}: {error.message}
        </p>
      )}

      <div className="actions">
        <span className="restore-step muted" data-testid="restore-step">
          {runId ? (running ? 'Restoring…' : 'Done') : !plan ? 'Step 0 of 2: choose the target and preview the plan' : !confirming ? 'Step 1 of 2: check the plan' : 'Step 2 of 2: type the name'}
        </span>
        <span className="spacer" />
        {running ? (
          <button type="button" className="danger" onClick={() => runId && void api.restores.cancel({ id: runId })}>
            Cancel restore
          </button>
        ) : (
          <button type="button" onClick={close} autoFocus>
            {runId ? 'Close' : 'Cancel'}
          </button>
        )}
        {!runId && !plan && (
          <button type="button" className="primary" onClick={() => void preview()} disabled={busy || !draft.targetProfileId}>
            {busy ? 'Previewing…' : 'Preview plan'}
          </button>
        )}
        {!runId && plan && !confirming && (
          <button type="button" className="primary" onClick={() => setConfirming(true)}>
            Continue
          </button>
        )}
        {!runId && plan && confirming && (
          <button type="button" className="danger" onClick={() => void restore()} disabled={!canRestore}>
            Restore
          </button>
        )}
      </div>
    </dialog>
  )
}
