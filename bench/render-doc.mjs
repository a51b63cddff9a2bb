// Re-renders docs/BENCHMARKS.md from bench/results/latest.json and bench/FINDINGS.md without re-running:
//   node bench/render-doc.mjs [results.json]
import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { markdown } from './lib/report.mjs'

const HERE = dirname(fileURLToPath(import.meta.url))
const result = JSON.parse(await readFile(process.argv[2] ?? join(HERE, 'results', 'latest.json'), 'utf8'))
const findings = await readFile(join(HERE, 'FINDINGS.md'), 'utf8').catch(() => '')
await writeFile(join(HERE, '..', 'docs', 'BENCHMARKS.md'), markdown(result, findings))
