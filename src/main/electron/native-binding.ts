import { existsSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Where the Electron-ABI build of better-sqlite3 lives. node_modules keeps the Node build (tests,
 * CLI); Electron loads its own copy: from the packaged app's resources, or in development from
 * .electron-native/ (made by scripts/electron-native.mjs, which `npm run dev` runs first).
 */
export function electronNativeBinding(opts: { isPackaged: boolean; appPath: string; resourcesPath: string }): string {
  const path = opts.isPackaged
    ? join(opts.resourcesPath, 'native', 'better_sqlite3.node')
    : join(opts.appPath, '.electron-native', 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
  if (!existsSync(path)) {
    throw new Error(
      opts.isPackaged
        ? `this Lifeboat package is incomplete: ${path} is missing; reinstall it`
        : `${path} is missing: run \`node scripts/electron-native.mjs\` (npm run dev does this) to build better-sqlite3 for Electron`,
    )
  }
  return path
}
