import { chosen, noTool, osOf, type Os, type ToolChoice } from './choice'
import { discoverTools, type ClientTool, type ToolCandidate, type ToolSearchOptions } from './search'
import { compareVersions, numericVersion, parseMysqlToolVersion, versionParts, type MysqlFlavor } from './versions'

const BREW_KEGS = ['mariadb', 'mariadb@*', 'mysql-client', 'mysql-client@*', 'mysql', 'mysql@*']
const WELL_KNOWN: Record<Os, string[]> = {
  linux: ['/usr/local/mysql/bin'],
  darwin: [
    ...BREW_KEGS.map((k) => `/opt/homebrew/opt/${k}/bin`),
    ...BREW_KEGS.map((k) => `/usr/local/opt/${k}/bin`),
    '/usr/local/mysql/bin',
  ],
  win32: ['C:\\Program Files\\MariaDB *\\bin', 'C:\\Program Files\\MySQL\\MySQL Server *\\bin'],
}

export interface MysqlServerVersion {
  product: 'MariaDB' | 'MySQL'
  /** "10.11.19", "8.0.36" */
  version: string
}

export interface MysqlDumpCandidate extends ClientTool {
  source: ToolCandidate['source']
  flavor: MysqlFlavor
}

export interface MysqlDiscovery {
  candidates: MysqlDumpCandidate[]
  lookedIn: string
}

/** mariadb-dump before mysqldump in each directory: on MariaDB >= 11 the old name is deprecated. */
export async function discoverMysqlDumps(options: ToolSearchOptions): Promise<MysqlDiscovery> {
  const platform = options.platform ?? process.platform
  const { candidates, lookedIn } = await discoverTools(['mariadb-dump', 'mysqldump'], WELL_KNOWN[osOf(platform)], options)
  const parsed: MysqlDumpCandidate[] = []
  for (const c of candidates) {
    const v = parseMysqlToolVersion(c.versionOutput)
    if (v) parsed.push({ name: c.name, path: c.path, version: v.version, flavor: v.flavor, source: c.source })
  }
  return { candidates: parsed, lookedIn }
}

/**
 * Prefers a dump tool of the server's own flavour (for MySQL: one at least the server's major.minor),
 * in search order. A mismatch still works for plain tables, so it is a warning, not an error.
 */
export function chooseMysqlDump(discovery: MysqlDiscovery, server: MysqlServerVersion | null, platform: NodeJS.Platform = process.platform): ToolChoice {
  const { candidates, lookedIn } = discovery
  const os = osOf(platform)
  if (candidates.length === 0) {
    return noTool({
      code: 'TOOL_MISSING',
      message: `mariadb-dump / mysqldump not found (looked in ${lookedIn}) — ${installHint(os, server?.product ?? 'MariaDB')}, or set the client tools directory`,
      field: 'clientBinDir',
    })
  }
  if (!server) return chosen(toTool(candidates[0] as MysqlDumpCandidate))

  const rank = (c: MysqlDumpCandidate): number => {
    if (server.product === 'MariaDB') return c.flavor === 'mariadb' ? 0 : 1
    if (c.flavor === 'mariadb') return 2
    return olderThanServer(c, server) ? 1 : 0
  }
  const best = Math.min(...candidates.map(rank))
  const pick = candidates.find((c) => rank(c) === best) as MysqlDumpCandidate
  const tool = `${pick.name} ${pick.version} (${pick.path})`
  const warnings: string[] = []
  if (server.product === 'MariaDB' && pick.flavor === 'mysql') {
    warnings.push(`${tool} is Oracle's build; against MariaDB ${server.version} it may fail or miss objects — ${installHint(os, 'MariaDB')}`)
  } else if (server.product === 'MySQL' && pick.flavor === 'mariadb') {
    warnings.push(`only a MariaDB dump tool was found: ${tool}; dumps of this MySQL ${server.version} server may not restore cleanly — ${installHint(os, 'MySQL')}`)
  } else if (server.product === 'MySQL' && olderThanServer(pick, server)) {
    warnings.push(`${tool} is older than the MySQL ${server.version} server — install mysqldump ${majorMinor(server.version)} or newer`)
  }
  return chosen(toTool(pick), warnings)
}

export async function findMysqlDump(server: MysqlServerVersion | null, options: ToolSearchOptions): Promise<ToolChoice> {
  return chooseMysqlDump(await discoverMysqlDumps(options), server, options.platform)
}

function olderThanServer(c: MysqlDumpCandidate, server: MysqlServerVersion): boolean {
  return compareVersions(c.version, server.version, 2) < 0
}

const majorMinor = (v: string) => versionParts(numericVersion(v)).slice(0, 2).join('.')

function installHint(os: Os, product: 'MariaDB' | 'MySQL'): string {
  if (os === 'darwin') return product === 'MariaDB' ? 'brew install mariadb' : 'brew install mysql-client'
  if (os === 'win32') return `install the ${product} client tools`
  return product === 'MariaDB' ? 'install mariadb-client' : 'install mysql-client'
}

const toTool = (c: MysqlDumpCandidate): ClientTool => ({ name: c.name, path: c.path, version: c.version })
