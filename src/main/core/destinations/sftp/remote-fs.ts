import { posix } from 'node:path'
import { Readable, Writable } from 'node:stream'
import type { SFTPWrapper, Stats } from 'ssh2'
import { ConnectionLostError, isNoSuchFile } from './sftp-errors'

/** Bytes per stream chunk and per read request (TEST-INFRA §5: 64 KiB chunks made uploads ~10x slower). */
export const CHUNK = 256 * 1024
/** Upload bytes in flight: the next writes go out before the server acknowledged the last, hiding the round trip. */
const WRITE_WINDOW = 4 * 1024 * 1024
/** Download reads in flight, for the same reason. */
const READ_AHEAD = 4

const S_IFMT = 0o170000
const S_IFREG = 0o100000

type Done<T> = (err: Error | null | undefined, value: T) => void

function isUnsupported(e: unknown): boolean {
  return e instanceof Error && e.message === 'Server does not support this extended request'
}

/** An SFTP session as promises. Refuses requests once the session is gone: ssh2 would drop them and never answer. */
export class RemoteFs {
  closed = false

  constructor(readonly sftp: SFTPWrapper) {
    const gone = (): void => {
      this.closed = true
    }
    sftp.on('end', gone).on('close', gone).on('error', gone)
  }

  call<T>(send: (sftp: SFTPWrapper, done: Done<T>) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(new ConnectionLostError())
      try {
        send(this.sftp, (err, value) => (err ? reject(err) : resolve(value)))
      } catch (e) {
        reject(e) // ssh2 throws synchronously for unsupported extensions and bad arguments
      }
    })
  }

  async stat(path: string): Promise<Stats | null> {
    try {
      return await this.call<Stats>((s, done) => s.stat(path, done))
    } catch (e) {
      if (isNoSuchFile(e)) return null
      throw e
    }
  }

  /** mkdir -p; `mode` applies to the folders created here only. */
  async mkdirp(dir: string, mode: number): Promise<void> {
    const existing = await this.stat(dir)
    if (existing) {
      if (!existing.isDirectory()) throw new Error(`${dir} exists on the server and is not a folder`)
      return
    }
    const parent = posix.dirname(dir)
    if (parent !== dir) await this.mkdirp(parent, mode)
    try {
      await this.call<void>((s, done) => s.mkdir(dir, { mode }, (err) => done(err, undefined)))
    } catch (e) {
      if (!(await this.stat(dir))?.isDirectory()) throw e // else someone else just made it
    }
  }

  async unlinkIfExists(path: string): Promise<void> {
    try {
      await this.call<void>((s, done) => s.unlink(path, (err) => done(err, undefined)))
    } catch (e) {
      if (!isNoSuchFile(e)) throw e
    }
  }

  /** Names of the regular files in `dir` ([] when it does not exist). */
  async listFiles(dir: string): Promise<string[]> {
    try {
      const entries = await this.call<{ filename: string; attrs: { mode: number } }[]>((s, done) => s.readdir(dir, done))
      return entries.filter((e) => (e.attrs.mode & S_IFMT) === S_IFREG).map((e) => e.filename)
    } catch (e) {
      if (isNoSuchFile(e)) return []
      throw e
    }
  }

  /** Renames over an existing `to` atomically (posix-rename@openssh.com): plain SFTP rename refuses to replace. */
  async replace(from: string, to: string): Promise<void> {
    try {
      await this.call<void>((s, done) => s.ext_openssh_rename(from, to, (err) => done(err, undefined)))
    } catch (e) {
      if (!isUnsupported(e)) throw e
      // Not OpenSSH: the best plain SFTP allows, with a short window where `to` is missing.
      await this.unlinkIfExists(to)
      await this.call<void>((s, done) => s.rename(from, to, (err) => done(err, undefined)))
    }
  }

  async open(path: string, flags: 'r' | 'w', mode = 0o600): Promise<Buffer> {
    return this.call<Buffer>((s, done) => s.open(path, flags, { mode }, done))
  }

  async close(handle: Buffer): Promise<void> {
    await this.call<void>((s, done) => s.close(handle, (err) => done(err, undefined)))
  }

  /** fsync@openssh.com when the server has it; other servers make no promise we could ask for. */
  async fsync(handle: Buffer): Promise<void> {
    try {
      await this.call<void>((s, done) => s.ext_openssh_fsync(handle, (err) => done(err, undefined)))
    } catch (e) {
      if (!isUnsupported(e)) throw e
    }
  }
}

/**
 * Writes to an open remote file with up to WRITE_WINDOW bytes unacknowledged; on end waits for every
 * write, fsyncs and closes the handle. destroy() closes the handle without waiting.
 */
export class RemoteFileSink extends Writable {
  bytes = 0
  private position = 0
  private inFlight = 0
  private failure: Error | undefined
  private waiter: { ready: () => boolean; go: (error?: Error) => void } | undefined
  private handleOpen = true

  constructor(
    private readonly fs: RemoteFs,
    private readonly handle: Buffer,
  ) {
    super({ highWaterMark: CHUNK })
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.failure) return callback(this.failure)
    const length = chunk.length
    this.inFlight += length
    this.fs
      .call<void>((s, done) => s.write(this.handle, chunk, 0, length, this.position, (err) => done(err, undefined)))
      .then(
        () => {
          this.bytes += length
        },
        (e: unknown) => {
          this.failure ??= e instanceof Error ? e : new Error(String(e))
        },
      )
      .finally(() => {
        this.inFlight -= length
        this.wake()
      })
    this.position += length
    this.waitFor(() => this.inFlight < WRITE_WINDOW, callback)
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.waitFor(
      () => this.inFlight === 0,
      (error) => {
        if (error) return callback(error)
        this.handleOpen = false
        this.fs
          .fsync(this.handle)
          .then(() => this.fs.close(this.handle))
          .then(() => callback(), callback)
      },
    )
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.handleOpen) {
      this.handleOpen = false
      this.fs.close(this.handle).catch(() => {}) // queued behind the writes in flight; the partial is removed next
    }
    callback(error)
  }

  private waitFor(ready: () => boolean, go: (error?: Error) => void): void {
    this.waiter = { ready, go }
    this.wake()
  }

  private wake(): void {
    const waiter = this.waiter
    if (!waiter || !(this.failure || waiter.ready())) return
    this.waiter = undefined
    waiter.go(this.failure)
  }
}

/** Reads an open remote file with READ_AHEAD requests in flight, delivered in order; closes the handle when done or destroyed. */
export class RemoteFileSource extends Readable {
  private next = 0
  private readonly pending: { position: number; data: Promise<Buffer> }[] = []
  private delivering = false
  private handleOpen = true

  constructor(
    private readonly fs: RemoteFs,
    private readonly handle: Buffer,
    private readonly mapError: (e: unknown) => Error,
  ) {
    super({ highWaterMark: CHUNK })
  }

  override _read(): void {
    if (!this.delivering) void this.deliver()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.closeHandle()
    callback(error)
  }

  private async deliver(): Promise<void> {
    this.delivering = true
    try {
      for (;;) {
        while (this.pending.length < READ_AHEAD) this.pending.push(this.readAt(this.next))
        const head = this.pending.shift() as { position: number; data: Promise<Buffer> }
        const data = await head.data
        if (this.destroyed) return
        if (data.length === 0) {
          this.closeHandle()
          this.push(null)
          return
        }
        if (data.length < CHUNK) {
          // A short read (usually the end): what was requested after it assumed a full chunk, so ask again from here.
          this.pending.length = 0
          this.next = head.position + data.length
        }
        if (!this.push(data)) return
      }
    } catch (e) {
      this.destroy(this.mapError(e))
    } finally {
      this.delivering = false
    }
  }

  private readAt(position: number): { position: number; data: Promise<Buffer> } {
    this.next = position + CHUNK
    const buffer = Buffer.allocUnsafe(CHUNK)
    const data = this.fs.call<Buffer>((s, done) =>
      s.read(this.handle, buffer, 0, CHUNK, position, (err, bytesRead) => done(err, buffer.subarray(0, bytesRead))),
    )
    data.catch(() => {}) // awaited in order later, or dropped after a short read: never unhandled
    return { position, data }
  }

  private closeHandle(): void {
    if (!this.handleOpen) return
    this.handleOpen = false
    this.fs.close(this.handle).catch(() => {})
  }
}
