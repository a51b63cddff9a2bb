import { fieldErrors, type ErrorInfo } from '../../shared/errors'
import {
  DEFAULT_PORTS,
  passwordSchema,
  profileInputSchema,
  type Engine,
  type Profile,
  type ProfileInput,
  type Tag,
} from '../../shared/model'
import type { ChannelInput } from '../../shared/contract'
import {
  activeHops,
  emptySshDraft,
  secretErrors,
  secretForUpdate,
  sshDraftFromSettings,
  sshDraftToInput,
  sshSecrets,
  typedSecret,
  type SshDraft,
  type SshErrorKey,
} from './ssh-draft'

/** What the profile form edits: every input as typed, so half-typed values survive engine switches. */
export interface ProfileDraft {
  engine: Engine
  name: string
  tag: Tag | ''
  host: string
  port: string
  user: string
  /** Write-only: empty means "none" on create and "keep the saved one" on edit. */
  password: string
  removePassword: boolean
  database: string
  clientBinDir: string
  file: string
  /** PostgreSQL / MySQL only: how to reach the server through SSH (off = direct). */
  ssh: SshDraft
}

/** Keyed by the input's path below "profile." (e.g. "port", "ssh.hop.port"), or "_" for the whole form. */
export type FieldErrors = Partial<Record<keyof ProfileDraft | SshErrorKey | '_', string>>

export function emptyDraft(): ProfileDraft {
  return {
    engine: 'postgres',
    name: '',
    tag: '',
    host: 'localhost',
    port: String(DEFAULT_PORTS.postgres),
    user: '',
    password: '',
    removePassword: false,
    database: '',
    clientBinDir: '',
    file: '',
    ssh: emptySshDraft(),
  }
}

export function draftFromProfile(profile: Profile): ProfileDraft {
  const base = { ...emptyDraft(), engine: profile.engine, name: profile.name, tag: profile.tag ?? ('' as const) }
  if (profile.engine === 'sqlite') return { ...base, file: profile.file }
  return {
    ...base,
    host: profile.host,
    port: String(profile.port),
    user: profile.user,
    database: profile.database,
    clientBinDir: profile.clientBinDir ?? '',
    ssh: sshDraftFromSettings(profile.ssh, profile),
  }
}

/** Switching PostgreSQL <-> MySQL moves the port to the new default unless the user picked another. */
export function withEngine(draft: ProfileDraft, engine: Engine): ProfileDraft {
  const defaults = Object.values(DEFAULT_PORTS).map(String)
  const keepPort = draft.port.trim() !== '' && !defaults.includes(draft.port.trim())
  const port = engine === 'sqlite' || keepPort ? draft.port : String(DEFAULT_PORTS[engine])
  return { ...draft, engine, port }
}

export function draftToInput(draft: ProfileDraft): ProfileInput {
  const common = { name: draft.name.trim(), tag: draft.tag === '' ? null : draft.tag }
  if (draft.engine === 'sqlite') return { engine: 'sqlite', ...common, file: draft.file }
  return {
    engine: draft.engine,
    ...common,
    host: draft.host,
    // An empty port is sent as NaN so the schema reports it instead of silently using the default.
    port: draft.port.trim() === '' ? Number.NaN : Number(draft.port),
    user: draft.user,
    database: draft.database,
    clientBinDir: draft.clientBinDir.trim() === '' ? null : draft.clientBinDir,
    ssh: sshDraftToInput(draft.ssh),
  }
}

/** The same schema main validates with, so the form and the server agree on every message. */
export function validateDraft(draft: ProfileDraft): FieldErrors {
  const parsed = profileInputSchema.safeParse(draftToInput(draft))
  const errors: FieldErrors = parsed.success ? {} : (fieldErrors(parsed.error) as FieldErrors)
  if (draft.engine !== 'sqlite' && draft.password !== '' && !draft.removePassword) {
    const password = passwordSchema.safeParse(draft.password)
    if (!password.success) errors.password = password.error.issues[0]?.message ?? 'invalid password'
  }
  if (draft.engine !== 'sqlite') Object.assign(errors, secretErrors(draft.ssh))
  return errors
}

export function passwordForCreate(draft: ProfileDraft): string | undefined {
  return draft.engine === 'sqlite' || draft.password === '' ? undefined : draft.password
}

/** undefined keeps the saved password, null removes it, a string replaces it (see contract.ts). */
export function passwordForUpdate(draft: ProfileDraft): string | null | undefined {
  if (draft.removePassword) return null
  return passwordForCreate(draft)
}

type Secrets = { password?: string; sshSecret?: string; jumpSecret?: string }

/** The typed secrets, as profiles.create takes them (none for SQLite). */
export function secretsForCreate(draft: ProfileDraft): Secrets {
  if (draft.engine === 'sqlite') return {}
  const password = draft.removePassword ? undefined : passwordForCreate(draft)
  return { ...(password === undefined ? {} : { password }), ...sshSecrets(draft.ssh, typedSecret) }
}

/** profiles.update: per secret, undefined keeps the saved one, null removes it, a string replaces it. */
export function secretsForUpdate(draft: ProfileDraft): { password: string | null | undefined; sshSecret?: string | null; jumpSecret?: string | null } {
  return { password: passwordForUpdate(draft), ...(draft.engine === 'sqlite' ? {} : sshSecrets(draft.ssh, secretForUpdate)) }
}

/**
 * profiles.test for the draft. With the saved profile's id, a secret left empty means the saved one;
 * a secret marked for removal must not be used, so then no id is sent (a test takes no null).
 */
export function testInput(draft: ProfileDraft, savedId: string | null): ChannelInput<'profiles.test'> {
  const removing = draft.engine !== 'sqlite' && (draft.removePassword || activeHops(draft.ssh).some((hop) => draft.ssh[hop].removeSecret))
  return { profile: draftToInput(draft), ...secretsForCreate(draft), ...(savedId !== null && !removing ? { id: savedId } : {}) }
}

/**
 * Where a server error belongs in the form: "profile.port" -> "port", "profile.ssh.hop.port" ->
 * "ssh.hop.port", "name" -> "name"; the message
 * loses its "field: " prefix since it is shown next to that field. Unknown fields go to "_".
 */
export function serverFieldError(error: ErrorInfo, fields: readonly string[]): { field: keyof FieldErrors; message: string } {
  const path = error.field ?? ''
  const message = path !== '' && error.message.startsWith(`${path}: `) ? error.message.slice(path.length + 2) : error.message
  const field = path.replace(/^profile\./, '')
  return fields.includes(field) ? { field: field as keyof FieldErrors, message } : { field: '_', message: error.message }
}
