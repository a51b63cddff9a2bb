// Loaded into each timed `lifeboat` run with NODE_OPTIONS=--require (like test/support/max-rss-reporter.cjs):
// at exit, writes this process's peak RSS and CPU time (getrusage) to $LIFEBOAT_BENCH_USAGE_FILE.
'use strict'
const { writeFileSync } = require('node:fs')

process.on('exit', () => {
  const file = process.env.LIFEBOAT_BENCH_USAGE_FILE
  if (!file) return
  const u = process.resourceUsage()
  writeFileSync(file, JSON.stringify({ maxRssBytes: u.maxRSS * 1024, userCpuMs: u.userCPUTime / 1000, systemCpuMs: u.systemCPUTime / 1000 }))
})
