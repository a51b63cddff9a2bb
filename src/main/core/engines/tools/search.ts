import { execFile } from 'node:child_process'
import { readdir, realpath, stat, access, constants } from 'node:fs/promises'
import path from 'node:path'

/** Where to look for client tools. Every field is optional; the defaults describe this machine. */
export interface ToolSearchOptions {
  /** The profile's override, searched first. */
  clientBinDir?: string | null
  /** Searched after clientBinDir and before PATH. */
  extraDirs?: readonly string[]
  /** PATH to search instead of process.env.PATH ('' searches no PATH at all). */
  pathEnv?: string
  /** Also search the usual install locations of each product (default true). */
  wellKnownDirs?: boolean
  platform?: NodeJS.Platform
  /** Bound for each `--version` run. */
  timeoutMs?: number
  signal?: AbortSignal
  /** Searches somewhere else than this machine's file system (the SSH host in exec mode). */
  discover?: (names: readonly string[], wellKnown: readonly string[], options: ToolSearchOptions) => Promise<Discovery>
}

export type ToolSource = 'clientBinDir' | 'extra' | 'PATH' | 'system'

export interface ClientTool {
  name: string
  path: string
  version: string
}

/** A tool found on disk, with the first line of its `--version` output. */
export interface ToolCandidate {
  name: string
  path: string
  source: ToolSource
  /** After symlinks: tells a dispatcher (Debian's pg_wrapper) from the binary it runs. */
  realPath: string
  versionOutput: string
}

export interface Discovery {
  candidates: ToolCandidate[]
  /** Short description of where we looked, for TOOL_MISSING messages. */
  lookedIn: string
}

interface SearchDir {
  dir: string
  source: ToolSource
}

const VERSION_TIMEOUT_MS = 5_000

export function pathFor(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix
}

export function exeName(name: string, platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${name}.exe` : name
}

/**
 * Finds every executable named one of `names` (in that order of preference within a directory), in
 * search order: clientBinDir, extraDirs, PATH, then the well-known patterns ("*" matches one path
 * segment). Duplicates (symlinks, /bin vs /usr/bin) are reported once. Runs each with `--version`.
 */
export async function discoverTools(
  names: readonly string[],
  wellKnown: readonly string[],
  options: ToolSearchOptions,
): Promise<Discovery> {
  if (options.discover) return options.discover(names, wellKnown, options)
  const platform = options.platform ?? process.platform
  const p = pathFor(platform)
  const dirs: SearchDir[] = []
  if (options.clientBinDir) dirs.push({ dir: options.clientBinDir, source: 'clientBinDir' })
  for (const dir of options.extraDirs ?? []) dirs.push({ dir, source: 'extra' })
  const pathEnv = options.pathEnv ?? process.env.PATH ?? ''
  for (const dir of pathEnv.split(p.delimiter)) if (dir && p.isAbsolute(dir)) dirs.push({ dir, source: 'PATH' })
  const useWellKnown = options.wellKnownDirs ?? true
  if (useWellKnown) {
    for (const pattern of wellKnown) for (const dir of await expandPattern(pattern, p)) dirs.push({ dir, source: 'system' })
  }

  const seen = new Set<string>()
  const files: Omit<ToolCandidate, 'versionOutput'>[] = []
  for (const { dir, source } of dirs) {
    for (const name of names) {
      const file = p.join(dir, exeName(name, platform))
      if (!(await isExecutable(file, platform))) continue
      const real = await realpath(file).catch(() => file)
      // A multi-call binary under two names (mysqldump -> mariadb-dump) is one tool, not two.
      if (seen.has(real)) continue
      seen.add(real)
      files.push({ name, path: file, source, realPath: real })
    }
  }

  const outputs = await Promise.all(files.map((f) => versionOutput(f.path, options)))
  const candidates: ToolCandidate[] = []
  files.forEach((f, i) => {
    const out = outputs[i]
    if (out) candidates.push({ ...f, versionOutput: out })
  })

  const looked = [
    options.clientBinDir ? `${options.clientBinDir} (client tools directory)` : null,
    ...(options.extraDirs ?? []),
    pathEnv ? 'PATH' : null,
    ...(useWellKnown ? wellKnown : []),
  ].filter((s): s is string => s !== null)
  return { candidates, lookedIn: looked.join(', ') || 'nowhere (no search locations)' }
}

/** First non-empty line of `tool --version`, or null when it does not run. */
export async function versionOutput(file: string, options: Pick<ToolSearchOptions, 'timeoutMs' | 'signal'>): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(
      file,
      ['--version'],
      {
        timeout: Math.min(options.timeoutMs ?? VERSION_TIMEOUT_MS, VERSION_TIMEOUT_MS),
        signal: options.signal,
        windowsHide: true,
        maxBuffer: 64 * 1024,
      },
      (error, stdout, stderr) => {
        if (error) return resolve(null)
        const line = `${stdout}\n${stderr}`.split(/\r?\n/).find((l) => l.trim() !== '')
        resolve(line?.trim() ?? null)
      },
    )
  })
}

async function isExecutable(file: string, platform: NodeJS.Platform): Promise<boolean> {
  try {
    if (!(await stat(file)).isFile()) return false
    if (platform !== 'win32') await access(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Expands "*" inside path segments ("/usr/lib/postgresql/STAR/bin"); numeric-aware order. */
export async function expandPattern(pattern: string, p: path.PlatformPath): Promise<string[]> {
  const root = p.parse(pattern).root
  const segments = pattern.slice(root.length).split(p.sep).filter(Boolean)
  let current = [root]
  for (const segment of segments) {
    if (!segment.includes('*')) {
      current = current.map((dir) => p.join(dir, segment))
      continue
    }
    const re = new RegExp(`^${segment.split('*').map(escapeRegExp).join('.*')}$`, 'i')
    const next: string[] = []
    for (const dir of current) {
      const entries = await readdir(dir).catch(() => [] as string[])
      entries
        .filter((e) => re.test(e))
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
        .forEach((e) => next.push(p.join(dir, e)))
    }
    current = next
  }
  return current
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
