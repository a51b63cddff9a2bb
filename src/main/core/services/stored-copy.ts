import type { Backup } from '../../../shared/backup-model'
import { AppError } from '../../../shared/errors'
import type { Destination } from '../destinations/destination'
import type { DestinationRegistry } from '../destinations/registry'

/**
 * A destination that really holds the backup's file, trying every recorded copy (local folders
 * first: cheapest to read). A copy whose file went missing or whose destination fails is skipped,
 * so a backup kept in S3 and locally still restores from S3 after the local file is gone. A copy of
 * the wrong size is used only when nothing better exists (its checksum check then reports the damage).
 */
export async function readableCopy(backup: Backup, destinations: DestinationRegistry, signal?: AbortSignal): Promise<Destination> {
  const copies = backup.copies.filter((c) => c.status === 'success')
  if (backup.status !== 'success' || copies.length === 0) throw new AppError('CONFLICT', `backup ${backup.id} has no stored file (status ${backup.status})`, 'id')
  type Candidate = { name: string; destination: Destination | null; error: string }
  const candidates: Candidate[] = copies.map((c) => {
    try {
      return { name: c.destination, destination: destinations.get(c.destination), error: '' }
    } catch (e) {
      return { name: c.destination, destination: null, error: e instanceof Error ? e.message : String(e) }
    }
  })
  const isLocal = (c: Candidate) => Number(c.destination?.kind === 'local')
  candidates.sort((a, b) => isLocal(b) - isLocal(a))
  const problems: string[] = []
  let damaged: Destination | null = null
  for (const { name, destination, error } of candidates) {
    if (!destination) {
      problems.push(`${name}: ${error}`)
      continue
    }
    try {
      const found = await destination.stat(backup.fileName, signal)
      if (found && (backup.sizeBytes === null || found.size === backup.sizeBytes)) return destination
      if (found) damaged ??= destination
      problems.push(found ? `${name}: the file has ${found.size} bytes, expected ${backup.sizeBytes}` : `${name}: the file is gone`)
    } catch (e) {
      signal?.throwIfAborted()
      problems.push(`${name}: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  // Only damaged copies: hand one out so the SHA-256 check names the damage (INTEGRITY), not "not found".
  if (damaged) return damaged
  throw new AppError('NOT_FOUND', `no readable copy of ${backup.fileName}: ${problems.join('; ')}`)
}
