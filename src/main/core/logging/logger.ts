import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import { redact } from './redact'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

const MAX_BYTES = 5 * 1024 * 1024

/**
 * JSON-lines log file, one rotation (lifeboat.log -> lifeboat.old.log at 5 MiB).
 * Lines are redacted before they are written; appendFileSync keeps ordering across crashes.
 */
export function createFileLogger(file: string, minLevel: LogLevel = 'info'): Logger {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error']
  const write = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order.indexOf(level) < order.indexOf(minLevel)) return
    const line = redact(JSON.stringify({ t: new Date().toISOString(), level, msg, ...fields })) + '\n'
    try {
      if ((statSync(file, { throwIfNoEntry: false })?.size ?? 0) > MAX_BYTES) renameSync(file, file.replace(/\.log$/, '.old.log'))
      appendFileSync(file, line, { mode: 0o600 })
    } catch {
      // Logging must never take an operation down with it.
    }
  }
  return {
    debug: (m, f) => write('debug', m, f),
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
