import { z } from 'zod'
import { AppError } from '../../../shared/errors'
import type { Origin } from '../../../shared/model'
import { userSettingsSchema, type UserSettings } from '../../../shared/settings-model'
import type { EventBus } from '../events/event-bus'
import type { ActivityRepo } from '../store/activity-repo'
import type { Db } from '../store/open-store'

export const windowStateSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
})
export type WindowState = z.infer<typeof windowStateSchema>

/** Every setting, its type and its default. The `settings` table stores one JSON value per key. */
export const SETTINGS = {
  closeToTray: { schema: z.boolean(), default: true },
  startAtLogin: { schema: z.boolean(), default: false },
  notifyOnSuccess: { schema: z.boolean(), default: false },
  maxConcurrentRuns: { schema: userSettingsSchema.shape.maxConcurrentRuns, default: 2 },
  schedulesPaused: { schema: z.boolean(), default: false },
  windowState: { schema: windowStateSchema.nullable(), default: null },
} as const

export type Settings = { [K in keyof typeof SETTINGS]: z.infer<(typeof SETTINGS)[K]['schema']> }
export type SettingKey = keyof Settings

/** Typed, validated settings on the `settings` table. A stored value that no longer validates reads as the default. */
export class SettingsService {
  constructor(private readonly db: Db) {}

  get<K extends SettingKey>(key: K): Settings[K] {
    const def = SETTINGS[key]
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined
    if (!row) return def.default as Settings[K]
    const parsed = def.schema.safeParse(JSON.parse(row.value))
    return (parsed.success ? parsed.data : def.default) as Settings[K]
  }

  set<K extends SettingKey>(key: K, value: Settings[K]): void {
    const def: { schema: z.ZodType } | undefined = (SETTINGS as Record<string, { schema: z.ZodType }>)[key]
    if (!def) throw new AppError('VALIDATION', `unknown setting "${String(key)}"`)
    const parsed = def.schema.safeParse(value)
    if (!parsed.success) throw new AppError('VALIDATION', `invalid value for setting "${key}": ${parsed.error.issues[0]?.message ?? 'invalid'}`)
    this.db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(parsed.data))
  }

  /** The user-facing settings (Settings page). */
  user(): UserSettings {
    const keys = Object.keys(userSettingsSchema.shape) as (keyof UserSettings)[]
    return Object.fromEntries(keys.map((k) => [k, this.get(k)])) as UserSettings
  }

  /** Applies a validated patch in one transaction and records it; listeners (tray, login item) react to the event. */
  update(patch: Partial<UserSettings>, audit?: { activity: ActivityRepo; events: EventBus; origin: Origin }): UserSettings {
    const before = this.user()
    this.db.transaction(() => {
      for (const [key, value] of Object.entries(patch) as [keyof UserSettings, UserSettings[keyof UserSettings]][]) this.set(key, value)
    })()
    const after = this.user()
    if (audit) {
      const changed = Object.fromEntries(Object.entries(after).filter(([k, v]) => before[k as keyof UserSettings] !== v))
      audit.activity.record({ origin: audit.origin, action: 'settings.update', subject: 'settings', outcome: 'ok', detail: changed })
      audit.events.emit({ type: 'settings.changed' })
    }
    return after
  }

  all(): Settings {
    return { ...this.user(), windowState: this.get('windowState') }
  }
}
