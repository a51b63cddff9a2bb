import { AppError } from '../../../../shared/errors'
import { chosen, noTool, osOf, type Os, type ToolChoice } from './choice'
import { discoverTools, exeName, pathFor, versionOutput, type ClientTool, type ToolCandidate, type ToolSearchOptions } from './search'
import { parsePgToolVersion, pgMajorOf, pgMajorOfVersionNum, type PgMajor } from './versions'

const WELL_KNOWN: Record<Os, string[]> = {
  linux: ['/usr/lib/postgresql/*/bin', '/usr/pgsql-*/bin'],
  darwin: [
    '/opt/homebrew/opt/postgresql@*/bin',
    '/usr/local/opt/postgresql@*/bin',
    '/opt/homebrew/opt/libpq/bin',
    '/opt/homebrew/bin',
    '/Applications/Postgres.app/Contents/Versions/*/bin',
  ],
  win32: ['C:\\Program Files\\PostgreSQL\\*\\bin'],
}

export interface PgServerVersion {
  /** SHOW server_version, first word: "15.14" */
  version: string
  /** SHOW server_version_num: 150014 */
  versionNum: number
}

export interface PgDumpCandidate extends ClientTool {
  source: ToolCandidate['source']
  major: PgMajor
  /** Debian's /usr/bin/pg_dump is pg_wrapper, which runs the newest installed version. */
  dispatcher: boolean
}

export interface PgDiscovery {
  candidates: PgDumpCandidate[]
  lookedIn: string
}

export async function discoverPgDumps(options: ToolSearchOptions): Promise<PgDiscovery> {
  const platform = options.platform ?? process.platform
  const { candidates, lookedIn } = await discoverTools(['pg_dump'], WELL_KNOWN[osOf(platform)], options)
  const parsed: PgDumpCandidate[] = []
  for (const c of candidates) {
    const version = parsePgToolVersion(c.versionOutput)
    const major = version ? pgMajorOf(version) : null
    if (!version || !major) continue
    parsed.push({ name: c.name, path: c.path, version, source: c.source, major, dispatcher: /pg_wrapper$/.test(c.realPath) })
  }
  // Real binaries before the dispatcher, which is found again under /usr/lib/postgresql/N/bin anyway.
  return { candidates: [...parsed.filter((c) => !c.dispatcher), ...parsed.filter((c) => c.dispatcher)], lookedIn }
}

/**
 * pg_dump must be at least the server's major version; an exact major is best (its plain dumps also
 * replay on that server's psql), else the lowest newer one. Ties go to search order (the profile's
 * client tools directory first).
 */
export function choosePgDump(discovery: PgDiscovery, server: PgServerVersion | null, platform: NodeJS.Platform = process.platform): ToolChoice {
  const { candidates, lookedIn } = discovery
  const serverMajor = server ? pgMajorOfVersionNum(server.versionNum) ?? pgMajorOf(server.version) : null
  const install = installHint(osOf(platform), serverMajor?.label)
  if (candidates.length === 0) {
    return noTool({ code: 'TOOL_MISSING', message: `pg_dump not found (looked in ${lookedIn}) — ${install}, or set the client tools directory`, field: 'clientBinDir' })
  }
  if (!serverMajor) {
    const newest = candidates.reduce((best, c) => (c.major.key > best.major.key ? c : best))
    return chosen(toTool(newest))
  }
  const usable = candidates.filter((c) => c.major.key >= serverMajor.key)
  if (usable.length === 0) {
    const found = candidates.map((c) => `pg_dump ${c.version} at ${c.path}`).join(', ')
    return noTool({
      code: 'VERSION_MISMATCH',
      message: `pg_dump is older than the server (PostgreSQL ${server?.version}): found ${found} — ${install} or newer, or set the client tools directory`,
      field: 'clientBinDir',
    })
  }
  const lowest = Math.min(...usable.map((c) => c.major.key))
  const pick = usable.find((c) => c.major.key === lowest) as PgDumpCandidate
  const warnings: string[] = []
  const override = candidates.find((c) => c.source === 'clientBinDir')
  if (override && pick.source !== 'clientBinDir' && override.major.key < serverMajor.key) {
    warnings.push(
      `the pg_dump in the client tools directory (${override.path}, ${override.version}) is older than the server (PostgreSQL ${server?.version}); using ${pick.path} (${pick.version}) instead`,
    )
  }
  return chosen(toTool(pick), warnings)
}

export async function findPgDump(server: PgServerVersion | null, options: ToolSearchOptions): Promise<ToolChoice> {
  return choosePgDump(await discoverPgDumps(options), server, options.platform)
}

/**
 * pg_restore or psql from the directory of the chosen pg_dump, so dump and restore tools are the
 * same version. Throws TOOL_MISSING when that directory does not have it.
 */
export async function findPgCompanion(
  pgDump: ClientTool,
  name: 'pg_restore' | 'psql',
  options: Pick<ToolSearchOptions, 'platform' | 'timeoutMs' | 'signal'> = {},
): Promise<ClientTool> {
  const platform = options.platform ?? process.platform
  const p = pathFor(platform)
  const file = p.join(p.dirname(pgDump.path), exeName(name, platform))
  const out = await versionOutput(file, options)
  const version = out ? parsePgToolVersion(out) : null
  if (!version) {
    throw new AppError('TOOL_MISSING', `${name} not found next to ${pgDump.path} (looked for ${file})`, 'clientBinDir')
  }
  return { name, path: file, version }
}

function installHint(os: Os, major: string | undefined): string {
  if (os === 'darwin') return major ? `brew install postgresql@${major}` : 'brew install libpq'
  if (os === 'win32') return `install the PostgreSQL ${major ?? ''} command line tools`.replace('  ', ' ')
  return major ? `install postgresql-client-${major}` : 'install postgresql-client'
}

const toTool = (c: PgDumpCandidate): ClientTool => ({ name: c.name, path: c.path, version: c.version })
