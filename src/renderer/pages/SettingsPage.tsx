import { useEffect, useState } from 'react'
import type { Result } from '../../shared/contract'
import type { UserSettings } from '../../shared/settings-model'
import { api } from '../api'
import { useAppEvent } from '../hooks/useAppEvent'
import { ERROR_LABELS } from '../lib/labels'

const OPTIONS: { key: keyof UserSettings; label: string; hint: string }[] = [
  { key: 'closeToTray', label: 'Keep running in the tray when the window is closed', hint: 'Backups in progress (and, later, schedules) go on; quit from the tray icon.' },
  { key: 'startAtLogin', label: 'Start Lifeboat when I log in', hint: 'Starts in the tray so scheduled backups run without opening the window.' },
  { key: 'notifyOnSuccess', label: 'Notify me when a backup succeeds', hint: 'Failures always notify.' },
]

/** Application settings; every change is saved at once and recorded in the activity log. */
export function SettingsPage() {
  const [settings, setSettings] = useState<Result<UserSettings> | null>(null)
  const load = () => void api.settings.get().then(setSettings)
  useEffect(load, [])
  useAppEvent('settings.changed', load)

  const change = async (key: keyof UserSettings, value: boolean) => setSettings(await api.settings.update({ [key]: value }))

  return (
    <section>
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      {settings === null && <p className="muted">Loading…</p>}
      {settings && !settings.ok && (
        <p className="form-error" role="alert">
          {ERROR_LABELS[settings.error.code]}: {settings.error.message}
        </p>
      )}
      {settings?.ok && (
        <ul className="settings-list">
          {OPTIONS.map(({ key, label, hint }) => (
            <li key={key}>
              <label className="checkbox">
                <input type="checkbox" data-testid={`setting-${key}`} checked={settings.value[key]} onChange={(e) => void change(key, e.target.checked)} />
                <span>{label}</span>
              </label>
              <p className="hint">{hint}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
