import { createWriteStream } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { backupFileName, manifestName } from '../../../shared/backup-files'
import { backupOptionsSchema, type Backup, type BackupOptionsInput, type BackupReason, type BackupStatus, type TableInfo, type VerifyResult } from '../../../shared/backup-model'
import { AppError, validationError } from '../../../shared/errors'
import type { Origin, Profile } from '../../../shared/model'
import type { DestinationRegistry } from '../destinations/registry'
import type { DumpRequest } from '../engines/engine'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import { registerSecret } from '../logging/redact'
import { createDecryptor, sha256OfStream } from '../pipeline'
import type { EncryptionKey } from '../pipeline/pipeline'
import type { ActivityRepo } from '../store/activity-repo'
import type { BackupsRepo } from '../store/backups-repo'
import { fsyncDirectory } from '../util/atomic-file'
import { startBackup, type StartedBackup } from './backup-runner'
import { readableCopy } from './stored-copy'
import type { ProfileService } from './profile-service'

export interface BackupServiceDeps {
  repo: BackupsRepo
  activity: ActivityRepo
  profiles: ProfileService
  destinations: DestinationRegistry
  events: EventBus
  logger: Logger
  tempRoot: string
  origin: Origin
  /** Where to look for dump tools (tests narrow it; the app uses the defaults). */
  tools?: DumpRequest['tools']
}

export interface RunBackupRequest {
  profileId: string
  options?: BackupOptionsInput
  /** Required when options.encryption.kind is passphrase; used for this run only. */
  passphrase?: string
  destinations?: string[]
  reason?: BackupReason
  /** The scheduled job this run belongs to. */
  jobId?: string
  /** Who asked (the scheduler runs jobs inside the app's or the daemon's process). */
  origin?: Origin
  /** Back up another database of the profile's server (SQLite: another file), e.g. a restore target. */
  database?: string
}

export type DecryptKey = { passphrase: string } | { identity: string }

/** Backups as the app and the CLI see them: run, list, verify, export, delete. */
export class BackupService {
  private readonly inFlight = new Map<string, StartedBackup>()

  constructor(private readonly deps: BackupServiceDeps) {}

  /** Validates everything a DBA could get wrong, then starts; the returned promise settles at the end. */
  async start(request: RunBackupRequest): Promise<StartedBackup> {
    const saved = this.deps.profiles.get(request.profileId)
    const profile =
      request.database === undefined ? saved : saved.engine === 'sqlite' ? { ...saved, file: request.database } : { ...saved, database: request.database }
    const parsed = backupOptionsSchema.safeParse(request.options ?? {})
    if (!parsed.success) throw validationError(parsed.error, 'options')
    const options = parsed.data
    const engine = this.deps.profiles.engine(profile)
    // A .sqlite snapshot is the whole file; a partial SQLite backup has to be SQL.
    const partial = options.schemaOnly || options.dataOnly || options.tables !== undefined
    const format = options.format ?? (profile.engine === 'sqlite' && partial ? 'plain' : engine.defaultFormat)
    if (format === 'sqlite' && partial) {
      throw new AppError('VALIDATION', 'options.format: a sqlite-format backup is the whole database file; use plain for schema only, data only or selected tables', 'options.format')
    }
    if (!engine.formats.includes(format)) {
      throw new AppError('VALIDATION', `options.format: ${profile.engine} backups can be ${engine.formats.join(' or ')}, not ${format}`, 'options.format')
    }
    const encryptionKey = this.encryptionKey(options.encryption, request.passphrase)
    const destinations = this.deps.destinations.resolve(request.destinations)
    const password = await this.deps.profiles.password(profile.id)
    if (options.tables) await this.assertTablesExist(profile, options.tables)

    const started = startBackup(
      { profile, password, engine, format, options, encryptionKey, destinations, reason: request.reason ?? 'manual', jobId: request.jobId ?? null, tools: this.deps.tools },
      { repo: this.deps.repo, events: this.deps.events, logger: this.deps.logger, tempRoot: this.deps.tempRoot },
    )
    this.inFlight.set(started.id, started)
    void started.finished.then((backup) => {
      this.inFlight.delete(started.id)
      this.deps.activity.record({
        origin: request.origin ?? this.deps.origin,
        action: 'backup.run',
        subject: profile.name,
        outcome: backup.status === 'success' ? 'ok' : 'failed',
        detail: { backupId: backup.id, status: backup.status, fileName: backup.fileName, sizeBytes: backup.sizeBytes, error: backup.error },
      })
    })
    return started
  }

  /**
   * A scheduled run that could not even start (a secret gone, a destination removed...) still gets a
   * failed history row, so health, history and notifications show it instead of a silent gap.
   */
  recordStartFailure(req: { profile: Profile; jobId: string; options: BackupOptionsInput; error: string; origin: Origin }): Backup {
    const id = randomUUID()
    const at = new Date()
    const engine = this.deps.profiles.engine(req.profile)
    const format = req.options.format ?? engine.defaultFormat
    const compression = req.options.compression ?? 'zstd'
    const fileName = backupFileName({ startedAt: at, id, format, compression, encrypted: Boolean(req.options.encryption) })
    const options = { schemaOnly: false, dataOnly: false, tables: null }
    const row = { id, profileId: req.profile.id, profileName: req.profile.name, engine: req.profile.engine, reason: 'scheduled' as const, jobId: req.jobId, label: null, fileName, format, compression, encryption: req.options.encryption?.kind ?? null, options, startedAt: at.toISOString() }
    this.deps.repo.insertRunning(row, [], process.pid)
    this.deps.repo.finish(id, { status: 'failed', finishedAt: at.toISOString(), durationMs: 0, error: req.error })
    const backup = this.get(id)
    this.record('backup.run', backup, false, { status: 'failed', error: req.error }, req.origin)
    this.deps.events.emit({ type: 'backups.changed' })
    this.deps.events.emit({ type: 'backup.finished', backup })
    return backup
  }

  /** Cancels every backup this process runs (daemon shutdown); returns their ids. */
  cancelAll(): string[] {
    const ids = [...this.inFlight.keys()]
    for (const started of this.inFlight.values()) started.cancel()
    return ids
  }

  cancel(id: string): void {
    const running = this.inFlight.get(id)
    if (running) return running.cancel()
    const backup = this.get(id)
    if (backup.status !== 'running') throw new AppError('CONFLICT', `backup ${id} is not running (it is ${backup.status})`)
    throw new AppError('CONFLICT', `backup ${id} is running in another Lifeboat process; cancel it there`)
  }

  list(filter: { profileId?: string; jobId?: string; status?: BackupStatus; limit?: number } = {}): Backup[] {
    return this.deps.repo.list({ ...filter, limit: filter.limit ?? 10_000 })
  }

  /** A full id, or a unique prefix of at least 8 characters as `lifeboat history` shows it. */
  resolveId(idOrPrefix: string): string {
    if (this.deps.repo.get(idOrPrefix)) return idOrPrefix
    const matches = idOrPrefix.length >= 8 ? this.deps.repo.idsStartingWith(idOrPrefix) : []
    if (matches.length === 1) return matches[0]!
    if (matches.length > 1) throw new AppError('VALIDATION', `BACKUP_ID: "${idOrPrefix}" matches several backups; give more characters`, 'id')
    throw new AppError('NOT_FOUND', `no backup with id "${idOrPrefix}"`, 'id')
  }

  get(id: string): Backup {
    const backup = this.deps.repo.get(id)
    if (!backup) throw new AppError('NOT_FOUND', `no backup with id "${id}"`, 'id')
    return backup
  }

  async tables(profileId: string, signal: AbortSignal = new AbortController().signal): Promise<TableInfo[]> {
    return this.liveTables(this.deps.profiles.get(profileId), signal)
  }

  private async liveTables(profile: Profile, signal: AbortSignal = new AbortController().signal): Promise<TableInfo[]> {
    return this.deps.profiles.engine(profile).listTables(profile, await this.deps.profiles.password(profile.id), signal)
  }

  /**
   * Re-reads every stored copy and compares its SHA-256 and size with the recorded ones; ok only when
   * every copy matches (a damaged copy is reported even if another one is fine).
   */
  async verify(id: string, signal: AbortSignal = new AbortController().signal): Promise<VerifyResult> {
    const backup = this.get(id)
    const copies = backup.copies.filter((c) => c.status === 'success')
    if (backup.status !== 'success' || !backup.sha256 || copies.length === 0) throw new AppError('CONFLICT', `backup ${id} has no stored file (status ${backup.status})`)
    const checks = []
    for (const copy of copies) checks.push({ destination: copy.destination, ...(await this.verifyCopy(backup, copy.destination, signal)) })
    const failed = checks.filter((c) => c.error !== null)
    const first = checks[0]!
    const result: VerifyResult = {
      ok: failed.length === 0,
      sha256Expected: backup.sha256,
      sha256Actual: (failed[0] ?? first).sha256,
      sizeBytes: (failed[0] ?? first).bytes,
      destination: checks.map((c) => c.destination).join(', '),
      error: failed.length ? failed.map((c) => `${c.destination}: ${c.error}`).join('; ') : null,
    }
    this.record('backup.verify', backup, result.ok, { destinations: result.destination, error: result.error })
    return result
  }

  private async verifyCopy(backup: Backup, destinationName: string, signal: AbortSignal): Promise<{ sha256: string | null; bytes: number | null; error: string | null }> {
    try {
      const destination = this.deps.destinations.get(destinationName)
      const { sha256, bytes } = await sha256OfStream(await destination.get(backup.fileName, signal), signal)
      const ok = sha256 === backup.sha256 && bytes === backup.sizeBytes
      return { sha256, bytes, error: ok ? null : `the stored file does not match: expected ${backup.sizeBytes} bytes with SHA-256 ${backup.sha256}` }
    } catch (e) {
      signal.throwIfAborted()
      return { sha256: null, bytes: null, error: e instanceof Error ? e.message : String(e) }
    }
  }

  /**
   * Copies the stored file to `path` (temp name, fsync, rename), checking its SHA-256 on the way; with
   * `decrypt`, removes the age layer (the file stays compressed). Nothing is left at `path` on failure.
   */
  async export(id: string, path: string, opts: { decrypt?: DecryptKey; signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}): Promise<{ path: string; sizeBytes: number }> {
    const signal = opts.signal ?? new AbortController().signal
    const { backup, destination } = await this.storedCopy(id, signal)
    if (opts.decrypt && !backup.encryption) throw new AppError('VALIDATION', `--decrypt: backup ${id} is not encrypted`, 'decrypt')
    if (opts.decrypt && 'passphrase' in opts.decrypt) registerSecret(opts.decrypt.passphrase)
    await mkdir(dirname(path), { recursive: true })
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.partial`)
    const hash = createHash('sha256')
    let storedBytes = 0
    let writtenBytes = 0
    const checker = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        storedBytes += chunk.length
        hash.update(chunk)
        opts.onProgress?.(storedBytes)
        cb(null, chunk)
      },
      flush(cb) {
        const actual = hash.digest('hex')
        cb(actual === backup.sha256 ? null : new AppError('INTEGRITY', `the stored file's SHA-256 is ${actual}, expected ${backup.sha256}: it was changed or damaged since the backup; not exported`))
      },
    })
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        writtenBytes += chunk.length
        cb(null, chunk)
      },
    })
    try {
      const source: Readable = await destination.get(backup.fileName, signal)
      const stages: NodeJS.ReadWriteStream[] = [checker]
      if (opts.decrypt) stages.push(createDecryptor(opts.decrypt))
      await pipeline([source, ...stages, counter, createWriteStream(temp, { flags: 'wx', mode: 0o600 })], { signal })
      const fd = await open(temp, 'r')
      await fd.sync().finally(() => fd.close())
      await rename(temp, path)
      fsyncDirectory(dirname(path))
    } catch (e) {
      await rm(temp, { force: true })
      throw e
    }
    this.record('backup.export', backup, true, { decrypted: Boolean(opts.decrypt) })
    return { path, sizeBytes: writtenBytes }
  }

  /** Removes every stored copy (file and manifest) and the history row. A running backup can't be deleted. */
  async delete(id: string, origin: Origin = this.deps.origin): Promise<void> {
    const backup = this.get(id)
    if (backup.status === 'running') throw new AppError('CONFLICT', `backup ${id} is still running; cancel it first`)
    for (const copy of backup.copies.filter((c) => c.status === 'success')) await this.removeCopy(backup, copy.destination, copy.location)
    this.deps.repo.delete(id)
    this.record('backup.delete', backup, true, { fileName: backup.fileName }, origin)
    this.deps.events.emit({ type: 'backups.changed' })
  }

  /**
   * Retention: removes the copy at one destination; when no stored copy is left the history row goes
   * too (the activity log keeps the file name). Returns whether the row was removed.
   */
  async deleteCopy(id: string, destination: string): Promise<boolean> {
    const backup = this.get(id)
    if (backup.status === 'running') throw new AppError('CONFLICT', `backup ${id} is still running`)
    const copy = backup.copies.find((c) => c.destination === destination && c.status === 'success')
    if (copy) await this.removeCopy(backup, destination, copy.location)
    const left = backup.copies.some((c) => c.destination !== destination && c.status === 'success')
    if (!left) this.deps.repo.delete(id)
    this.deps.events.emit({ type: 'backups.changed' })
    return !left
  }

  private async removeCopy(backup: Backup, destinationName: string, location: string | null): Promise<void> {
    const destination = this.deps.destinations.get(destinationName)
    await destination.delete(backup.fileName)
    await destination.delete(manifestName(backup.fileName))
    this.deps.repo.updateCopy(backup.id, destinationName, 'deleted', location)
  }

  private async storedCopy(id: string, signal?: AbortSignal) {
    const backup = this.get(id)
    if (backup.status !== 'success' || !backup.sha256) throw new AppError('CONFLICT', `backup ${id} has no stored file (status ${backup.status})`)
    return { backup, destination: await readableCopy(backup, this.deps.destinations, signal) }
  }

  private encryptionKey(choice: BackupOptionsInput['encryption'], passphrase: string | undefined): EncryptionKey | null {
    if (!choice) {
      if (passphrase !== undefined) throw new AppError('VALIDATION', 'passphrase: given, but options.encryption is not passphrase', 'passphrase')
      return null
    }
    if (choice.kind === 'recipient') return { recipient: choice.recipient }
    if (!passphrase) throw new AppError('VALIDATION', 'passphrase: required for passphrase encryption', 'passphrase')
    registerSecret(passphrase)
    return { passphrase }
  }

  private async assertTablesExist(profile: Profile, tables: string[]): Promise<void> {
    const known = new Set((await this.liveTables(profile)).map((t) => t.name))
    const missing = tables.filter((t) => !known.has(t))
    if (missing.length > 0) {
      throw new AppError('VALIDATION', `options.tables: not in the database: ${missing.map((t) => JSON.stringify(t)).join(', ')}`, 'options.tables')
    }
  }

  private record(action: string, backup: Backup, ok: boolean, detail: Record<string, unknown>, origin: Origin = this.deps.origin): void {
    this.deps.activity.record({ origin, action, subject: backup.profileName, outcome: ok ? 'ok' : 'failed', detail: { backupId: backup.id, ...detail } })
  }
}
