/**
 * Parsers for the `--version` output of client tools and for server version numbers. Pure functions:
 * the unit tests feed them the real strings seen in the wild.
 */

/** "pg_dump (PostgreSQL) 15.14 (Debian 15.14-0+deb12u1)" -> "15.14"; also "17beta1", "9.6.24". */
export function parsePgToolVersion(output: string): string | null {
  const m = /\(PostgreSQL\)\s+(\d+(?:\.\d+)*(?:[a-z]+\d*)?)/.exec(output)
  return m?.[1] ?? null
}

/**
 * A PostgreSQL major version, comparable across the 9.x scheme (9.6 is a major) and 10+ (15 is a
 * major): `key` orders them, `label` is what a DBA types ("9.6", "15").
 */
export interface PgMajor {
  key: number
  label: string
}

export function pgMajorOf(version: string): PgMajor | null {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version.trim())
  if (!m?.[1]) return null
  const first = Number(m[1])
  if (first >= 10) return { key: first * 100, label: String(first) }
  const second = Number(m[2] ?? 0)
  return { key: first * 100 + second, label: `${first}.${second}` }
}

/** server_version_num: 150014 -> 15, 90624 -> 9.6. */
export function pgMajorOfVersionNum(num: number): PgMajor | null {
  if (!Number.isInteger(num) || num <= 0) return null
  if (num >= 100_000) {
    const major = Math.floor(num / 10_000)
    return { key: major * 100, label: String(major) }
  }
  const first = Math.floor(num / 10_000)
  const second = Math.floor(num / 100) % 100
  return { key: first * 100 + second, label: `${first}.${second}` }
}

export type MysqlFlavor = 'mariadb' | 'mysql'

export interface MysqlToolVersion {
  flavor: MysqlFlavor
  /** "10.11.19-MariaDB", "8.0.36" */
  version: string
}

/**
 * Handles the three shapes in use:
 * - "mariadb-dump from 11.4.2-MariaDB, client 10.19 for Linux (x86_64)"            (MariaDB >= 11)
 * - "mysqldump  Ver 10.19 Distrib 10.11.19-MariaDB, for debian-linux-gnu (x86_64)" (MariaDB 10.x, Oracle 5.7)
 * - "mysqldump  Ver 8.0.36 for Linux on x86_64 (MySQL Community Server - GPL)"      (Oracle 8+)
 * The "Ver 10.19" of the first two is the client protocol revision, not the product version.
 */
export function parseMysqlToolVersion(output: string): MysqlToolVersion | null {
  const version =
    /\bfrom\s+(\d+\.\d+\.\d+[^\s,]*)/.exec(output)?.[1] ??
    /\bDistrib\s+(\d+\.\d+\.\d+[^\s,]*)/.exec(output)?.[1] ??
    /\bVer\s+(\d+\.\d+\.\d+[^\s,]*)/.exec(output)?.[1]
  if (!version) return null
  return { flavor: /mariadb/i.test(output) ? 'mariadb' : 'mysql', version }
}

/** "3.40.1 2022-12-28 14:03:47 df5c..." -> "3.40.1" */
export function parseSqliteVersion(output: string): string | null {
  return /^\s*(\d+\.\d+(?:\.\d+)*)/.exec(output)?.[1] ?? null
}

/** Numeric parts of a version string: "10.11.19-MariaDB-0+deb12u1" -> [10, 11, 19]. */
export function versionParts(version: string): number[] {
  const m = /^\s*(\d+(?:\.\d+)*)/.exec(version)
  return m?.[1] ? m[1].split('.').map(Number) : []
}

/** Compares the first `depth` numeric parts (missing parts count as 0). */
export function compareVersions(a: string, b: string, depth = 3): number {
  const pa = versionParts(a)
  const pb = versionParts(b)
  for (let i = 0; i < depth; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  return 0
}

/** "10.11.19-MariaDB-0+deb12u1" -> "10.11.19" */
export function numericVersion(version: string): string {
  return versionParts(version).join('.') || version.trim()
}
