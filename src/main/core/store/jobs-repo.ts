import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../../../shared/errors'
import { jobInputSchema, type JobDefinition, type JobRunState } from '../../../shared/job-model'
import { processAlive } from '../util/process-alive'
import type { Db } from './open-store'

interface JobRow {
  id: string
  name: string
  profile_id: string
  definition: string
  secrets_ref: string | null
  next_due_at: string | null
  run_state: JobRunState
  run_owner_token: string | null
  run_owner_pid: number | null
  last_run_at: string | null
  last_backup_id: string | null
  last_status: string | null
  created_at: string
  updated_at: string
}

/** Who holds a job's run: a token unique to one scheduler instance, and its process. */
export interface RunOwner {
  token: string
  pid: number
}

/** References into the SecretStore for the job's write-only secrets. */
export interface JobSecretRefs {
  slackWebhookUrl?: string
  webhookUrl?: string
  passphrase?: string
}

/** A job as stored: its validated definition plus what the scheduler keeps about it. */
export interface StoredJob {
  id: string
  definition: JobDefinition
  secretRefs: JobSecretRefs
  nextDueAt: string | null
  runState: JobRunState
  runOwnerPid: number | null
  lastRunAt: string | null
  lastBackupId: string | null
  lastStatus: string | null
  createdAt: string
  updatedAt: string
}

function toStored(row: JobRow): StoredJob {
  const parsed = jobInputSchema.safeParse({ ...JSON.parse(row.definition), name: row.name, profileId: row.profile_id })
  if (!parsed.success) throw new AppError('INTERNAL', `job "${row.name}" in the store is damaged: ${z.prettifyError(parsed.error)}`)
  return {
    id: row.id,
    definition: parsed.data,
    secretRefs: row.secrets_ref ? (JSON.parse(row.secrets_ref) as JobSecretRefs) : {},
    nextDueAt: row.next_due_at,
    runState: row.run_state,
    runOwnerPid: row.run_owner_pid,
    lastRunAt: row.last_run_at,
    lastBackupId: row.last_backup_id,
    lastStatus: row.last_status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

const refsJson = (refs: JobSecretRefs) => (Object.keys(refs).length ? JSON.stringify(refs) : null)

/** name and profile have columns (unique / foreign key); the rest of the definition is JSON. */
function split(def: JobDefinition): { name: string; profileId: string; rest: string } {
  const { name, profileId, ...rest } = def
  return { name, profileId, rest: JSON.stringify(rest) }
}

export class JobsRepo {
  constructor(
    private readonly db: Db,
    /** Told about a row that no longer validates (it is left out of list(), so one bad row can't stop every job). */
    private readonly onDamaged: (error: AppError) => void = () => {},
    private readonly alive: (pid: number) => boolean = processAlive,
  ) {}

  list(): StoredJob[] {
    const rows = this.db.prepare('SELECT * FROM jobs ORDER BY name COLLATE NOCASE').all() as JobRow[]
    return rows.flatMap((row) => {
      try {
        return [toStored(row)]
      } catch (e) {
        this.onDamaged(e as AppError)
        return []
      }
    })
  }

  get(id: string): StoredJob | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined
    return row && toStored(row)
  }

  findByName(name: string): StoredJob | undefined {
    const row = this.db.prepare('SELECT * FROM jobs WHERE name = ? COLLATE NOCASE').get(name) as JobRow | undefined
    return row && toStored(row)
  }

  /** Jobs that back up this profile or test-restore into it. */
  usingProfile(profileId: string): StoredJob[] {
    return this.list().filter((j) => j.definition.profileId === profileId || j.definition.testRestoreProfileId === profileId)
  }

  insert(def: JobDefinition, secretRefs: JobSecretRefs, nextDueAt: string | null, now = new Date(), id: string = randomUUID()): StoredJob {
    const { name, profileId, rest } = split(def)
    const at = now.toISOString()
    this.db
      .prepare('INSERT INTO jobs (id, name, profile_id, definition, secrets_ref, next_due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(id, name, profileId, rest, refsJson(secretRefs), nextDueAt, at, at)
    return this.get(id)!
  }

  update(id: string, def: JobDefinition, secretRefs: JobSecretRefs, nextDueAt: string | null, now = new Date()): StoredJob {
    const { name, profileId, rest } = split(def)
    this.db
      .prepare('UPDATE jobs SET name = ?, profile_id = ?, definition = ?, secrets_ref = ?, next_due_at = ?, updated_at = ? WHERE id = ?')
      .run(name, profileId, rest, refsJson(secretRefs), nextDueAt, now.toISOString(), id)
    return this.get(id)!
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM jobs WHERE id = ?').run(id)
  }

  /**
   * Moves next_due_at from `expected` to `next` only if nobody else did first (compare-and-set), so
   * two processes looking at the same due slot can't both run it.
   */
  claimSlot(id: string, expected: string | null, next: string | null): boolean {
    return this.db.prepare('UPDATE jobs SET next_due_at = ? WHERE id = ? AND next_due_at IS ?').run(next, id, expected).changes === 1
  }

  setNextDue(id: string, next: string | null): void {
    this.db.prepare('UPDATE jobs SET next_due_at = ? WHERE id = ?').run(next, id)
  }

  /**
   * Marks the job queued or running for `owner`, unless a live holder already has it queued or
   * running (single flight across the app, the daemon and `lifeboat job run`). A holder with our pid
   * but another token is a crashed predecessor whose pid was reused: not live.
   * Returns the pid that holds it when refused.
   */
  tryBeginRun(id: string, state: Exclude<JobRunState, 'idle'>, owner: RunOwner): { ok: true } | { ok: false; holderPid: number | null } {
    return this.db
      .transaction((): { ok: true } | { ok: false; holderPid: number | null } => {
        const row = this.db.prepare('SELECT run_state, run_owner_token, run_owner_pid FROM jobs WHERE id = ?').get(id) as Pick<JobRow, 'run_state' | 'run_owner_token' | 'run_owner_pid'> | undefined
        if (!row) throw new AppError('NOT_FOUND', `no job with id "${id}"`, 'id')
        if (row.run_state !== 'idle' && this.holderLive(row, owner)) return { ok: false, holderPid: row.run_owner_pid }
        this.db.prepare('UPDATE jobs SET run_state = ?, run_owner_token = ?, run_owner_pid = ? WHERE id = ?').run(state, owner.token, owner.pid, id)
        return { ok: true }
      })
      .immediate()
  }

  private holderLive(row: Pick<JobRow, 'run_owner_token' | 'run_owner_pid'>, me: RunOwner): boolean {
    if (row.run_owner_token === me.token) return true
    if (row.run_owner_pid === null || row.run_owner_pid === me.pid) return false
    return this.alive(row.run_owner_pid)
  }

  /** queued -> running for the owner that holds it. */
  markRunning(id: string, owner: RunOwner): void {
    this.db.prepare("UPDATE jobs SET run_state = 'running' WHERE id = ? AND run_owner_token = ?").run(id, owner.token)
  }

  endRun(id: string, owner: RunOwner, last: { at: string; backupId: string | null; status: string }): void {
    this.db
      .prepare("UPDATE jobs SET run_state = 'idle', run_owner_token = NULL, run_owner_pid = NULL, last_run_at = ?, last_backup_id = ?, last_status = ? WHERE id = ? AND run_owner_token = ?")
      .run(last.at, last.backupId, last.status, id, owner.token)
  }

  /** Back to idle without a result (a queued run dropped at shutdown). */
  releaseRun(id: string, owner: RunOwner): void {
    this.db.prepare("UPDATE jobs SET run_state = 'idle', run_owner_token = NULL, run_owner_pid = NULL WHERE id = ? AND run_owner_token = ?").run(id, owner.token)
  }

  /** Run states left behind by a holder that died (or whose pid we now have); returns how many were reset. */
  resetDeadRunStates(me: RunOwner): number {
    const rows = this.db.prepare("SELECT id, run_owner_token, run_owner_pid FROM jobs WHERE run_state != 'idle'").all() as Pick<JobRow, 'id' | 'run_owner_token' | 'run_owner_pid'>[]
    let reset = 0
    for (const r of rows) {
      if (this.holderLive(r, me)) continue
      reset += this.db.prepare("UPDATE jobs SET run_state = 'idle', run_owner_token = NULL, run_owner_pid = NULL WHERE id = ? AND run_owner_token IS ?").run(r.id, r.run_owner_token).changes
    }
    return reset
  }
}
