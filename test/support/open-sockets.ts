import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

export interface OpenSocket {
  localPort: number
  remotePort: number
  /** /proc/net/tcp state: 0A = LISTEN, 01 = ESTABLISHED ... */
  state: string
}

/**
 * The TCP sockets this process holds open right now (Linux /proc): how a test proves that no
 * tunnel listener or SSH connection was left behind.
 */
export function openTcpSockets(): OpenSocket[] {
  const inodes = new Set<string>()
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/self/fd/${fd}`))
      if (m?.[1]) inodes.add(m[1])
    } catch {
      // closed while we looked
    }
  }
  const sockets: OpenSocket[] = []
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = ''
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/)
      if (f.length < 10 || !inodes.has(f[9] as string)) continue
      const port = (addr: string) => parseInt(addr.split(':')[1] as string, 16)
      sockets.push({ localPort: port(f[1] as string), remotePort: port(f[2] as string), state: f[3] as string })
    }
  }
  return sockets
}

/** Sockets connected to `port`, and listeners not in `before`. */
export function leftovers(before: OpenSocket[], port: number): { connectedTo: OpenSocket[]; newListeners: OpenSocket[] } {
  const now = openTcpSockets()
  const listening = new Set(before.filter((s) => s.state === '0A').map((s) => s.localPort))
  return {
    connectedTo: now.filter((s) => s.remotePort === port && s.state !== '06' /* TIME_WAIT has no fd anyway */),
    newListeners: now.filter((s) => s.state === '0A' && !listening.has(s.localPort)),
  }
}
