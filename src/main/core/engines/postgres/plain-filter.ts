import { Transform, type TransformCallback } from 'node:stream'

/**
 * pg_dump's plain format wraps the large-object section in its own BEGIN; ... COMMIT;. Under
 * `psql --single-transaction` that COMMIT would end the restore's transaction midway, and whatever
 * follows (constraints, indexes...) would no longer roll back on failure. This filter drops exactly
 * those two lines inside that section, so the whole restore stays one transaction. COPY data is
 * never interpreted (a row reading "COMMIT;" stays). Line by line, partial lines carried over; very
 * long lines (data) are streamed, not held.
 */

const NL = 10
/** Longer lines cannot be one of the lines we act on; they pass through as they come. */
const MAX_LINE = 1024 * 1024
const BLOBS_HEADER = /^-- Data for Name: [^;\n]*; Type: (?:BLOBS|BLOB DATA|LARGE OBJECTS?)\b/
const OTHER_HEADER = /^-- (?:Data for )?Name: /
const COPY_START = /^COPY .* FROM stdin;\r?$/
const WRAPPER = /^(?:BEGIN|COMMIT);\r?$/

export class PgPlainFilter extends Transform {
  private carry: Buffer = Buffer.alloc(0)
  private passThrough = false
  private inCopy = false
  private inBlobs = false

  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    let buf = chunk
    const out: Buffer[] = []
    while (buf.length > 0) {
      const nl = buf.indexOf(NL)
      if (this.passThrough) {
        out.push(nl < 0 ? buf : buf.subarray(0, nl + 1))
        if (nl < 0) break
        this.passThrough = false
        buf = buf.subarray(nl + 1)
        continue
      }
      if (nl < 0) {
        this.carry = this.carry.length ? Buffer.concat([this.carry, buf]) : Buffer.from(buf)
        if (this.carry.length > MAX_LINE) {
          out.push(this.carry)
          this.carry = Buffer.alloc(0)
          this.passThrough = true
        }
        break
      }
      const line = this.carry.length ? Buffer.concat([this.carry, buf.subarray(0, nl)]) : buf.subarray(0, nl)
      this.carry = Buffer.alloc(0)
      if (this.keep(line)) out.push(line, Buffer.from([NL]))
      buf = buf.subarray(nl + 1)
    }
    cb(null, out.length === 1 ? out[0] : Buffer.concat(out))
  }

  override _flush(cb: TransformCallback): void {
    if (this.passThrough || this.carry.length === 0 || !this.keep(this.carry)) return cb()
    cb(null, this.carry)
  }

  private keep(line: Buffer): boolean {
    if (line.length > 4096) return true // data or a long statement: never a line we act on
    const text = line.toString('latin1')
    if (this.inCopy) {
      if (text === '\\.' || text === '\\.\r') this.inCopy = false
      return true
    }
    if (COPY_START.test(text)) {
      this.inCopy = true
      return true
    }
    if (BLOBS_HEADER.test(text)) this.inBlobs = true
    else if (OTHER_HEADER.test(text)) this.inBlobs = false
    return !(this.inBlobs && WRAPPER.test(text))
  }
}
