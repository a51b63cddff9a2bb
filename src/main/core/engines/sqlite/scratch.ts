import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { countRows, openReadOnly, readSqliteTables } from './tables'

/** Helpers for test restores: a scratch file in a private directory, its row counts, its removal. */

/** A fresh 0700 directory (mkdtemp's mode) under `tempRoot`, and the scratch file's path inside it. */
export async function makeSqliteScratch(tempRoot: string, name: string): Promise<{ dir: string; file: string }> {
  await mkdir(tempRoot, { recursive: true, mode: 0o700 })
  const dir = await mkdtemp(join(tempRoot, 'test-restore-'))
  return { dir, file: join(dir, `${name}.sqlite`) }
}

/**
 * Exact row counts of the `names` present in `file` (listed tables, as in the manifest); absent ones
 * are left out. Virtual tables count as null, as in the manifest: their module decides what a row is.
 */
export function countSqliteRows(file: string, names: readonly string[], signal: AbortSignal): Map<string, number | null> {
  const wanted = new Set(names)
  const db = openReadOnly(file)
  try {
    const counts = new Map<string, number | null>()
    for (const t of readSqliteTables(db)) {
      if (t.shadowOf !== null || !wanted.has(t.name)) continue
      signal.throwIfAborted()
      counts.set(t.name, countRows(db, t))
    }
    return counts
  } finally {
    db.close()
  }
}

/** Removes the scratch directory with the file and any -journal/-wal left beside it. */
export async function removeSqliteScratch(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true })
}
