// Small process helpers for the benchmark harness (plain ESM so `node` runs it as is on Node 20).
import { execFile, spawn } from 'node:child_process'
import { access, constants } from 'node:fs/promises'
import { createServer } from 'node:net'
import { delimiter, join } from 'node:path'

/**
 * Async execFile (never the sync variants: an in-process server may have to serve the child).
 * @param {string} file
 * @param {readonly string[]} args
 * @param {import('node:child_process').ExecFileOptions & {timeoutMs?: number}} [options]
 * @returns {Promise<string>} stdout
 */
export function run(file, args, options = {}) {
  const { timeoutMs, ...rest } = options
  return new Promise((resolve, reject) => {
    execFile(file, args, { ...rest, timeout: timeoutMs ?? 0, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${String(stderr).trim() || error.message}`))
      else resolve(String(stdout))
    })
  })
}

/** @param {string} file @param {readonly string[]} args @returns {Promise<number>} */
export function exitCode(file, args, options = {}) {
  return new Promise((resolve) => {
    execFile(file, args, { ...options, timeout: 10_000 }, (error) => {
      const code = error ? /** @type {{code?: unknown}} */ (error).code : 0
      resolve(typeof code === 'number' ? code : 1)
    })
  })
}

/** First executable `name` on PATH, then in `extraDirs`. @param {string} name @param {string[]} [extraDirs] */
export async function findBinary(name, extraDirs = []) {
  for (const dir of [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extraDirs]) {
    const file = join(dir, name)
    if (await access(file, constants.X_OK).then(() => true, () => false)) return file
  }
  return null
}

/** A TCP port free on 127.0.0.1 right now. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))))
    })
  })
}

/** @param {() => Promise<boolean>} ready @param {string} what @param {import('node:child_process').ChildProcess} child */
export async function waitUntil(what, ready, child, deadlineMs = 60_000) {
  const deadline = Date.now() + deadlineMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited during start-up (${child.exitCode ?? child.signalCode})`)
    if (await ready()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`${what} not ready within ${deadlineMs} ms`)
}

/** Sends `signal`, waits for the exit, SIGKILL after `graceMs`. @param {import('node:child_process').ChildProcess} child */
export async function stopChild(child, signal, graceMs = 15_000) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill(signal)
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await exited
  clearTimeout(timer)
}

/**
 * @typedef {object} Timed
 * @property {number} ms wall time
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} [peakTreeRssBytes] largest sum of RSS over the child's process tree seen by /proc polling
 */

/**
 * Spawns `file args`, measures wall time from spawn to exit, rejects on a non-zero exit.
 * With `pollTree`, samples the RSS of the process tree (the child and its descendants) every 50 ms.
 * @param {string} file
 * @param {string[]} args
 * @param {{env?: NodeJS.ProcessEnv, cwd?: string, pollTree?: boolean}} [options]
 * @returns {Promise<Timed>}
 */
export function timedSpawn(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn(file, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d))
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr = (stderr + d).slice(-20_000)))
    let peak = 0
    /** @type {NodeJS.Timeout | undefined} */
    let timer
    if (options.pollTree && child.pid) {
      const pid = child.pid
      timer = setInterval(() => {
        treeRss(pid).then((n) => (peak = Math.max(peak, n)), () => {})
      }, 50)
    }
    child.once('error', (e) => {
      clearInterval(timer)
      reject(e)
    })
    child.once('close', (code, signal) => {
      const ms = performance.now() - start
      clearInterval(timer)
      if (code !== 0) return reject(new Error(`${file} ${args.join(' ').slice(0, 300)} exited ${code ?? signal}:\n${stderr.slice(-3000)}`))
      resolve({ ms, stdout, stderr, ...(options.pollTree ? { peakTreeRssBytes: peak } : {}) })
    })
  })
}

/** Sum of VmRSS of `pid` and all its descendants (Linux /proc). @param {number} pid */
async function treeRss(pid) {
  const { readFile, readdir } = await import('node:fs/promises')
  /** @type {Map<number, number[]>} */
  const children = new Map()
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '')
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (!children.has(ppid)) children.set(ppid, [])
    children.get(ppid)?.push(Number(name))
  }
  let total = 0
  const queue = [pid]
  while (queue.length) {
    const p = /** @type {number} */ (queue.pop())
    const status = await readFile(`/proc/${p}/status`, 'utf8').catch(() => '')
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    total += kb * 1024
    queue.push(...(children.get(p) ?? []))
  }
  return total
}

/**
 * A stock-tool baseline run as a bash pipeline with pipefail (the way a DBA scripts it).
 * @param {string} script
 * @param {NodeJS.ProcessEnv} env
 */
export function timedShell(script, env) {
  return timedSpawn('/bin/bash', ['-c', `set -euo pipefail; ${script}`], { env })
}

/** Single-quoted for bash. @param {string} s */
export const sh = (s) => `'${s.replace(/'/g, `'\\''`)}'`
