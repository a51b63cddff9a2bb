import { spawn } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { findBinary } from './processes'

export type Command = [file: string, ...args: string[]]

/**
 * Runs `cmd1 < input | cmd2 | ... | cmdN` with stock tools (argument arrays, no shell) and fails
 * with every non-zero exit and its stderr: what a DBA would type to restore by hand.
 */
export async function pipeChain(input: string | null, commands: Command[]): Promise<string> {
  const children = commands.map(([file, ...args]) => spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] }))
  if (input !== null) createReadStream(input).pipe(children[0]!.stdin)
  else children[0]!.stdin.end()
  for (let i = 1; i < children.length; i++) children[i - 1]!.stdout.pipe(children[i]!.stdin)
  const stderr = children.map(() => '')
  children.forEach((c, i) => c.stderr.on('data', (d: Buffer) => (stderr[i] += d.toString())))
  let stdout = ''
  children.at(-1)!.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  const codes = await Promise.all(children.map((c) => new Promise<number | null>((resolve) => c.on('close', (code) => resolve(code)))))
  const failed = codes.map((code, i) => ({ code, i })).filter((x) => x.code !== 0)
  if (failed.length > 0) {
    throw new Error(failed.map(({ code, i }) => `${commands[i]![0]} exited ${code}: ${stderr[i]!.slice(-2000)}`).join('\n'))
  }
  return stdout
}

/** The absolute path of a stock tool, or a clear failure naming the package to install. */
export async function tool(name: string, pkg: string): Promise<string> {
  const path = await findBinary(name)
  if (!path) throw new Error(`${name} not found — install ${pkg}`)
  return path
}
