import { redact } from '../logging/redact'
import type { RunNotice } from './message'

/**
 * Generic JSON webhook body. Stable contract (add fields, never rename or remove):
 * {
 *   "event": "backup.finished",
 *   "status": "success" | "failed" | "cancelled" | "interrupted",
 *   "job": string | null,            // scheduled job name, null for manual runs
 *   "profile": string,               // connection profile name
 *   "engine": "postgres" | "mysql" | "sqlite",
 *   "database": string,              // only present when known
 *   "backupId": string,
 *   "fileName": string,
 *   "sizeBytes": number | null,      // as stored (compressed, encrypted)
 *   "durationMs": number | null,
 *   "startedAt": string,             // ISO 8601
 *   "finishedAt": string | null,
 *   "error": string | null,
 *   "sha256": string | null,
 *   "destinations": [{ "name": string, "status": "running"|"success"|"failed"|"deleted", "location": string | null, "error": string | null }],
 *   "note": string | null            // e.g. a failed prune or test-restore
 * }
 */
export function webhookPayload(n: RunNotice): Record<string, unknown> {
  const b = n.backup
  const clean = (s: string | null | undefined): string | null => (s ? redact(s) : null)
  return {
    event: 'backup.finished',
    status: b.status,
    job: n.jobName,
    profile: b.profileName,
    engine: b.engine,
    ...(n.database ? { database: n.database } : {}),
    backupId: b.id,
    fileName: b.fileName,
    sizeBytes: b.sizeBytes,
    durationMs: b.durationMs,
    startedAt: b.startedAt,
    finishedAt: b.finishedAt,
    error: clean(b.error),
    sha256: b.sha256,
    destinations: b.copies.map((c) => ({ name: c.destination, status: c.status, location: c.location, error: clean(c.error) })),
    note: clean(n.note),
  }
}
