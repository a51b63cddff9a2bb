import { useEffect, useState } from 'react'
import type { Result } from '../../shared/contract'
import type { ErrorInfo } from '../../shared/errors'
import { userSettingsSchema, type UserSettings } from '../../shared/settings-model'
import { api } from '../api'
import { ErrorLine } from '../components/ErrorLine'
import { useAppEvent } from '../hooks/useAppEvent'

type BooleanSetting = { [K in keyof UserSettings]: UserSettings[K] extends boolean ? K : never }[keyof UserSettings]

const OPTIONS: { key: BooleanSetting; label: string; hint: string }[] = [
  { key: 'closeToTray', label: 'Keep running in the tray when the window is closed', hint: 'Backups in progress and schedules go on; quit from the tray icon.' },
  { key: 'startAtLogin', label: 'Start Lifeboat when I log in', hint: 'Starts in the tray so scheduled backups run without opening the window.' },
  { key: 'notifyOnSuccess', label: 'Notify me when a backup succeeds', hint: 'Failures always notify.' },
  { key: 'schedulesPaused', label: 'Pause schedules', hint: 'Scheduled slots are skipped (and logged) until you resume; “Run now” still works.' },
]

const maxRunsSchema = userSettingsSchema.shape.maxConcurrentRuns

/**
 * Typed, checked with the shared schema, saved once valid; a bad value stays in the box with its
 * error instead of being replaced by the saved one.
 */
function ConcurrentRunsSetting({ saved, onSave }: { saved: number; onSave(value: number): Promise<ErrorInfo | null> }) {
  const [text, setText] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const shown = text ?? String(saved)

  async function change(value: string) {
    setText(value)
    const parsed = maxRunsSchema.safeParse(value.trim() === '' ? Number.NaN : Number(value))
    if (!parsed.success) return setError(parsed.error.issues[0]?.message ?? 'expected a whole number 1–16')
    setError(null)
    const failed = await onSave(parsed.data)
    if (failed) setError(failed.message)
  }

  return (
    <li className={error ? 'field-invalid' : undefined}>
      <label className="number-setting" htmlFor="setting-maxConcurrentRuns">
        <span>Concurrent scheduled runs</span>
        <input
          id="setting-maxConcurrentRuns"
          data-testid="setting-maxConcurrentRuns"
          type="number"
          min={1}
          max={16}
          step={1}
          value={shown}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'setting-maxConcurrentRuns-error' : 'setting-maxConcurrentRuns-hint'}
          onChange={(e) => void change(e.target.value)}
          onBlur={() => !error && setText(null)}
        />
      </label>
      {error ? (
        <p className="field-error" id="setting-maxConcurrentRuns-error" role="alert">
          {error}
        </p>
      ) : (
        <p className="hint" id="setting-maxConcurrentRuns-hint">
          1–16. Scheduled runs beyond this many at once wait in a queue, so fifty jobs at midnight don’t swamp this machine or the servers.
        </p>
      )}
    </li>
  )
}

/** Application settings; every change is saved at once and recorded in the activity log. */
export function SettingsPage() {
  const [settings, setSettings] = useState<Result<UserSettings> | null>(null)
  const [saveError, setSaveError] = useState<ErrorInfo | null>(null)
  const load = () => void api.settings.get().then(setSettings)
  useEffect(load, [])
  useAppEvent('settings.changed', load)

  /** A refused change keeps the settings on screen; the caller says why, next to the setting or on top. */
  async function save(patch: Partial<UserSettings>): Promise<ErrorInfo | null> {
    const result = await api.settings.update(patch)
    if (!result.ok) return result.error
    setSaveError(null)
    setSettings(result)
    return null
  }
  /** Shown at once (a checkbox that lags behind the click reads as broken); put back if main refuses. */
  async function toggle(key: BooleanSetting, on: boolean) {
    setSettings((s) => (s?.ok ? { ok: true, value: { ...s.value, [key]: on } } : s))
    const error = await save({ [key]: on })
    setSaveError(error)
    if (error) load()
  }

  return (
    <section>
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      {settings === null && <p className="muted">Loading…</p>}
      {[settings && !settings.ok ? settings.error : null, saveError].map((e, i) => e && <ErrorLine key={i} error={e} />)}
      {settings?.ok && (
        <ul className="settings-list">
          {OPTIONS.map(({ key, label, hint }) => (
            <li key={key}>
              <label className="checkbox">
                <input type="checkbox" data-testid={`setting-${key}`} checked={settings.value[key]} onChange={(e) => void toggle(key, e.target.checked)} />
                <span>{label}</span>
              </label>
              <p className="hint">{hint}</p>
            </li>
          ))}
          <ConcurrentRunsSetting saved={settings.value.maxConcurrentRuns} onSave={(n) => save({ maxConcurrentRuns: n })} />
        </ul>
      )}
    </section>
  )
}
