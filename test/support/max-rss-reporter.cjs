// Loaded with NODE_OPTIONS=--require: at exit, writes this process's peak resident set size
// (getrusage ru_maxrss) to $LIFEBOAT_MAXRSS_FILE, so tests can hold memory targets.
'use strict'
const { writeFileSync } = require('node:fs')

process.on('exit', () => {
  const file = process.env.LIFEBOAT_MAXRSS_FILE
  if (file) writeFileSync(file, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }))
})
