import { osOf, type Os } from './choice'
import { discoverTools, type ClientTool, type ToolSearchOptions } from './search'
import { parseSqliteVersion } from './versions'

const WELL_KNOWN: Record<Os, string[]> = {
  linux: [],
  darwin: ['/opt/homebrew/opt/sqlite/bin', '/usr/local/opt/sqlite/bin'],
  win32: [],
}

/** The sqlite3 shell, needed only to restore by hand (backups use the built-in library). */
export async function findSqliteCli(options: ToolSearchOptions): Promise<ClientTool | null> {
  const platform = options.platform ?? process.platform
  const { candidates } = await discoverTools(['sqlite3'], WELL_KNOWN[osOf(platform)], options)
  for (const c of candidates) {
    const version = parseSqliteVersion(c.versionOutput)
    if (version) return { name: c.name, path: c.path, version }
  }
  return null
}
