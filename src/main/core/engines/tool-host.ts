import { removeFiles, runTool, writePrivateFile, type ToolProcess, type ToolRunOptions } from './child-process'
import type { Discovery, ToolSearchOptions } from './tools/search'

/**
 * Where a dump tool is found and run: this machine, or the SSH host of a profile in exec mode. The
 * engines build the same arguments and credential files either way; only the host differs.
 */
export interface ToolHost {
  /** Finds candidate tools (replaces the local file system search). */
  discover?(names: readonly string[], wellKnown: readonly string[], options: ToolSearchOptions): Promise<Discovery>
  /** The platform the tools run on (their well-known directories depend on it). */
  platform?: NodeJS.Platform
  /** A 0600 credential file, named so it cannot collide; returns its path on the host. */
  writePrivateFile(prefix: string, content: string): Promise<string>
  removeFiles(files: readonly string[]): Promise<void>
  run(options: ToolRunOptions): ToolProcess
}

/** This machine: credential files in the request's private temp dir, tools spawned with an argument array. */
export function localToolHost(tempDir: string): ToolHost {
  return {
    writePrivateFile: (prefix, content) => writePrivateFile(tempDir, prefix, content),
    removeFiles,
    run: runTool,
  }
}
