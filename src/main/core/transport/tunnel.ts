import { createServer, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { hostPort } from '../destinations/sftp/sftp-errors'
import { forwardTo, type SshSession } from './ssh'

/** How long open connections may take to finish when the tunnel closes. */
const CLOSE_GRACE_MS = 2_000

export interface Tunnel {
  /** The ephemeral 127.0.0.1 port the local client tools connect to. */
  readonly port: number
  /** Connections currently forwarded. */
  readonly openConnections: number
  /** Why the SSH host could not open the last forwarded connection (e.g. "Connection refused"), if it failed. */
  readonly lastForwardError: string | null
  /** Stops listening and ends every forwarded connection. Idempotent; does not close the SSH session. */
  close(): Promise<void>
}

/**
 * A local listener on an ephemeral 127.0.0.1 port; each connection to it is forwarded by the SSH
 * host to host:port (as the SSH host resolves and reaches it, like `ssh -L`). Only loopback: nothing
 * else on the network can use the tunnel.
 */
export async function openTunnel(session: SshSession, host: string, port: number): Promise<Tunnel> {
  const sockets = new Set<Socket>()
  const streams = new Set<Duplex>()
  let lastForwardError: string | null = null
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.setNoDelay(true)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    socket.pause()
    forwardTo(session.client, host, port).then(
      (stream) => {
        if (socket.destroyed) return void stream.destroy()
        streams.add(stream)
        stream.on('close', () => streams.delete(stream))
        stream.on('error', () => socket.destroy())
        // The client is gone: send EOF and read the server's remaining bytes to the end, so the channel
        // closes cleanly (destroying it could drop a last request still on its way, like a cancel).
        socket.on('close', () => {
          stream.resume()
          stream.end()
        })
        stream.on('end', () => socket.end())
        socket.pipe(stream).pipe(socket)
        socket.resume()
      },
      (e: unknown) => {
        lastForwardError = `the SSH host could not connect to ${hostPort(host, port)}: ${e instanceof Error ? e.message : String(e)}`
        socket.destroy()
      },
    )
  })
  server.on('error', () => {})
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the tunnel listener has no TCP address')
  let closing: Promise<void> | undefined
  return {
    port: address.port,
    get openConnections() {
      return sockets.size
    },
    get lastForwardError() {
      return lastForwardError
    },
    close: () =>
      (closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()))
        // Connections still open get a moment to finish: a tool that was just stopped may have sent a
        // last request through (pg_dump's cancel request on SIGTERM), which must reach the server, or
        // its backend would stay queued on a lock. Then whatever is left is cut.
        if (streams.size > 0 || sockets.size > 0) {
          const drained = Promise.all([...streams].map((s) => new Promise<void>((resolve) => (s.destroyed ? resolve() : s.once('close', () => resolve())))))
          for (const s of sockets) s.end()
          for (const s of streams) s.resume()
          await Promise.race([drained, new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())])
        }
        for (const s of sockets) s.destroy()
        for (const s of streams) s.destroy()
        await stopped
      })()),
  }
}
