#!/usr/bin/env node
// The `lifeboat` CLI. Built by `npm run build` (electron-vite) into out/main/cli.js.
const { existsSync } = require('node:fs')
const { join } = require('node:path')

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const entry = join(__dirname, '..', 'out', 'main', 'cli.js')
if (!existsSync(entry)) {
  process.stderr.write('error: Lifeboat is not built yet; run `npm run build` in ' + join(__dirname, '..') + '\n')
  process.exit(1)
}
require(entry)
