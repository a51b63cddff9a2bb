import type { ErrorInfo } from '../../../../shared/errors'
import { DeadlineExceeded } from '../deadline'
import { errorMessage, networkError, timeoutError, type Target } from '../net-errors'

export interface MysqlErrorContext extends Target {
  user: string
  database: string
  passwordGiven: boolean
}

/** Server error numbers (errno), stable across MySQL and MariaDB. */
const ER_DBACCESS_DENIED = 1044
const ER_ACCESS_DENIED = 1045
const ER_BAD_DB = 1049
const ER_HOST_NOT_PRIVILEGED = 1130
const ER_ACCESS_DENIED_NO_PASSWORD = 1698

export function mysqlProbeError(err: unknown, c: MysqlErrorContext): ErrorInfo {
  if (err instanceof DeadlineExceeded) return timeoutError(c)
  const message = errorMessage(err)
  const errno = (err as { errno?: unknown }).errno
  switch (errno) {
    case ER_ACCESS_DENIED:
    case ER_ACCESS_DENIED_NO_PASSWORD:
      return c.passwordGiven
        ? { code: 'AUTH_FAILED', message: `${message} on ${c.where} — wrong password, or no such user for this client host`, field: 'password' }
        : { code: 'AUTH_FAILED', message: `the server asks for a password and none is saved (user "${c.user}" on ${c.where})`, field: 'password' }
    case ER_BAD_DB:
      return { code: 'UNKNOWN_DATABASE', message: `database "${c.database}" does not exist on ${c.where} (connected as "${c.user}")`, field: 'database' }
    case ER_DBACCESS_DENIED:
      // The server answers this (not 1049) for a missing database too, unless the user has global
      // privileges: it does not tell users which databases exist. So the message names both causes.
      return {
        code: 'PERMISSION_DENIED',
        message: `user "${c.user}" has no access to database "${c.database}" on ${c.where} — it does not exist, or the user has no privileges on it (GRANT ... ON \`${c.database}\`.*)`,
        field: 'database',
      }
    case ER_HOST_NOT_PRIVILEGED:
      return { code: 'PERMISSION_DENIED', message: `${message} (${c.where})`, field: 'host' }
  }
  const net = networkError(err, c)
  if (net) return net
  if ((err as { code?: unknown }).code === 'PROTOCOL_CONNECTION_LOST') {
    return { code: 'UNREACHABLE', message: `${c.where} closed the connection — is this a MySQL/MariaDB server?`, field: 'host' }
  }
  return { code: 'INTERNAL', message: `${c.where}: ${message}${typeof errno === 'number' ? ` (error ${errno})` : ''}` }
}
