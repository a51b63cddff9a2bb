import type { ErrorInfo } from '../../../shared/errors'

/** How the probes name the place they tried: "127.0.0.1:5432", "[::1]:5432", or a socket path. */
export function endpoint(host: string, port: number, socketPath?: string): string {
  if (socketPath) return socketPath
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`
}

/** 10000 -> "10 s", 250 -> "0.25 s" */
export function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`
}

/** The errno-style code of a socket error; Node reports a failed multi-address connect as AggregateError. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string') return code
  if (err instanceof AggregateError) return errnoCode(err.errors[0])
  return undefined
}

export function errorMessage(err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return errorMessage(err.errors[0])
  return err instanceof Error ? err.message : String(err)
}

export interface Target {
  /** "127.0.0.1:5432" or a socket path */
  where: string
  host: string
  /** "PostgreSQL", "MySQL/MariaDB" — for "is this the right port?" hints */
  product: string
  timeoutMs: number
}

/** Socket-level failures, the same for every server engine; null when `err` is not one of them. */
export function networkError(err: unknown, t: Target): ErrorInfo | null {
  switch (errnoCode(err)) {
    case 'ECONNREFUSED':
      return { code: 'UNREACHABLE', message: `connection refused at ${t.where} — is the server running and listening there?`, field: 'host' }
    case 'ENOTFOUND':
      return { code: 'UNREACHABLE', message: `host not found: "${t.host}" (DNS lookup failed)`, field: 'host' }
    case 'EAI_AGAIN':
      return { code: 'UNREACHABLE', message: `host not found: "${t.host}" (DNS server not answering; try again, or use an IP address)`, field: 'host' }
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return { code: 'UNREACHABLE', message: `no route to ${t.where} (host or network unreachable)`, field: 'host' }
    case 'ENOENT':
      return { code: 'UNREACHABLE', message: `no server socket at ${t.where} — is the server running, and is this its socket directory?`, field: 'host' }
    case 'EACCES':
      return { code: 'PERMISSION_DENIED', message: `not allowed to open the socket ${t.where}`, field: 'host' }
    case 'ECONNRESET':
    case 'EPIPE':
      return { code: 'UNREACHABLE', message: `${t.where} closed the connection — is this a ${t.product} server, and does it accept this client?`, field: 'host' }
    case 'ETIMEDOUT':
      return timeoutError(t)
    default:
      return null
  }
}

export function timeoutError(t: Target): ErrorInfo {
  return { code: 'TIMEOUT', message: `no answer from ${t.where} within ${seconds(t.timeoutMs)} — check the host, port and firewall`, field: 'host' }
}
