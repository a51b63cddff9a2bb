import type { Backup } from '../../src/shared/backup-model'

let seq = 0

/** A history row for tests that need Backup objects without running a backup; override what matters. */
export function backupRow(over: Partial<Backup> = {}): Backup {
  seq++
  const startedAt = over.startedAt ?? '2030-01-02T10:00:00.000Z'
  return {
    id: `b${seq}`,
    profileId: 'p1',
    profileName: 'prod',
    engine: 'postgres',
    status: 'success',
    reason: 'manual',
    jobId: null,
    label: null,
    fileName: `backup-${seq}.dump.zst`,
    format: 'custom',
    compression: 'zstd',
    encryption: null,
    options: { schemaOnly: false, dataOnly: false, tables: null },
    sizeBytes: 5 * 1024 * 1024,
    rawBytes: null,
    sha256: null,
    startedAt,
    finishedAt: startedAt,
    durationMs: 75_000,
    tablesCount: null,
    serverVersion: null,
    toolName: null,
    toolVersion: null,
    error: null,
    copies: [],
    ...over,
  }
}
