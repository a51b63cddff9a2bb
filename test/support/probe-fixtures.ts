import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Temp directories for one test file; removed by cleanup(). */
export function tempDirs() {
  const dirs: string[] = []
  return {
    async make(prefix = 'lifeboat-probe-'): Promise<string> {
      const dir = await mkdtemp(join(tmpdir(), prefix))
      dirs.push(dir)
      return dir
    },
    async cleanup(): Promise<void> {
      await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
    },
  }
}

/** A fake client tool: a shell script that prints `versionLine` for --version. */
export async function fakeTool(dir: string, name: string, versionLine: string): Promise<string> {
  const file = join(dir, name)
  await writeFile(file, `#!/bin/sh\nprintf '%s\\n' '${versionLine.replace(/'/g, `'\\''`)}'\n`)
  await chmod(file, 0o755)
  return file
}

/** A TCP server that accepts connections and never says a word: the "black hole" for timeouts. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('error', () => {})
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
