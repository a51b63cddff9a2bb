import type Database from 'better-sqlite3'
import { AppError } from '../../../shared/errors'

export interface Migration {
  version: number
  name: string
  sql: string
}

/** Bundled at build time: migrations/NNN-name.sql, applied in order of NNN. */
const files = import.meta.glob<string>('./migrations/*.sql', { query: '?raw', import: 'default', eager: true })

export function bundledMigrations(): Migration[] {
  return parseMigrations(files)
}

export function parseMigrations(sources: Record<string, string>): Migration[] {
  const migrations = Object.entries(sources).map(([path, sql]) => {
    const match = /(\d+)-([\w-]+)\.sql$/.exec(path)
    if (!match) throw new Error(`migration file name must be NNN-name.sql: ${path}`)
    return { version: Number(match[1]), name: match[2]!, sql }
  })
  migrations.sort((a, b) => a.version - b.version)
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`migrations must be numbered 1, 2, 3... without gaps; found ${m.version} at position ${i + 1}`)
  })
  return migrations
}

/**
 * Brings the store to the newest schema. Each migration runs in its own transaction together with
 * the bump of PRAGMA user_version, so a crash mid-way leaves the file at the previous version.
 * A store written by a newer Lifeboat is refused rather than silently misread.
 */
export function migrate(db: Database.Database, migrations: Migration[] = bundledMigrations()): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number
  const latest = migrations.length
  if (from > latest) {
    throw new AppError(
      'INTERNAL',
      `this data directory was written by a newer Lifeboat (schema ${from}, this version knows ${latest}); upgrade Lifeboat to open it`,
    )
  }
  for (const m of migrations.slice(from)) {
    db.transaction(() => {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    }).immediate()
  }
  return { from, to: latest }
}
