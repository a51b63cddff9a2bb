import { createWriteStream } from 'node:fs'
import { mkdir, open, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createHash, randomBytes } from 'node:crypto'
import { manifestName } from '../../../shared/backup-files'
import { backupOptionsSchema, type Backup, type BackupOptionsInput, type BackupReason, type BackupStatus, type TableInfo, type VerifyResult } from '../../../shared/backup-model'
import { AppError, validationError } from '../../../shared/errors'
import type { Origin, Profile } from '../../../shared/model'
import type { DestinationRegistry } from '../destinations/registry'
import type { DumpRequest } from '../engines/engine'
import { engineFor } from '../engines/registry'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import { registerSecret } from '../logging/redact'
import { createDecryptor, sha256OfStream } from '../pipeline'
import type { EncryptionKey } from '../pipeline/pipeline'
import type { ActivityRepo } from '../store/activity-repo'
import type { BackupsRepo } from '../store/backups-repo'
import { fsyncDirectory } from '../util/atomic-file'
import { startBackup, type StartedBackup } from './backup-runner'
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
    const engine = engineFor(profile.engine)
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
      { profile, password, engine, format, options, encryptionKey, destinations, reason: request.reason ?? 'manual', tools: this.deps.tools },
      { repo: this.deps.repo, events: this.deps.events, logger: this.deps.logger, tempRoot: this.deps.tempRoot },
    )
    this.inFlight.set(started.id, started)
    void started.finished.then((backup) => {
      this.inFlight.delete(started.id)
      this.deps.activity.record({
        origin: this.deps.origin,
        action: 'backup.run',
        subject: profile.name,
        outcome: backup.status === 'success' ? 'ok' : 'failed',
        detail: { backupId: backup.id, status: backup.status, fileName: backup.fileName, sizeBytes: backup.sizeBytes, error: backup.error },
      })
    })
    return started
  }

  cancel(id: string): void {
    const running = this.inFlight.get(id)
    if (running) return running.cancel()
    const backup = this.get(id)
    if (backup.status !== 'running') throw new AppError('CONFLICT', `backup ${id} is not running (it is ${backup.status})`)
    throw new AppError('CONFLICT', `backup ${id} is running in another Lifeboat process; cancel it there`)
  }

  list(filter: { profileId?: string; status?: BackupStatus; limit?: number } = {}): Backup[] {
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
    return engineFor(profile.engine).listTables(profile, await this.deps.profiles.password(profile.id), signal)
  }

  /** Re-reads the stored file from its destination and compares the SHA-256 with the recorded one. */
  async verify(id: string, signal: AbortSignal = new AbortController().signal): Promise<VerifyResult> {
    const { backup, destination } = this.storedCopy(id)
    const base = { sha256Expected: backup.sha256!, destination: destination.name }
    let result: VerifyResult
    try {
      const { sha256, bytes } = await sha256OfStream(await destination.get(backup.fileName, signal), signal)
      result =
        sha256 === backup.sha256 && bytes === backup.sizeBytes
          ? { ...base, ok: true, sha256Actual: sha256, sizeBytes: bytes, error: null }
          : { ...base, ok: false, sha256Actual: sha256, sizeBytes: bytes, error: `the stored file does not match: expected ${backup.sizeBytes} bytes with SHA-256 ${backup.sha256}` }
    } catch (e) {
      result = { ...base, ok: false, sha256Actual: null, sizeBytes: null, error: e instanceof Error ? e.message : String(e) }
    }
    this.record('backup.verify', backup, result.ok, { destination: destination.name, error: result.error })
    return result
  }

  /**
   * Copies the stored file to `path` (temp name, fsync, rename), checking its SHA-256 on the way; with
   * `decrypt`, removes the age layer (the file stays compressed). Nothing is left at `path` on failure.
   */
  async export(id: string, path: string, opts: { decrypt?: DecryptKey; signal?: AbortSignal; onProgress?: (bytes: number) => void } = {}): Promise<{ path: string; sizeBytes: number }> {
    const signal = opts.signal ?? new AbortController().signal
    const { backup, destination } = this.storedCopy(id)
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
  async delete(id: string): Promise<void> {
    const backup = this.get(id)
    if (backup.status === 'running') throw new AppError('CONFLICT', `backup ${id} is still running; cancel it first`)
    for (const copy of backup.copies.filter((c) => c.status === 'success')) {
      const destination = this.deps.destinations.get(copy.destination)
      await destination.delete(backup.fileName)
      await destination.delete(manifestName(backup.fileName))
      this.deps.repo.updateCopy(id, copy.destination, 'deleted', copy.location)
    }
    this.deps.repo.delete(id)
    this.record('backup.delete', backup, true, { fileName: backup.fileName })
    this.deps.events.emit({ type: 'backups.changed' })
  }

  private storedCopy(id: string) {
    const backup = this.get(id)
    const copy = backup.copies.find((c) => c.status === 'success')
    if (backup.status !== 'success' || !copy || !backup.sha256) {
      throw new AppError('CONFLICT', `backup ${id} has no stored file (status ${backup.status})`)
    }
    return { backup, destination: this.deps.destinations.get(copy.destination) }
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

  private record(action: string, backup: Backup, ok: boolean, detail: Record<string, unknown>): void {
    this.deps.activity.record({ origin: this.deps.origin, action, subject: backup.profileName, outcome: ok ? 'ok' : 'failed', detail: { backupId: backup.id, ...detail } })
  }
}
