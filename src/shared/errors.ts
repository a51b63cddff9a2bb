import { z } from 'zod'

/**
 * Error codes that cross the IPC boundary, the CLI (--json) and the loopback bridge.
 * Each names one thing a DBA can act on; INTERNAL is reserved for bugs.
 */
export const ERROR_CODES = [
  'VALIDATION', // bad input: `field` names it
  'NOT_FOUND', // a named object (profile, backup...) does not exist
  'CONFLICT', // e.g. a profile name already taken
  'FORBIDDEN', // IPC sender not allowed, bridge token wrong
  'AUTH_FAILED', // wrong user or password
  'UNREACHABLE', // host unknown, connection refused
  'TIMEOUT', // no answer within the bounded timeout
  'UNKNOWN_DATABASE', // server reachable, database missing
  'TOOL_MISSING', // pg_dump / mariadb-dump / sqlite3 not found
  'VERSION_MISMATCH', // client tool too old for the server
  'NOT_A_DATABASE', // sqlite file is not a database
  'PERMISSION_DENIED', // OS-level or database privilege problem
  'DUMP_FAILED', // the dump tool exited non-zero or was killed; message = its stderr tail
  'DESTINATION_FAILED', // writing, reading or deleting at a destination failed
  'LIMIT_EXCEEDED', // the backup grew past its maximum size
  'INTEGRITY', // a stored file does not match its recorded SHA-256
  'CANCELLED', // stopped by the user
  'RESTORE_FAILED', // the restore tool failed; message = its stderr tail
  'HOST_KEY_UNKNOWN', // an SSH server whose key is neither pinned nor in known_hosts: show the fingerprint, let the user accept it
  'HOST_KEY_CHANGED', // an SSH server's key differs from the trusted one: refused, both fingerprints in the message
  'INTERNAL',
] as const

export type ErrorCode = (typeof ERROR_CODES)[number]

export const errorInfoSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  field: z.string().optional(),
})
export type ErrorInfo = z.infer<typeof errorInfoSchema>

/** The one error type core code throws on purpose; anything else is reported as INTERNAL. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly field?: string

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message)
    this.name = 'AppError'
    this.code = code
    if (field !== undefined) this.field = field
  }

  toInfo(): ErrorInfo {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field }
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}

/** Turns a zod error into one VALIDATION error naming the first offending field. */
export function validationError(error: z.ZodError, prefix = ''): AppError {
  const issue = error.issues[0]
  if (!issue) return new AppError('VALIDATION', 'invalid input')
  const field = [prefix, ...issue.path.map(String)].filter(Boolean).join('.')
  return new AppError('VALIDATION', field ? `${field}: ${issue.message}` : issue.message, field || undefined)
}

/** Every field problem of a zod error, keyed by field path — for forms that show them all at once. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_'
    out[key] ??= issue.message
  }
  return out
}
