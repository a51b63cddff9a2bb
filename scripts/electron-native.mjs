#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .electron-native/, leaving node_modules (Node's ABI,
// used by `npm test` and the CLI) untouched. The Electron main process loads that copy through
// better-sqlite3's `nativeBinding` option (src/main/electron/native-binding.ts); packaged apps ship
// it as an extra resource. Runs before `npm run dev` and `npm run dist`; a no-op when up to date.
//
//   node scripts/electron-native.mjs            build if needed
//   node scripts/electron-native.mjs --plan     print {"action","reason"} as JSON, build nothing
//   --root DIR                                  project root (default: this script's parent)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const args = process.argv.slice(2)
const root = args.includes('--root') ? args[args.indexOf('--root') + 1] : join(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = join(root, '.electron-native')
const moduleDir = join(outDir, 'node_modules', 'better-sqlite3')
const binary = join(moduleDir, 'build', 'Release', 'better_sqlite3.node')
const stampFile = join(outDir, 'stamp.json')

const version = (pkg) => JSON.parse(readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8')).version
const wanted = { electron: version('electron'), betterSqlite3: version('better-sqlite3'), platform: process.platform, arch: process.arch }

function plan() {
  if (!existsSync(binary)) return { action: 'rebuild', reason: 'no Electron build of better-sqlite3 yet' }
  const stamp = existsSync(stampFile) ? JSON.parse(readFileSync(stampFile, 'utf8')) : {}
  for (const key of Object.keys(wanted)) {
    if (stamp[key] !== wanted[key]) return { action: 'rebuild', reason: `${key} changed: ${stamp[key] ?? 'none'} -> ${wanted[key]}` }
  }
  return { action: 'up-to-date', reason: `built for Electron ${wanted.electron} (${wanted.platform}-${wanted.arch})` }
}

const decision = plan()
if (args.includes('--plan')) {
  process.stdout.write(JSON.stringify({ ...decision, binary }) + '\n')
} else if (decision.action === 'up-to-date') {
  console.log(`electron-native: ${decision.reason}`)
} else {
  console.log(`electron-native: ${decision.reason}; building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron}`)
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(dirname(moduleDir), { recursive: true })
  cpSync(join(root, 'node_modules', 'better-sqlite3'), moduleDir, { recursive: true, filter: (src) => !src.includes(`${join('better-sqlite3', 'build')}`) })
  writeFileSync(join(outDir, 'package.json'), JSON.stringify({ name: 'lifeboat-electron-native', private: true, dependencies: { 'better-sqlite3': wanted.betterSqlite3 } }, null, 2))
  const { rebuild } = await import('@electron/rebuild')
  await rebuild({ buildPath: outDir, electronVersion: wanted.electron, arch: wanted.arch, onlyModules: ['better-sqlite3'], force: true })
  if (!existsSync(binary)) throw new Error(`electron-native: the rebuild finished but ${binary} is missing`)
  writeFileSync(stampFile, JSON.stringify(wanted, null, 2) + '\n')
  console.log(`electron-native: built ${binary}`)
}
