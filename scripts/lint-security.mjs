#!/usr/bin/env node
// `npm run lint:security`: Electronegativity over the app's source (main, preload, shared, renderer), the
// findings printed and written to test-results/electronegativity.csv. Exits non-zero on any HIGH (or worse)
// finding that docs/security.md does not justify in its "Electronegativity findings" table, by a row
// `| CHECK_ID | SEVERITY | file | justification |`. The package's own CLI cannot start next to commander 14
// (it calls commander 2's `.version()` on the hoisted copy), so its runner is called directly.
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
const run = require('@doyensec/electronegativity')
const electronVersion = require('electron/package.json').version
const BLOCKING = new Set(['HIGH', 'CRITICAL'])

/** Rows of the findings table in docs/security.md: `${id} ${file}` of each justified finding. */
export function justifiedFindings(markdown) {
  const justified = new Set()
  for (const line of markdown.split('\n')) {
    const cells = line.split('|').map((c) => c.trim().replace(/^`|`$/g, ''))
    if (cells.length < 6 || !/^[A-Z_]+_CHECK$/.test(cells[1])) continue
    if (cells[4].length > 0) justified.add(`${cells[1]} ${cells[3]}`)
  }
  return justified
}

async function main() {
  mkdirSync('test-results', { recursive: true })
  const output = resolve('test-results/electronegativity.csv')
  const result = await run(
    { input: resolve('src'), output, isSarif: false, customScan: [], excludeFromScan: [], isRelative: true, isVerbose: false, electronVersionOverride: electronVersion, parserPlugins: [] },
    false,
  )
  const justified = justifiedFindings(readFileSync('docs/security.md', 'utf8'))
  let failures = 0
  for (const error of result.errors) {
    console.error(`electronegativity could not parse ${error.file}: ${error.message}`)
    if (!error.tolerable) failures++
  }
  for (const issue of result.issues) {
    const severity = issue.severity.name
    const where = `${issue.file}${issue.location?.line ? `:${issue.location.line}` : ''}`
    const ok = !BLOCKING.has(severity) || justified.has(`${issue.id} ${issue.file}`)
    console.log(`${ok ? '  ' : '✗ '}${severity.padEnd(13)} ${issue.confidence.name.padEnd(9)} ${issue.id.padEnd(34)} ${where}  ${issue.description}`)
    if (!ok) failures++
  }
  console.log(`electronegativity (Electron ${electronVersion}): ${result.issues.length} finding(s), report in ${output}`)
  if (failures > 0) {
    console.error(`lint:security: ${failures} HIGH finding(s) or parse error(s) not justified in docs/security.md`)
    process.exit(1)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main()
