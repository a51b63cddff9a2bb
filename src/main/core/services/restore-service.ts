import { randomUUID } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { manifestName } from '../../../shared/backup-files'
import type { Backup, TableInfo } from '../../../shared/backup-model'
import { AppError, isAppError, validationError } from '../../../shared/errors'
import { manifestSchema } from '../../../shared/manifest'
import { isAbsolutePath, type Origin, type Profile } from '../../../shared/model'
import { restoreRequestSchema, type RestoreOptions, type RestorePlan, type RestoreProgress, type RestoreRequestInput, type RestoreResult } from '../../../shared/restore-model'
import type { Destination } from '../destinations/destination'
import type { DestinationRegistry } from '../destinations/registry'
import { readableCopy } from './stored-copy'
import type { DumpRequest } from '../engines/engine'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import { redact, registerSecret } from '../logging/redact'
import { restoreStream, sha256OfStream } from '../pipeline'
import type { ActivityRepo } from '../store/activity-repo'
import type { BackupService } from './backup-service'
import type { ProfileService } from './profile-service'

export interface RestoreServiceDeps {
  backups: BackupService
  profiles: ProfileService
  destinations: DestinationRegistry
  activity: ActivityRepo
  events: EventBus
  logger: Logger
  tempRoot: string
  origin: Origin
  tools?: DumpRequest['tools']
}

export interface StartedRestore {
  id: string
  /** Settles with the result; never rejects (a failure is a `failed` result). */
  finished: Promise<RestoreResult>
  cancel(): void
}

type Decrypt = { passphrase: string } | { identity: string }
/** A plan needs everything a restore does except the typed confirmation. */
export type PlanInput = Omit<RestoreRequestInput, 'confirm'> & { confirm?: string }

/** Everything decided before anything is touched: source, target, options. */
interface Resolved {
  backup: Backup
  destination: Destination
  target: Profile
  password: string | undefined
  database: string
  exists: boolean
  options: RestoreOptions
  decrypt: Decrypt | undefined
}

/**
 * Restores, in the order the issue demands: verify the stored file's SHA-256 before touching the
 * target; create the database if asked; a safety backup of the target (reason pre-restore); the
 * restore itself (one transaction / atomic swap where the engine allows it, otherwise an automatic
 * rollback from the safety backup); and an activity record of who restored what, where and how it ended.
 */
export class RestoreService {
  private readonly inFlight = new Map<string, StartedRestore>()

  constructor(private readonly deps: RestoreServiceDeps) {}

  /** The tables inside a backup, from the manifest beside the file. */
  async tables(backupId: string, signal: AbortSignal = new AbortController().signal): Promise<TableInfo[]> {
    const { backup, destination } = await this.storedCopy(backupId)
    const chunks: Buffer[] = []
    for await (const chunk of await destination.get(manifestName(backup.fileName), signal)) chunks.push(chunk as Buffer)
    const parsed = manifestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
    if (!parsed.success) throw new AppError('INTEGRITY', `the manifest of ${backup.fileName} is damaged`)
    return parsed.data.tables
  }

  /** The dry run: what would happen and the exact commands; changes nothing. */
  async plan(input: PlanInput): Promise<RestorePlan> {
    const r = await this.resolve(input)
    const engine = this.deps.profiles.engine(r.target)
    const commands = await engine.restoreCommands({ ...this.restoreRequestBase(r), password: r.password })
    const steps = [
      `Verify ${r.backup.fileName} against its SHA-256 ${r.backup.sha256}`,
      ...(r.options.createDatabase ? [`Create database ${JSON.stringify(r.database)} on ${r.target.name}`] : []),
      ...(r.exists && r.options.safetyBackup ? [`Back up ${JSON.stringify(r.database)} first (safety backup, reason pre-restore)`] : []),
      ...(r.options.dropExisting ? [`Drop the objects the backup contains before re-creating them`] : []),
      `Restore ${r.options.schemaOnly ? 'the schema' : r.options.dataOnly ? 'the data' : 'schema and data'}${r.options.tables ? ` of ${r.options.tables.length} table(s)` : ''} into ${JSON.stringify(r.database)} (${r.target.name})`,
      engine.atomicRestore
        ? r.target.engine === 'sqlite'
          ? 'On failure nothing changes: the restored file replaces the target only at the end, in one rename'
          : 'On failure nothing changes: the restore runs in one transaction'
        : r.exists && r.options.safetyBackup
          ? 'On failure the target is put back from the safety backup (MySQL commits DDL as it goes)'
          : 'On failure the target may be left partly restored (MySQL commits DDL as it goes, and there is no safety backup)',
    ]
    const warnings: string[] = []
    if (r.target.tag === 'production') warnings.push(`The target profile ${r.target.name} is tagged production.`)
    if (r.exists && !r.options.safetyBackup) warnings.push('No safety backup: the current content of the target cannot be recovered by Lifeboat.')
    if (!engine.atomicRestore && !(r.exists && r.options.safetyBackup)) warnings.push('A failure midway can leave the target half-restored.')
    return {
      backup: { id: r.backup.id, fileName: r.backup.fileName, profileName: r.backup.profileName, startedAt: r.backup.startedAt, sizeBytes: r.backup.sizeBytes, engine: r.backup.engine },
      target: { profileId: r.target.id, profileName: r.target.name, tag: r.target.tag, database: r.database, exists: r.exists },
      steps,
      commands: commands.map(redact),
      estimatedBytes: r.backup.rawBytes,
      warnings,
    }
  }

  /** Checks the typed confirmation, then starts; the returned promise settles at the end. */
  async start(input: RestoreRequestInput, origin: Origin = this.deps.origin): Promise<StartedRestore> {
    const r = await this.resolve(input)
    const request = restoreRequestSchema.parse(input)
    if (request.confirm !== r.database) {
      throw new AppError('VALIDATION', `confirm: type the target database name exactly (${JSON.stringify(r.database)}) to restore into it`, 'confirm')
    }
    if (r.target.tag === 'production' && !request.confirmProduction) {
      throw new AppError('VALIDATION', `confirmProduction: ${r.target.name} is tagged production; confirm that explicitly as well`, 'confirmProduction')
    }
    const id = randomUUID()
    const controller = new AbortController()
    const finished = this.run(id, r, controller, origin)
    const started: StartedRestore = { id, finished, cancel: () => controller.abort(new AppError('CANCELLED', 'cancelled')) }
    this.inFlight.set(id, started)
    void finished.finally(() => this.inFlight.delete(id))
    return started
  }

  cancel(id: string): void {
    const running = this.inFlight.get(id)
    if (!running) throw new AppError('NOT_FOUND', `no restore ${id} is running in this process`, 'id')
    running.cancel()
  }

  private async run(id: string, r: Resolved, controller: AbortController, origin: Origin): Promise<RestoreResult> {
    const signal = controller.signal
    const startedAt = Date.now()
    const engine = this.deps.profiles.engine(r.target)
    const tempDir = join(this.deps.tempRoot, `restore-${id}`)
    const progress = (phase: RestoreProgress['phase'], bytes = 0, totalBytes: number | null = null) =>
      this.deps.events.emit({ type: 'restore.progress', progress: { restoreId: id, phase, bytes, totalBytes, elapsedMs: Date.now() - startedAt } })
    let safetyBackupId: string | null = null
    let rolledBack = false
    let touched = false
    try {
      // (1) The stored file must match its checksum before the target is touched at all.
      progress('verifying', 0, r.backup.sizeBytes)
      const { sha256 } = await sha256OfStream(await r.destination.get(r.backup.fileName, signal), signal)
      if (sha256 !== r.backup.sha256) {
        throw new AppError('INTEGRITY', `${r.backup.fileName} does not match its recorded SHA-256 (${r.backup.sha256}, the file has ${sha256}): it was changed or damaged; the target was not touched`)
      }
      // (2) Safety backup of what is there now.
      if (r.exists && r.options.safetyBackup) {
        progress('safety-backup')
        const safety = await this.deps.backups.start({ profileId: r.target.id, database: r.database, reason: 'pre-restore', options: { label: `before restore of ${r.backup.id.slice(0, 8)}` } })
        const cancelSafety = () => safety.cancel()
        signal.addEventListener('abort', cancelSafety, { once: true })
        const done = await safety.finished.finally(() => signal.removeEventListener('abort', cancelSafety))
        signal.throwIfAborted()
        if (done.status !== 'success') throw new AppError('RESTORE_FAILED', `the safety backup of the target failed, so nothing was restored: ${done.error ?? done.status}`)
        safetyBackupId = done.id
      }
      // (3) Create the database if asked.
      if (r.options.createDatabase) await engine.createDatabase(r.target, r.password, r.database, signal)
      // (4) The restore.
      touched = true
      await this.stream(r, r.backup, r.destination, r.decrypt, tempDir, signal, (bytes) => progress('restoring', bytes, r.backup.rawBytes))
      progress('finishing', r.backup.rawBytes ?? 0, r.backup.rawBytes)
      return this.finish(id, r, startedAt, { status: 'success', safetyBackupId, rolledBack, error: null, errorCode: null }, origin)
    } catch (e) {
      const reason: unknown = signal.aborted ? signal.reason : e
      const cancelled = isAppError(reason) && reason.code === 'CANCELLED'
      let message = redact(reason instanceof Error ? reason.message : String(reason))
      // (4b) Engines without transactional DDL: put the target back from the safety backup.
      if (touched && !engine.atomicRestore && safetyBackupId) {
        progress('rolling-back')
        try {
          const safety = this.deps.backups.get(safetyBackupId)
          const copy = await readableCopy(safety, this.deps.destinations)
          await this.stream({ ...r, options: { ...r.options, schemaOnly: false, dataOnly: false, tables: undefined, dropExisting: true } }, safety, copy, undefined, tempDir, new AbortController().signal, () => {})
          rolledBack = true
          message += `; the target was put back from the safety backup ${safetyBackupId}`
        } catch (rollbackError) {
          message += `; putting the target back from the safety backup ${safetyBackupId} ALSO failed (${redact(String(rollbackError))}) — restore it by hand`
        }
      }
      return this.finish(id, r, startedAt, {
        status: cancelled ? 'cancelled' : 'failed',
        safetyBackupId,
        rolledBack,
        error: message,
        errorCode: isAppError(reason) ? reason.code : 'RESTORE_FAILED',
      }, origin)
    } finally {
      await rm(tempDir, { recursive: true, force: true }).catch(() => {})
    }
  }

  /** Stored file -> decrypt -> decompress -> the engine's restore tool, with backpressure. */
  private async stream(r: Resolved, backup: Backup, destination: Destination, decrypt: Decrypt | undefined, tempDir: string, signal: AbortSignal, onBytes: (n: number) => void): Promise<void> {
    await mkdir(tempDir, { recursive: true, mode: 0o700 })
    const engine = this.deps.profiles.engine(r.target)
    const running = await engine.startRestore({ ...this.restoreRequestBase(r), format: backup.format, password: r.password, tempDir, signal })
    try {
      let bytes = 0
      const counter = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          bytes += chunk.length
          onBytes(bytes)
          cb(null, chunk)
        },
      })
      // One pipeline from the stored file to the tool, so a cancel or failure anywhere reaches every stage.
      const source = await destination.get(backup.fileName, signal)
      const plain = restoreStream({ source, compression: backup.compression, encryption: decrypt ?? null, signal })
      const fed = pipeline(plain, counter, running.stdin, { signal })
      fed.catch(() => {}) // the tool's own failure (below) is the better message when both fail
      await Promise.all([fed, running.done])
    } finally {
      await running.dispose()
    }
  }

  private restoreRequestBase(r: Resolved) {
    return {
      profile: r.target,
      database: r.database,
      format: r.backup.format,
      dropExisting: r.options.dropExisting,
      schemaOnly: r.options.schemaOnly,
      dataOnly: r.options.dataOnly,
      tables: r.options.tables ?? null,
      tools: this.deps.tools,
    }
  }

  private finish(id: string, r: Resolved, startedAt: number, outcome: Omit<RestoreResult, 'id' | 'durationMs'>, origin: Origin): RestoreResult {
    const result: RestoreResult = { id, durationMs: Date.now() - startedAt, ...outcome }
    this.deps.activity.record({
      origin,
      action: 'restore.run',
      subject: `${r.target.name}/${r.database}`,
      outcome: result.status === 'success' ? 'ok' : 'failed',
      detail: { restoreId: id, backupId: r.backup.id, fileName: r.backup.fileName, sourceProfile: r.backup.profileName, status: result.status, safetyBackupId: result.safetyBackupId, rolledBack: result.rolledBack, error: result.error },
    })
    this.deps.logger.info('restore finished', { id, backup: r.backup.id, target: r.target.name, status: result.status, error: result.error })
    this.deps.events.emit({ type: 'restore.finished', result })
    return result
  }

  private async resolve(input: PlanInput): Promise<Resolved> {
    const parsed = restoreRequestSchema.extend({ confirm: restoreRequestSchema.shape.confirm.optional() }).safeParse(input)
    if (!parsed.success) throw validationError(parsed.error)
    const request = parsed.data
    const options = request.options ?? restoreRequestSchema.shape.options.unwrap().parse({})
    const { backup, destination } = await this.storedCopy(request.backupId)
    const target = this.deps.profiles.get(request.targetProfileId)
    if (target.engine !== backup.engine) {
      throw new AppError('VALIDATION', `targetProfileId: a ${backup.engine} backup restores only into a ${backup.engine} profile (${target.name} is ${target.engine})`, 'targetProfileId')
    }
    const database = options.database ?? (target.engine === 'sqlite' ? target.file : target.database)
    if (target.engine === 'sqlite' && !isAbsolutePath(database)) throw new AppError('VALIDATION', 'database: for SQLite, the absolute path of the target file', 'database')
    if (backup.encryption && !request.decrypt) throw new AppError('VALIDATION', `decrypt: ${backup.fileName} is encrypted (${backup.encryption}); give the passphrase or identity`, 'decrypt')
    if (request.decrypt && 'passphrase' in request.decrypt) registerSecret(request.decrypt.passphrase)
    if (options.tables) {
      const inBackup = new Set((await this.tables(backup.id)).map((t) => t.name))
      const missing = options.tables.filter((t) => !inBackup.has(t))
      if (missing.length) throw new AppError('VALIDATION', `options.tables: not in the backup: ${missing.map((t) => JSON.stringify(t)).join(', ')}`, 'options.tables')
    }
    const password = await this.deps.profiles.password(target.id)
    const engine = this.deps.profiles.engine(target)
    const exists = await engine.databaseExists(target, password, database, new AbortController().signal)
    if (options.createDatabase && exists && target.engine !== 'sqlite') {
      throw new AppError('CONFLICT', `database: ${JSON.stringify(database)} already exists on ${target.name}; leave out "create database" to restore into it`, 'database')
    }
    if (!options.createDatabase && !exists && target.engine !== 'sqlite') {
      throw new AppError('UNKNOWN_DATABASE', `database: ${JSON.stringify(database)} does not exist on ${target.name}; choose "create database" to create it`, 'database')
    }
    return { backup, destination, target, password, database, exists, options, decrypt: request.decrypt }
  }

  private async storedCopy(backupId: string): Promise<{ backup: Backup; destination: Destination }> {
    const backup = this.deps.backups.get(backupId)
    if (backup.status !== 'success' || !backup.sha256) throw new AppError('CONFLICT', `backup ${backupId} has no stored file to restore (status ${backup.status})`, 'backupId')
    return { backup, destination: await readableCopy(backup, this.deps.destinations) }
  }
}
