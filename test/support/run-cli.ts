import { execFile } from 'node:child_process'
import { join } from 'node:path'

export const REPO = join(__dirname, '..', '..')
export const CLI = join(REPO, 'bin', 'lifeboat.cjs')

export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs the built `lifeboat` CLI as a child process (async: never block a server the child needs). */
export function runBuiltCli(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [CLI, ...args], { env: { ...process.env, ...options.env }, cwd: options.cwd ?? REPO, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return reject(error)
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, stderr })
    })
    child.stdin?.end(options.stdin ?? '')
  })
}
