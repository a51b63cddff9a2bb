import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { destinationConfigSchema, type DestinationConfig, type DestinationSecretName } from '../../../shared/destination-model'
import { AppError } from '../../../shared/errors'
import type { Db } from './open-store'

interface DestinationRow {
  id: string
  name: string
  type: string
  config: string
  secret_refs: string | null
  created_at: string
  updated_at: string
}

export type DestinationSecretRefs = Partial<Record<DestinationSecretName, string>>

export interface StoredDestination {
  id: string
  name: string
  config: DestinationConfig
  secretRefs: DestinationSecretRefs
  createdAt: string
  updatedAt: string
}

function toStored(row: DestinationRow): StoredDestination {
  const parsed = destinationConfigSchema.safeParse({ ...JSON.parse(row.config), type: row.type })
  if (!parsed.success) throw new AppError('INTERNAL', `destination "${row.name}" in the store is damaged: ${z.prettifyError(parsed.error)}`)
  return {
    id: row.id,
    name: row.name,
    config: parsed.data,
    secretRefs: row.secret_refs ? (JSON.parse(row.secret_refs) as DestinationSecretRefs) : {},
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }
}

const refsJson = (refs: DestinationSecretRefs) => (Object.keys(refs).length ? JSON.stringify(refs) : null)

function split(config: DestinationConfig): { type: string; rest: string } {
  const { type, ...rest } = config
  return { type, rest: JSON.stringify(rest) }
}

export class DestinationsRepo {
  constructor(private readonly db: Db) {}

  list(): StoredDestination[] {
    return (this.db.prepare('SELECT * FROM destinations ORDER BY name COLLATE NOCASE').all() as DestinationRow[]).map(toStored)
  }

  findByName(name: string): StoredDestination | undefined {
    const row = this.db.prepare('SELECT * FROM destinations WHERE name = ? COLLATE NOCASE').get(name) as DestinationRow | undefined
    return row && toStored(row)
  }

  insert(name: string, config: DestinationConfig, refs: DestinationSecretRefs, id: string = randomUUID(), now = new Date()): StoredDestination {
    const { type, rest } = split(config)
    const at = now.toISOString()
    this.db.prepare('INSERT INTO destinations (id, name, type, config, secret_refs, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(id, name, type, rest, refsJson(refs), at, at)
    return this.findByName(name)!
  }

  update(id: string, config: DestinationConfig, refs: DestinationSecretRefs, now = new Date()): void {
    const { type, rest } = split(config)
    this.db.prepare('UPDATE destinations SET type = ?, config = ?, secret_refs = ?, updated_at = ? WHERE id = ?').run(type, rest, refsJson(refs), now.toISOString(), id)
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM destinations WHERE id = ?').run(id)
  }

  /** How many backups have a stored copy there (a destination holding backups can't be removed). */
  storedCopies(name: string): number {
    return this.db.prepare("SELECT count(*) FROM backup_copies WHERE destination = ? COLLATE NOCASE AND status = 'success'").pluck().get(name) as number
  }
}
