// Loaded with NODE_OPTIONS=--require: records the argv and environment of every child process the
// CLI starts, as JSON lines in $LIFEBOAT_SPAWN_LOG, so tests can prove no secret reaches a child.
'use strict'
const { appendFileSync } = require('node:fs')
const childProcess = require('node:child_process')

const log = process.env.LIFEBOAT_SPAWN_LOG
const record = (file, args, env) => {
  if (log) appendFileSync(log, JSON.stringify({ file, args, env }) + '\n')
}

// Every asynchronous spawn (spawn, execFile, exec, fork) ends in ChildProcess.prototype.spawn.
const originalSpawn = childProcess.ChildProcess.prototype.spawn
childProcess.ChildProcess.prototype.spawn = function (options) {
  record(options.file, options.args, options.envPairs)
  return originalSpawn.call(this, options)
}
for (const name of ['spawnSync', 'execFileSync', 'execSync']) {
  const original = childProcess[name]
  childProcess[name] = function (file, args, options) {
    record(file, Array.isArray(args) ? args : [], (options && options.env) || process.env)
    return original.apply(this, arguments)
  }
}
