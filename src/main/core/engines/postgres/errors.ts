import { DatabaseError } from 'pg'
import type { ErrorInfo } from '../../../../shared/errors'
import { DeadlineExceeded } from '../deadline'
import { errorMessage, networkError, timeoutError, type Target } from '../net-errors'

/** Thrown from pg's password callback: the server asked for a password and the profile has none. */
export class NoPasswordSaved extends Error {
  constructor() {
    super('the server asks for a password and none is saved')
    this.name = 'NoPasswordSaved'
  }
}

export interface PgErrorContext extends Target {
  user: string
  database: string
}

/** One DBA-readable line per failure; server texts are quoted as-is (they never echo the password). */
export function pgProbeError(err: unknown, c: PgErrorContext): ErrorInfo {
  if (err instanceof DeadlineExceeded) return timeoutError(c)
  const message = errorMessage(err)
  if (err instanceof NoPasswordSaved || /client password must be a string/.test(message)) {
    return { code: 'AUTH_FAILED', message: `the server asks for a password and none is saved (user "${c.user}" on ${c.where})`, field: 'password' }
  }
  // pg's own connectionTimeoutMillis fired (it may beat our deadline by a tick).
  if (message === 'timeout expired') return timeoutError(c)
  if (err instanceof DatabaseError) {
    switch (err.code) {
      case '28P01':
        return { code: 'AUTH_FAILED', message: `${message} on ${c.where}`, field: 'password' }
      case '28000':
        return { code: 'AUTH_FAILED', message: `${message} on ${c.where}`, field: 'user' }
      case '3D000':
        return { code: 'UNKNOWN_DATABASE', message: `${message} on ${c.where} (connected as "${c.user}")`, field: 'database' }
      case '42501':
        return { code: 'PERMISSION_DENIED', message: `${message} for user "${c.user}" on ${c.where}${err.detail ? ` (${err.detail})` : ''}`, field: 'user' }
      case '57P03':
        return { code: 'UNREACHABLE', message: `${message} (${c.where})`, field: 'host' }
      default:
        return { code: 'INTERNAL', message: `${c.where}: ${message}${err.code ? ` (SQLSTATE ${err.code})` : ''}` }
    }
  }
  const net = networkError(err, c)
  if (net) return net
  if (/Connection terminated/.test(message)) {
    return { code: 'UNREACHABLE', message: `${c.where} closed the connection — is this a PostgreSQL server?`, field: 'host' }
  }
  return { code: 'INTERNAL', message: `${c.where}: ${message}` }
}
