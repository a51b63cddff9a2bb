import { isManifestName } from '../../../shared/backup-files'
import type { ScanResult } from '../../../shared/destination-model'
import { manifestSchema, type Manifest } from '../../../shared/manifest'
import type { Origin, Profile } from '../../../shared/model'
import type { Destination } from '../destinations/destination'
import type { DestinationRegistry } from '../destinations/registry'
import type { EventBus } from '../events/event-bus'
import type { Logger } from '../logging/logger'
import type { ActivityRepo } from '../store/activity-repo'
import type { BackupsRepo } from '../store/backups-repo'

export interface ScanDeps {
  registry: DestinationRegistry
  backups: BackupsRepo
  profiles: { list(): Profile[] }
  activity: ActivityRepo
  events: EventBus
  logger: Logger
}

const MAX_MANIFEST_BYTES = 16 * 1024 * 1024

async function readManifest(destination: Destination, name: string, signal?: AbortSignal): Promise<Manifest> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of await destination.get(name, signal ?? new AbortController().signal)) {
    size += (chunk as Buffer).length
    if (size > MAX_MANIFEST_BYTES) throw new Error('larger than 16 MiB: not a Lifeboat manifest')
    chunks.push(chunk as Buffer)
  }
  const parsed = manifestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString('utf8')))
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  throw new Error(`not a Lifeboat manifest: ${issue?.path.join('.') || 'the document'}: ${issue?.message ?? 'invalid'}`)
}

/**
 * Re-indexes a destination from the manifests found there (DESIGN §6), so a new machine can restore
 * from a bucket it has never seen: unknown backups become history rows (matched to a local profile of
 * the same name and engine when there is one), known ones gain this copy. A manifest whose file is
 * missing or has another size is skipped with the reason; nothing is ever deleted.
 */
export async function scanDestination(deps: ScanDeps, name: string, origin: Origin, signal?: AbortSignal): Promise<ScanResult> {
  const destination = deps.registry.get(name)
  const names = await destination.list(signal)
  const present = new Set(names)
  const result: ScanResult = { destination: destination.name, manifests: 0, added: [], copiesAdded: [], alreadyKnown: 0, skipped: [] }
  for (const manifestFile of names.filter(isManifestName)) {
    signal?.throwIfAborted()
    result.manifests++
    let m: Manifest
    try {
      m = await readManifest(destination, manifestFile, signal)
    } catch (e) {
      result.skipped.push({ file: manifestFile, reason: e instanceof Error ? e.message : String(e) })
      continue
    }
    const skip = (reason: string) => result.skipped.push({ file: m.fileName, reason })
    if (!present.has(m.fileName)) {
      skip('the backup file is missing beside its manifest')
      continue
    }
    const stat = await destination.stat(m.fileName, signal)
    if (!stat || stat.size !== m.sizeBytes) {
      skip(`the file has ${stat?.size ?? 0} bytes, the manifest says ${m.sizeBytes}`)
      continue
    }
    const known = deps.backups.get(m.id)
    if (known) {
      if (known.fileName !== m.fileName || known.sha256 !== m.sha256) {
        skip(`backup ${m.id} is already known with another file or checksum`)
        continue
      }
      if (known.copies.some((c) => c.destination === destination.name && c.status === 'success')) {
        result.alreadyKnown++
        continue
      }
      deps.backups.addCopy(m.id, destination.name, destination.location(m.fileName))
      result.copiesAdded.push(m.fileName)
      continue
    }
    const profile = deps.profiles.list().find((p) => p.name.toLowerCase() === m.source.profileName.toLowerCase() && p.engine === m.source.engine)
    deps.backups.insertIndexed(
      {
        id: m.id,
        profileId: profile?.id ?? null,
        profileName: m.source.profileName,
        engine: m.source.engine,
        reason: m.reason,
        jobId: null,
        label: m.label,
        fileName: m.fileName,
        format: m.format,
        compression: m.compression,
        encryption: m.encryption?.kind ?? null,
        options: m.options,
        startedAt: m.startedAt,
        finishedAt: m.finishedAt,
        durationMs: Math.max(0, Date.parse(m.finishedAt) - Date.parse(m.startedAt)),
        sizeBytes: m.sizeBytes,
        rawBytes: m.rawBytes,
        sha256: m.sha256,
        tablesCount: m.tables.length,
        serverVersion: m.source.serverVersion,
        toolName: m.tool.name,
        toolVersion: m.tool.version,
      },
      { destination: destination.name, location: destination.location(m.fileName) },
    )
    result.added.push(m.fileName)
  }
  deps.activity.record({ origin, action: 'destination.scan', subject: destination.name, outcome: 'ok', detail: { manifests: result.manifests, added: result.added.length, copiesAdded: result.copiesAdded.length, skipped: result.skipped } })
  deps.logger.info('destination scanned', { destination: destination.name, manifests: result.manifests, added: result.added.length })
  if (result.added.length || result.copiesAdded.length) deps.events.emit({ type: 'backups.changed' })
  return result
}
