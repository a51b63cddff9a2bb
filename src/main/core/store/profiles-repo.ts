import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { AppError } from '../../../shared/errors'
import { profileInputSchema, type Profile, type ProfileConfig } from '../../../shared/model'
import type { Db } from './open-store'

interface ProfileRow {
  id: string
  name: string
  engine: string
  tag: string | null
  config: string
  password_ref: string | null
  ssh_secret_ref: string | null
  jump_secret_ref: string | null
  created_at: string
  updated_at: string
}

/** Secret store references of a profile's secrets; null = none saved. */
export interface ProfileSecretRefs {
  password: string | null
  ssh: string | null
  jump: string | null
}

export interface StoredProfile {
  profile: Profile
  passwordRef: string | null
  sshSecretRef: string | null
  jumpSecretRef: string | null
}

/** name, engine and tag have columns (unique, indexed, checked); the rest is engine-specific JSON. */
function split(config: ProfileConfig): { name: string; engine: string; tag: string | null; rest: string } {
  const { name, engine, tag, ...rest } = config
  return { name, engine, tag, rest: JSON.stringify(rest) }
}

function toStored(row: ProfileRow): StoredProfile {
  const parsed = profileInputSchema.safeParse({ ...JSON.parse(row.config), name: row.name, engine: row.engine, tag: row.tag })
  if (!parsed.success) {
    throw new AppError('INTERNAL', `profile "${row.name}" in the store is damaged: ${z.prettifyError(parsed.error)}`)
  }
  return {
    profile: {
      ...parsed.data,
      id: row.id,
      hasPassword: row.password_ref !== null,
      hasSshSecret: row.ssh_secret_ref !== null,
      hasJumpSecret: row.jump_secret_ref !== null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    },
    passwordRef: row.password_ref,
    sshSecretRef: row.ssh_secret_ref,
    jumpSecretRef: row.jump_secret_ref,
  }
}

/** A bare string is the password's reference (profiles without SSH secrets). */
function secretRefs(refs: string | null | ProfileSecretRefs): ProfileSecretRefs {
  return refs === null || typeof refs === 'string' ? { password: refs, ssh: null, jump: null } : refs
}

export class ProfilesRepo {
  constructor(private readonly db: Db) {}

  list(): StoredProfile[] {
    const rows = this.db.prepare('SELECT * FROM profiles ORDER BY name COLLATE NOCASE').all() as ProfileRow[]
    return rows.map(toStored)
  }

  get(id: string): StoredProfile | undefined {
    const row = this.db.prepare('SELECT * FROM profiles WHERE id = ?').get(id) as ProfileRow | undefined
    return row && toStored(row)
  }

  findByName(name: string): StoredProfile | undefined {
    const row = this.db.prepare('SELECT * FROM profiles WHERE name = ? COLLATE NOCASE').get(name) as ProfileRow | undefined
    return row && toStored(row)
  }

  insert(config: ProfileConfig, refs: string | null | ProfileSecretRefs, id: string = randomUUID(), now = new Date()): StoredProfile {
    const { name, engine, tag, rest } = split(config)
    const r = secretRefs(refs)
    const at = now.toISOString()
    this.db
      .prepare(
        `INSERT INTO profiles (id, name, engine, tag, config, password_ref, ssh_secret_ref, jump_secret_ref, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, name, engine, tag, rest, r.password, r.ssh, r.jump, at, at)
    return this.get(id)!
  }

  update(id: string, config: ProfileConfig, refs: ProfileSecretRefs, now = new Date()): StoredProfile {
    const { name, engine, tag, rest } = split(config)
    this.db
      .prepare('UPDATE profiles SET name = ?, engine = ?, tag = ?, config = ?, password_ref = ?, ssh_secret_ref = ?, jump_secret_ref = ?, updated_at = ? WHERE id = ?')
      .run(name, engine, tag, rest, refs.password, refs.ssh, refs.jump, now.toISOString(), id)
    return this.get(id)!
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM profiles WHERE id = ?').run(id)
  }
}
