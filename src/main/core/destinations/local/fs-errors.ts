import { open } from 'node:fs/promises'
import { AppError, isAppError, type ErrorCode } from '../../../../shared/errors'
import { abortReason } from '../../pipeline/abort'

const REASONS: Record<string, { code: ErrorCode; reason: string }> = {
  EACCES: { code: 'PERMISSION_DENIED', reason: 'permission denied' },
  EPERM: { code: 'PERMISSION_DENIED', reason: 'operation not permitted' },
  EROFS: { code: 'DESTINATION_FAILED', reason: 'read-only file system' },
  ENOTDIR: { code: 'DESTINATION_FAILED', reason: 'not a directory' },
  // mkdir of a path that exists as a file
  EEXIST: { code: 'DESTINATION_FAILED', reason: 'not a directory' },
  ENOSPC: { code: 'DESTINATION_FAILED', reason: 'no space left on device' },
  EDQUOT: { code: 'DESTINATION_FAILED', reason: 'disk quota exceeded' },
  EFBIG: { code: 'DESTINATION_FAILED', reason: 'file too large for this file system' },
  EIO: { code: 'DESTINATION_FAILED', reason: 'input/output error' },
  ENOENT: { code: 'DESTINATION_FAILED', reason: 'no such file or directory' },
  EISDIR: { code: 'DESTINATION_FAILED', reason: 'is a directory' },
  ENAMETOOLONG: { code: 'DESTINATION_FAILED', reason: 'file name too long' },
  EMFILE: { code: 'DESTINATION_FAILED', reason: 'too many open files' },
}

/**
 * One AppError a DBA can act on, naming the directory and the cause: "cannot write to /x/y: not a
 * directory". AppErrors pass through (a failing source reports its own); after an abort, its reason.
 */
export function destinationError(e: unknown, verb: string, dir: string, signal?: AbortSignal): AppError {
  if (isAppError(e)) return e
  if (signal?.aborted) return abortReason(signal)
  const errno = (e as NodeJS.ErrnoException | null)?.code
  const known = errno ? REASONS[errno] : undefined
  if (known) return new AppError(known.code, `cannot ${verb} ${dir}: ${known.reason}`)
  return new AppError('DESTINATION_FAILED', `cannot ${verb} ${dir}: ${e instanceof Error ? e.message : String(e)}`)
}

/** Refuses anything but a plain file name: the destination never writes outside its directory. */
export function assertPlainFileName(name: string): void {
  // A leading dot is refused too: those names are ours (partial files) and list() skips them.
  const bad = !name || name.startsWith('.') || /[/\\\0]/.test(name) || name.includes('..') || Buffer.byteLength(name) > 255
  if (bad) throw new AppError('VALIDATION', `not a plain file name: ${JSON.stringify(name)}`, 'fileName')
}

/** Makes a rename durable (async twin of util/atomic-file's fsyncDirectory). Not possible on Windows, where NTFS journals it. */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
