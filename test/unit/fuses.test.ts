import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

/** The `electronFuses:` block of electron-builder.yml as key → boolean (flat block, no YAML library needed). */
function fuses(): Record<string, boolean> {
  const lines = readFileSync('electron-builder.yml', 'utf8').split('\n')
  const start = lines.findIndex((l) => l.trimEnd() === 'electronFuses:')
  expect(start, 'electron-builder.yml has an electronFuses block').toBeGreaterThanOrEqual(0)
  const result: Record<string, boolean> = {}
  for (const line of lines.slice(start + 1)) {
    const match = /^\s+(\w+):\s*(true|false)\s*(#.*)?$/.exec(line)
    if (!match) break
    result[match[1]!] = match[2] === 'true'
  }
  return result
}

describe('Electron fuses in the packaged app (electron-builder.yml)', () => {
  it('turns off Node entry points and loads only the integrity-checked asar', () => {
    expect(fuses()).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      // Needed while the renderer loads from file:// (module scripts); see the comment in the yml.
      grantFileProtocolExtraPrivileges: true,
    })
  })
})
