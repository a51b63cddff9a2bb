import Database from 'better-sqlite3'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { migrate, type Migration } from './migrations'

export type Db = Database.Database

export interface StoreOptions {
  migrations?: Migration[]
  /** better-sqlite3 built for another ABI (Electron's); see src/main/electron/native-binding.ts. */
  nativeBinding?: string
}

/** Opens (creating if needed) the store with WAL, foreign keys and a busy timeout, then migrates it. */
export function openStore(file: string, { migrations, nativeBinding }: StoreOptions = {}): Db {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const db = nativeBinding ? new Database(file, { nativeBinding }) : new Database(file)
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000') // the CLI and the app may write at the same moment
    db.pragma('synchronous = FULL') // history must survive a power cut, and our write volume is tiny
    migrate(db, migrations)
    return db
  } catch (e) {
    db.close()
    throw e
  }
}
