import type { ErrorInfo } from '../../../shared/errors'
import type { ConnectionTestResult, Engine } from '../../../shared/model'
import { scrubSecrets } from './child-process'
import type { ToolSearchOptions } from './tools/search'
import type { ProbeOptions } from './probe'

type Parts = Omit<ConnectionTestResult, 'ok' | 'engine' | 'durationMs'>

/**
 * Assembles the result: ok only when the server answered (no error) and a usable tool was found.
 * Messages pass through `scrub` because driver and server texts are quoted in them.
 */
export function probeResult(engine: Engine, startedAt: number, parts: Parts, password: string | undefined): ConnectionTestResult {
  const error = parts.error ? scrub(parts.error, password) : null
  return {
    ok: error === null && parts.server !== null && parts.tool !== null,
    engine,
    server: parts.server,
    tool: parts.tool ? { name: parts.tool.name, path: parts.tool.path, version: parts.tool.version } : null,
    durationMs: Math.round(performance.now() - startedAt),
    error,
    warnings: parts.warnings.map((w) => scrubText(w, password)),
  }
}

function scrub(error: ErrorInfo, password: string | undefined): ErrorInfo {
  return { ...error, message: scrubText(error.message, password) }
}

const scrubText = (text: string, password: string | undefined): string => scrubSecrets(text, [password])

export function toolSearch(clientBinDir: string | null, options: ProbeOptions): ToolSearchOptions {
  return {
    clientBinDir,
    extraDirs: options.extraToolDirs ?? [],
    ...(options.toolPath !== undefined ? { pathEnv: options.toolPath } : {}),
    wellKnownDirs: options.searchWellKnownDirs ?? true,
    signal: options.signal,
    ...(options.toolHost?.discover ? { discover: options.toolHost.discover } : {}),
    ...(options.toolHost?.platform ? { platform: options.toolHost.platform } : {}),
  }
}
