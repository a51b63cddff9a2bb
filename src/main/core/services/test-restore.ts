import { randomBytes } from 'node:crypto'
import type { TableInfo } from '../../../shared/backup-model'
import type { Origin, Profile } from '../../../shared/model'
import { countMysqlRows, dropMysqlDatabase } from '../engines/mysql/scratch'
import { countPgRows, dropPgDatabase } from '../engines/postgres/scratch'
import { countSqliteRows, makeSqliteScratch, removeSqliteScratch } from '../engines/sqlite/scratch'
import { sshOf, withProfileConnection, type ServerProfile, type SshProfile } from '../transport/profile-connection'
import type { Logger } from '../logging/logger'
import { redact } from '../logging/redact'
import type { BackupService } from './backup-service'
import type { ProfileService } from './profile-service'
import type { RestoreService } from './restore-service'

/**
 * "Test restore": the backup restored into a new scratch database on the target profile's server
 * (SQLite: a file in a private temp dir) through the ordinary RestoreService (checksum first,
 * decryption...), every manifest table counted exactly, and the scratch database always dropped.
 */

export interface TableCheck {
  name: string
  expected: number | null
  actual: number | null
  ok: boolean
  note?: string
}

export interface TestRestoreResult {
  status: 'passed' | 'failed' | 'skipped'
  backupId: string
  targetProfileId: string
  scratchDatabase: string
  durationMs: number
  tables: TableCheck[]
  error: string | null
}

export interface TestRestoreDeps {
  backups: BackupService
  restores: RestoreService
  profiles: ProfileService
  logger: Logger
  tempRoot: string
}

export interface TestRestoreRequest {
  backupId: string
  targetProfileId: string
  passphrase?: string
  signal?: AbortSignal
  /** Who asked (the scheduler after a scheduled run), for the restore's activity entry. */
  origin?: Origin
}

/** How manifest figures are compared: exact (SQLite), estimates (PostgreSQL, MySQL), presence (schema only). */
type Mode = 'exact' | 'estimate' | 'presence'

interface Scratch {
  /** What the restore targets: the scratch database name, or the SQLite file path. */
  database: string
  count(names: string[], signal: AbortSignal): Promise<Map<string, number | null>>
  drop(): Promise<void>
}

const message = (e: unknown): string => redact(e instanceof Error ? e.message : String(e))

/** Never throws for an operational failure: the result says failed (or skipped) and why. */
export async function runTestRestore(deps: TestRestoreDeps, request: TestRestoreRequest): Promise<TestRestoreResult> {
  const startedAt = Date.now()
  const signal = request.signal ?? new AbortController().signal
  let scratchDatabase = `lifeboat_test_${randomBytes(4).toString('hex')}`
  const finish = (status: TestRestoreResult['status'], tables: TableCheck[], error: string | null): TestRestoreResult => {
    const result: TestRestoreResult = { status, backupId: request.backupId, targetProfileId: request.targetProfileId, scratchDatabase, durationMs: Date.now() - startedAt, tables, error }
    const failedTables = tables.filter((t) => !t.ok).map((t) => t.name)
    deps.logger.info('test restore finished', { backupId: result.backupId, target: result.targetProfileId, scratchDatabase, status, durationMs: result.durationMs, failedTables, error })
    return result
  }

  // Everything that can refuse is decided before anything is created.
  let target: Profile
  let mode: Mode
  let manifest: TableInfo[]
  let decrypt: { passphrase: string } | undefined
  try {
    const backup = deps.backups.get(request.backupId)
    target = deps.profiles.get(request.targetProfileId)
    if (target.engine !== backup.engine) {
      return finish('failed', [], `a ${backup.engine} backup can't be test-restored into the ${target.engine} profile "${target.name}"; nothing was created`)
    }
    if (target.tag === 'production') {
      return finish('failed', [], `test restores create and drop a scratch database; "${target.name}" is tagged production, so nothing was created`)
    }
    if (backup.encryption === 'recipient') return finish('skipped', [], 'recipient-encrypted backups need the private identity to restore; test restore skipped')
    if (backup.encryption === 'passphrase') {
      if (!request.passphrase) return finish('skipped', [], 'passphrase-encrypted backup: the job has no stored passphrase')
      decrypt = { passphrase: request.passphrase }
    }
    if (backup.options.dataOnly) return finish('skipped', [], 'a data-only backup needs its tables to exist already, which a new scratch database lacks; test restore skipped')
    mode = backup.options.schemaOnly ? 'presence' : backup.engine === 'sqlite' ? 'exact' : 'estimate'
    manifest = await deps.restores.tables(backup.id, signal)
  } catch (e) {
    return finish('failed', [], signal.aborted ? 'test restore cancelled' : message(e))
  }

  let scratch: Scratch
  try {
    scratch = await scratchFor(target, deps, scratchDatabase)
    scratchDatabase = scratch.database
  } catch (e) {
    return finish('failed', [], message(e))
  }

  let launched = false
  let outcome: { status: TestRestoreResult['status']; tables: TableCheck[]; error: string | null }
  try {
    signal.throwIfAborted()
    const options = { database: scratch.database, createDatabase: true, safetyBackup: false }
    const started = await deps.restores.start({ backupId: request.backupId, targetProfileId: target.id, options, confirm: scratch.database, decrypt }, request.origin)
    // start() checked the name is free; only now may the database exist, and only now is it ours to drop.
    launched = true
    const cancel = () => started.cancel()
    signal.addEventListener('abort', cancel, { once: true })
    if (signal.aborted) cancel()
    const restored = await started.finished.finally(() => signal.removeEventListener('abort', cancel))
    signal.throwIfAborted()
    if (restored.status !== 'success') {
      outcome = { status: 'failed', tables: [], error: `the restore ${restored.status === 'cancelled' ? 'was cancelled' : 'failed'} (${restored.errorCode ?? 'RESTORE_FAILED'}): ${restored.error ?? ''}` }
    } else {
      const tables = compare(manifest, await scratch.count(manifest.map((t) => t.name), signal), mode)
      const bad = tables.filter((t) => !t.ok).length
      // error stays null for count mismatches: the per-table checks are the detail callers show.
      outcome = { status: bad === 0 ? 'passed' : 'failed', tables, error: null }
    }
  } catch (e) {
    outcome = { status: 'failed', tables: [], error: signal.aborted ? 'test restore cancelled' : message(e) }
  }

  // Always, also after a failure or a cancel; a failed drop is reported without hiding the outcome.
  if (launched || target.engine === 'sqlite') {
    try {
      await scratch.drop()
    } catch (e) {
      const dropError = `the scratch database ${JSON.stringify(scratch.database)} on "${target.name}" could not be dropped (remove it by hand): ${message(e)}`
      deps.logger.error('test restore: dropping the scratch database failed', { scratchDatabase: scratch.database, target: target.name, error: dropError })
      outcome.error = outcome.error ? `${outcome.error}; ${dropError}` : dropError
    }
  }
  return finish(outcome.status, outcome.tables, outcome.error)
}

/** The scratch target per engine; the password comes from the profile's saved secret, never argv. */
async function scratchFor(target: Profile, deps: TestRestoreDeps, name: string): Promise<Scratch> {
  // The drop must run even after a cancel, so it gets its own signal (its helpers bound it in time).
  const fresh = () => new AbortController().signal
  // Through SSH when the profile says so: each call opens the tunnel and closes it again.
  const reach = async <P extends ServerProfile, T>(profile: P, signal: AbortSignal, fn: (p: P) => Promise<T>): Promise<T> => {
    if (!sshOf(profile)) return fn(profile)
    return withProfileConnection(profile as SshProfile, await deps.profiles.secrets(target.id), signal, (c) => fn({ ...profile, host: c.local.host, port: c.local.port, ssh: null }))
  }
  switch (target.engine) {
    case 'postgres': {
      const password = await deps.profiles.password(target.id)
      return {
        database: name,
        count: (names, signal) => reach(target, signal, (p) => countPgRows(p, password, name, names, signal)),
        drop: () => reach(target, fresh(), (p) => dropPgDatabase(p, password, name, fresh())),
      }
    }
    case 'mysql': {
      const password = await deps.profiles.password(target.id)
      return {
        database: name,
        count: (names, signal) => reach(target, signal, (p) => countMysqlRows(p, password, name, names, signal)),
        drop: () => reach(target, fresh(), (p) => dropMysqlDatabase(p, password, name, fresh())),
      }
    }
    case 'sqlite': {
      const { dir, file } = await makeSqliteScratch(deps.tempRoot, name)
      return {
        database: file,
        count: async (names, signal) => countSqliteRows(file, names, signal),
        drop: () => removeSqliteScratch(dir),
      }
    }
  }
}

/**
 * The rule: a manifest table missing from the scratch database fails; extra tables are ignored.
 * SQLite manifests hold exact counts, so actual must equal expected. PostgreSQL (reltuples) and
 * MySQL (information_schema) manifests hold estimates: |actual - expected| <= max(10, 10% of
 * expected) passes; a null or negative estimate checks presence only. Schema-only: presence only.
 */
function compare(manifest: readonly TableInfo[], counts: ReadonlyMap<string, number | null>, mode: Mode): TableCheck[] {
  return manifest.map((t): TableCheck => {
    const actual = counts.get(t.name) ?? null
    if (!counts.has(t.name)) return { name: t.name, expected: mode === 'presence' ? 0 : t.rows, actual: null, ok: false, note: 'missing from the restored database' }
    if (mode === 'presence') return { name: t.name, expected: 0, actual, ok: true, note: 'schema-only backup: presence checked' }
    if (t.rows === null || t.rows < 0) {
      return { name: t.name, expected: null, actual, ok: true, note: mode === 'exact' ? 'no count in the manifest (virtual table): presence checked' : 'no estimate: presence checked' }
    }
    if (mode === 'exact') return { name: t.name, expected: t.rows, actual, ok: actual === t.rows }
    const tolerance = Math.max(10, t.rows * 0.1)
    const ok = actual !== null && Math.abs(actual - t.rows) <= tolerance
    return { name: t.name, expected: t.rows, actual, ok, note: `the manifest's figure is an estimate: within ±${Math.floor(tolerance)} rows (max(10, 10%)) passes` }
  })
}
