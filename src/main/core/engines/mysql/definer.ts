import { Transform, type TransformCallback } from 'node:stream'

/**
 * Removes DEFINER clauses from a mysqldump / mariadb-dump stream so a user without SUPER (or SET
 * USER) can restore views, routines, triggers and events; they then belong to the restoring user.
 *
 *   CREATE DEFINER=`root`@`localhost` PROCEDURE ...          -> CREATE PROCEDURE ...
 *   /*!50013 DEFINER=`root`@`%` SQL SECURITY DEFINER *\/     -> /*!50013 SQL SECURITY DEFINER *\/
 *   /*!50003 CREATE*\/ /*!50017 DEFINER=`root`@`%`*\/ /*!50003 TRIGGER ...  -> the DEFINER comment removed
 *
 * Works line by line (a partial line is carried over to the next chunk) on the raw bytes (read as
 * latin1, so every byte round-trips). Tracks quotes and comments across lines, so text inside string
 * data is never touched; INSERT lines (one per line in a dump) pass through unscanned, streamed even
 * when longer than a chunk.
 */

const NAME = String.raw`(?:\`(?:[^\`]|\`\`)*\`|'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|[\w$.%-]+)`
const USER = String.raw`(?:CURRENT_USER(?:\s*\(\s*\))?|CURRENT_ROLE(?:\s*\(\s*\))?|${NAME}(?:\s*@\s*${NAME})?)`
const DEFINER = String.raw`DEFINER\s*=\s*${USER}`
/**
 * CREATE [OR REPLACE] [ALGORITHM=x] DEFINER=u@h (keeps all but the definer), or a version comment
 * /*!NNNNN DEFINER=u@h *\/ (removed with the space after it) or /*!NNNNN DEFINER=u@h SQL SECURITY ... *\/
 * (keeps the SQL SECURITY part).
 */
const PATTERN = new RegExp(
  String.raw`(\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?)${DEFINER}\s*|(/\*!\d*\s*)${DEFINER}\s*(\*/\s?)?`,
  'gi',
)

const Q = { Code: 0, Single: 1, Double: 2, Backtick: 3, Block: 4 } as const
/** Where a scan stands: code, inside a quote of some kind, or inside a block comment. */
export type ScanState = (typeof Q)[keyof typeof Q]

/**
 * Scans one line (without its newline) from `state`, returns the state at its end; fills `code`
 * (when given) with 1 where a character is outside strings and comments.
 */
export function scanLine(line: string, state: ScanState, code?: Uint8Array): ScanState {
  let s: ScanState = state
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i)
    switch (s) {
      case Q.Code:
        if (code) code[i] = 1
        if (c === 39) s = Q.Single
        else if (c === 34) s = Q.Double
        else if (c === 96) s = Q.Backtick
        else if (c === 35) return Q.Code // '#' comment to the end of the line
        else if (c === 45 && line.charCodeAt(i + 1) === 45 && (i + 2 >= line.length || /\s/.test(line[i + 2] as string))) return Q.Code
        else if (c === 47 && line.charCodeAt(i + 1) === 42) {
          // "/*!" and "/*M!" hold SQL the server runs: code. Other comments are skipped.
          const next = line[i + 2]
          if (next === '!' || (next === 'M' && line[i + 3] === '!')) continue
          s = Q.Block
          i++
        }
        break
      case Q.Single:
      case Q.Double:
        if (c === 92) i++ // backslash escape
        else if (c === (s === Q.Single ? 39 : 34)) s = Q.Code
        break
      case Q.Backtick:
        if (c === 96) s = Q.Code
        break
      case Q.Block:
        if (c === 42 && line.charCodeAt(i + 1) === 47) {
          s = Q.Code
          i++
        }
        break
    }
  }
  return s
}

/** Rewrites one complete line that starts in `state`; returns the new line and the state after it. */
export function rewriteLine(line: string, state: ScanState): { line: string; state: ScanState } {
  if (!/DEFINER/i.test(line)) return { line, state: scanLine(line, state) }
  const code = new Uint8Array(line.length)
  const after = scanLine(line, state, code)
  const out = line.replace(PATTERN, (m: string, create: string | undefined, open: string | undefined, close: string | undefined, offset: number) => {
    if (code[offset] !== 1) return m // inside a string or comment: data, not a clause
    if (create !== undefined) return create
    return close ? '' : (open ?? '')
  })
  return { line: out, state: after }
}

const NL = 10
const INSERT = /^INSERT\s/i

export class DefinerRewrite extends Transform {
  private carry: Buffer = Buffer.alloc(0)
  private state: ScanState = Q.Code
  /** Inside an INSERT line already passed through: copy bytes up to its newline. */
  private passThrough = false

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let buf = chunk
    const parts: Buffer[] = []
    while (buf.length > 0) {
      if (this.passThrough) {
        const nl = buf.indexOf(NL)
        if (nl < 0) {
          parts.push(buf)
          break
        }
        parts.push(buf.subarray(0, nl + 1))
        buf = buf.subarray(nl + 1)
        this.passThrough = false
        continue
      }
      const nl = buf.indexOf(NL)
      if (nl < 0) {
        this.carry = this.carry.length ? Buffer.concat([this.carry, buf]) : Buffer.from(buf)
        // A long INSERT line need not be held: once its start is known, stream it.
        if (this.state === Q.Code && this.carry.length >= 7 && INSERT.test(this.carry.subarray(0, 16).toString('latin1'))) {
          parts.push(this.carry)
          this.carry = Buffer.alloc(0)
          this.passThrough = true
        }
        break
      }
      const line = this.carry.length ? Buffer.concat([this.carry, buf.subarray(0, nl)]) : buf.subarray(0, nl)
      this.carry = Buffer.alloc(0)
      parts.push(this.processLine(line), Buffer.from([NL]))
      buf = buf.subarray(nl + 1)
    }
    cb(null, parts.length === 1 ? parts[0] : Buffer.concat(parts))
  }

  override _flush(cb: TransformCallback): void {
    if (this.passThrough || this.carry.length === 0) return cb()
    cb(null, this.processLine(this.carry))
  }

  private processLine(line: Buffer): Buffer {
    if (this.state === Q.Code && line.length >= 7 && INSERT.test(line.subarray(0, 16).toString('latin1'))) return line
    const text = line.toString('latin1')
    const { line: out, state } = rewriteLine(text, this.state)
    this.state = state
    return out === text ? line : Buffer.from(out, 'latin1')
  }
}
