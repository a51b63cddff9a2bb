import { randomUUID } from 'node:crypto'
import { mkdir, rm } from 'node:fs/promises'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { backupFileName, manifestName } from '../../../shared/backup-files'
import type { Backup, BackupFormat, BackupOptions, BackupProgress, BackupReason } from '../../../shared/backup-model'
import { AppError, isAppError } from '../../../shared/errors'
import type { Profile } from '../../../shared/model'
import type { Manifest } from '../../../shared/manifest'
import type { Destination } from '../destinations/destination'
import type { DatabaseEngine, DumpInfo, DumpRequest, RunningDump } from '../engines/engine'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import { redact } from '../logging/redact'
import { runPipeline } from '../pipeline'
import type { EncryptionKey } from '../pipeline/pipeline'
import type { BackupsRepo } from '../store/backups-repo'
import { LIFEBOAT_VERSION } from '../version'

export interface BackupRequest {
  profile: Profile
  password: string | undefined
  engine: DatabaseEngine
  format: BackupFormat
  options: BackupOptions
  encryptionKey: EncryptionKey | null
  destinations: Destination[]
  reason: BackupReason
  jobId?: string | null
  tools?: DumpRequest['tools']
}

export interface RunnerDeps {
  repo: BackupsRepo
  events: EventBus
  logger: Logger
  /** <data dir>/tmp: per-run private directories (credential files, snapshots). */
  tempRoot: string
  now?: () => Date
}

export interface StartedBackup {
  id: string
  /** Settles with the final row; never rejects (a failure is a `failed` row). */
  finished: Promise<Backup>
  cancel(): void
}

const HEARTBEAT_MS = 10_000

/**
 * One backup, start to end: history row first (running), then dump -> pipeline -> destinations ->
 * manifest, and the row always ends as success, failed or cancelled. Nothing reaches a final file
 * name unless the dump tool exited 0 and the bytes are durable.
 */
export function startBackup(req: BackupRequest, deps: RunnerDeps): StartedBackup {
  const now = deps.now ?? (() => new Date())
  const id = randomUUID()
  const started = now()
  const encryption = req.options.encryption
  const fileName = backupFileName({
    startedAt: started,
    id,
    format: req.format,
    compression: req.options.compression,
    encrypted: encryption !== null,
    label: req.options.label,
  })
  deps.repo.insertRunning(
    {
      id,
      profileId: req.profile.id,
      profileName: req.profile.name,
      engine: req.profile.engine,
      reason: req.reason,
      jobId: req.jobId ?? null,
      label: req.options.label || null,
      fileName,
      format: req.format,
      compression: req.options.compression,
      encryption: encryption?.kind ?? null,
      options: { schemaOnly: req.options.schemaOnly, dataOnly: req.options.dataOnly, tables: req.options.tables ?? null },
      startedAt: started.toISOString(),
    },
    req.destinations.map((d) => d.name),
    process.pid,
  )
  deps.events.emit({ type: 'backups.changed' })

  const controller = new AbortController()
  const timeout =
    req.options.timeoutMs === undefined
      ? undefined
      : setTimeout(
          () => controller.abort(new AppError('TIMEOUT', `the backup took longer than its time limit of ${formatDuration(req.options.timeoutMs!)}`)),
          req.options.timeoutMs,
        )
  const cancel = () => controller.abort(new AppError('CANCELLED', 'cancelled'))

  const finished = run(id, fileName, started, req, deps, controller, now).finally(() => clearTimeout(timeout))
  return { id, finished, cancel }
}

async function run(
  id: string,
  fileName: string,
  started: Date,
  req: BackupRequest,
  deps: RunnerDeps,
  controller: AbortController,
  now: () => Date,
): Promise<Backup> {
  const signal = controller.signal
  const tempDir = join(deps.tempRoot, id)
  let dump: RunningDump | undefined
  let info: DumpInfo | undefined
  let lastHeartbeat = Date.now()
  const progress = (phase: BackupProgress['phase'], rawBytes: number, storedBytes: number) => {
    const elapsedMs = Date.now() - started.getTime()
    const estimate = info?.estimatedBytes ?? null
    const fraction = phase === 'finishing' ? 1 : estimate && estimate > 0 ? Math.min(0.99, rawBytes / estimate) : null
    deps.events.emit({
      type: 'backup.progress',
      progress: { backupId: id, profileId: req.profile.id, phase, rawBytes, storedBytes, rate: elapsedMs > 0 ? (rawBytes * 1000) / elapsedMs : 0, elapsedMs, fraction },
    })
    if (Date.now() - lastHeartbeat > HEARTBEAT_MS) {
      lastHeartbeat = Date.now()
      deps.repo.heartbeat(id, now().toISOString())
    }
  }

  try {
    progress('starting', 0, 0)
    await mkdir(tempDir, { recursive: true, mode: 0o700 })
    dump = await req.engine.startDump({
      profile: req.profile,
      password: req.password,
      format: req.format,
      schemaOnly: req.options.schemaOnly,
      dataOnly: req.options.dataOnly,
      tables: req.options.tables ?? null,
      tempDir,
      signal,
      tools: req.tools,
    })
    info = dump.info
    signal.throwIfAborted()
    const current = dump
    const pipeline = runPipeline({
      source: current.stdout,
      compression: req.options.compression,
      encryption: req.encryptionKey,
      signal,
      maxBytes: req.options.maxBytes,
      beforeEnd: () => current.done,
      onProgress: (p) => progress('dumping', p.rawBytes, p.storedBytes),
    })
    // Each destination on its own: one that fails is dropped and the others go on; only when every
    // one has failed does the whole backup stop (the dump has nowhere left to go).
    const copyErrors = new Map<number, unknown>()
    const puts = fanOut(pipeline.output, req.destinations.length).map((stream, i) =>
      req.destinations[i]!.put(fileName, stream, signal, { expectedBytes: info?.estimatedBytes ?? undefined }).catch((e: unknown) => {
        copyErrors.set(i, e)
        if (copyErrors.size === req.destinations.length) controller.abort(allFailed(req.destinations, copyErrors))
        throw e
      }),
    )
    for (const p of [pipeline.result, ...puts]) p.catch(() => {})
    const totals = await pipeline.result
    const placed = await Promise.allSettled(puts)
    progress('finishing', totals.rawBytes, totals.storedBytes)

    const manifest: Manifest = {
      manifestVersion: 1,
      lifeboatVersion: LIFEBOAT_VERSION,
      id,
      fileName,
      sizeBytes: totals.storedBytes,
      sha256: totals.sha256,
      rawBytes: totals.rawBytes,
      source: {
        engine: req.profile.engine,
        profileName: req.profile.name,
        database: req.profile.engine === 'sqlite' ? req.profile.file : req.profile.database,
        host: req.profile.engine === 'sqlite' ? hostname() : req.profile.host,
        serverVersion: info.serverVersion,
      },
      tool: { name: info.toolName, version: info.toolVersion },
      format: req.format,
      compression: req.options.compression,
      encryption: req.options.encryption,
      options: { schemaOnly: req.options.schemaOnly, dataOnly: req.options.dataOnly, tables: req.options.tables ?? null },
      label: req.options.label || null,
      reason: req.reason,
      tables: info.tables,
      startedAt: started.toISOString(),
      finishedAt: now().toISOString(),
    }
    const manifestText = JSON.stringify(manifest, null, 2) + '\n'
    for (const [i, destination] of req.destinations.entries()) {
      const put = placed[i]!
      if (put.status === 'rejected') {
        await copyFailed(id, destination, fileName, put.reason, deps)
        continue
      }
      try {
        await destination.put(manifestName(fileName), Readable.from([manifestText]), signal)
        deps.repo.updateCopy(id, destination.name, 'success', put.value.location)
      } catch (e) {
        signal.throwIfAborted()
        // A file without its manifest can't be re-indexed or verified elsewhere: don't keep half a backup.
        await destination.delete(fileName).catch(() => {})
        copyErrors.set(i, e)
        await copyFailed(id, destination, fileName, e, deps)
      }
    }
    if (copyErrors.size === req.destinations.length) throw allFailed(req.destinations, copyErrors)
    return finish(id, deps, started, now, {
      status: 'success',
      sizeBytes: totals.storedBytes,
      rawBytes: totals.rawBytes,
      sha256: totals.sha256,
      ...versions(info),
    })
  } catch (e) {
    if (!signal.aborted) controller.abort(e) // stop every stage still running: child processes, uploads
    const reason: unknown = signal.reason
    const cancelled = isAppError(reason) && reason.code === 'CANCELLED'
    const message = redact(describe(reason))
    deps.logger.warn('backup ended without success', { id, profile: req.profile.name, cancelled, error: message })
    for (const destination of req.destinations) await destination.removePartial(fileName).catch(() => {})
    return finish(id, deps, started, now, { status: cancelled ? 'cancelled' : 'failed', error: message, ...(info ? versions(info) : {}) })
  } finally {
    await dump?.dispose().catch(() => {})
    await rm(tempDir, { recursive: true, force: true }).catch(() => {})
  }
}

function finish(
  id: string,
  deps: RunnerDeps,
  started: Date,
  now: () => Date,
  outcome: Omit<Parameters<BackupsRepo['finish']>[1], 'finishedAt' | 'durationMs'>,
): Backup {
  const end = now()
  deps.repo.finish(id, { ...outcome, finishedAt: end.toISOString(), durationMs: end.getTime() - started.getTime() })
  const backup = deps.repo.get(id)!
  deps.events.emit({ type: 'backup.finished', backup })
  deps.events.emit({ type: 'backups.changed' })
  return backup
}

function versions(info: DumpInfo) {
  return { serverVersion: info.serverVersion, toolName: info.toolName, toolVersion: info.toolVersion, tablesCount: info.tables.length }
}

function describe(e: unknown): string {
  if (isAppError(e)) return e.message
  return e instanceof Error ? e.message : String(e)
}

/** Records a destination that did not get the file, and removes what it may have left. */
async function copyFailed(id: string, destination: Destination, fileName: string, error: unknown, deps: RunnerDeps): Promise<void> {
  const message = redact(describe(error))
  deps.logger.warn('a destination failed; the others go on', { id, destination: destination.name, error: message })
  deps.repo.updateCopy(id, destination.name, 'failed', null, message)
  await destination.removePartial(fileName).catch(() => {})
}

/** One error for "every destination failed" (the only one's own error when there is one). */
function allFailed(destinations: Destination[], errors: Map<number, unknown>): unknown {
  if (destinations.length === 1) return errors.get(0)
  const parts = destinations.map((d, i) => `${d.name}: ${describe(errors.get(i))}`)
  return new AppError('DESTINATION_FAILED', `every destination failed — ${parts.join('; ')}`)
}

/**
 * One stream per destination; the slowest destination sets the pace (pipe honours every writer's
 * backpressure). A branch whose destination failed is destroyed, which unpipes it, so the others go on.
 */
function fanOut(source: Readable, count: number): Readable[] {
  if (count === 1) return [source]
  const branches = Array.from({ length: count }, () => new PassThrough({ highWaterMark: 1 << 20 }))
  for (const branch of branches) source.pipe(branch)
  source.on('error', (err) => branches.forEach((b) => b.destroy(err)))
  return branches
}

function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`
  if (ms % 60_000 === 0) return `${ms / 60_000} min`
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}
