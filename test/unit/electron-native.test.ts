import { execFile } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { electronNativeBinding } from '../../src/main/electron/native-binding'
import { tempDir } from '../support/temp-home'

const SCRIPT = join(__dirname, '..', '..', 'scripts', 'electron-native.mjs')

function fakeProject(electron: string, sqlite: string): string {
  const root = tempDir()
  for (const [name, version] of [['electron', electron], ['better-sqlite3', sqlite]]) {
    mkdirSync(join(root, 'node_modules', name!), { recursive: true })
    writeFileSync(join(root, 'node_modules', name!, 'package.json'), JSON.stringify({ name, version }))
  }
  return root
}

async function plan(root: string): Promise<{ action: string; reason: string; binary: string }> {
  const { stdout } = await promisify(execFile)(process.execPath, [SCRIPT, '--plan', '--root', root])
  return JSON.parse(stdout)
}

function pretendBuilt(root: string, stamp: Record<string, string>) {
  const release = join(root, '.electron-native', 'node_modules', 'better-sqlite3', 'build', 'Release')
  mkdirSync(release, { recursive: true })
  writeFileSync(join(release, 'better_sqlite3.node'), '')
  writeFileSync(join(root, '.electron-native', 'stamp.json'), JSON.stringify(stamp))
}

describe('scripts/electron-native.mjs (Electron build of better-sqlite3 beside the Node one)', () => {
  it('rebuilds when there is no Electron build, and is a no-op when the stamp matches', async () => {
    const root = fakeProject('45.4.1', '12.11.1')
    expect(await plan(root)).toMatchObject({ action: 'rebuild', reason: 'no Electron build of better-sqlite3 yet' })
    pretendBuilt(root, { electron: '45.4.1', betterSqlite3: '12.11.1', platform: process.platform, arch: process.arch })
    expect(await plan(root)).toMatchObject({ action: 'up-to-date' })
  })

  it('rebuilds after Electron or better-sqlite3 is upgraded', async () => {
    const root = fakeProject('46.0.0', '12.11.1')
    pretendBuilt(root, { electron: '45.4.1', betterSqlite3: '12.11.1', platform: process.platform, arch: process.arch })
    expect(await plan(root)).toMatchObject({ action: 'rebuild', reason: 'electron changed: 45.4.1 -> 46.0.0' })
    const other = fakeProject('45.4.1', '12.12.0')
    pretendBuilt(other, { electron: '45.4.1', betterSqlite3: '12.11.1', platform: process.platform, arch: process.arch })
    expect(await plan(other)).toMatchObject({ action: 'rebuild', reason: 'betterSqlite3 changed: 12.11.1 -> 12.12.0' })
  })

  it('the main process finds that build in development and in a package, or says how to make it', async () => {
    const root = fakeProject('45.4.1', '12.11.1')
    expect(() => electronNativeBinding({ isPackaged: false, appPath: root, resourcesPath: '/nope' })).toThrow(/run `node scripts\/electron-native.mjs`/)
    pretendBuilt(root, {})
    expect(electronNativeBinding({ isPackaged: false, appPath: root, resourcesPath: '/nope' })).toBe((await plan(root)).binary)
    const resources = tempDir()
    expect(() => electronNativeBinding({ isPackaged: true, appPath: '/nope', resourcesPath: resources })).toThrow(/package is incomplete/)
    mkdirSync(join(resources, 'native'))
    writeFileSync(join(resources, 'native', 'better_sqlite3.node'), '')
    expect(electronNativeBinding({ isPackaged: true, appPath: '/nope', resourcesPath: resources })).toBe(join(resources, 'native', 'better_sqlite3.node'))
  })
})
