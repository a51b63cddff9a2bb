import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { randomBytes } from 'node:crypto'
import { Readable, Writable } from 'node:stream'
import type { DestinationTestResult } from '../../../../shared/destination-model'
import { pipeline } from 'node:stream/promises'
import { AppError } from '../../../../shared/errors'
import { abortReason, destroyOnAbort } from '../../pipeline/abort'
import type { Destination, PutResult } from '../destination'
import { assertPlainFileName, destinationError, fsyncDirectory } from './fs-errors'

const READ_CHUNK = 1024 * 1024

/**
 * A folder on this machine (or a mounted share). put() writes `.<name>.partial` (0600), fsyncs it,
 * renames it to `<name>` and fsyncs the folder, so a crash leaves at most a hidden partial file
 * (removePartial cleans it) and never a truncated file under a final name.
 * list() returns every final file name (backups and their manifests), never hidden/partial files.
 * Two concurrent put()s of the same name are not supported (they share the partial name).
 */
export class LocalDestination implements Destination {
  readonly kind = 'local' as const
  readonly dir: string

  constructor(
    readonly name: string,
    dir: string,
  ) {
    this.dir = resolve(dir)
  }

  location(fileName: string): string {
    assertPlainFileName(fileName)
    return join(this.dir, fileName)
  }

  async put(fileName: string, source: Readable, signal: AbortSignal): Promise<PutResult> {
    let partial: string | undefined
    let handle: FileHandle | undefined
    try {
      const target = this.location(fileName)
      partial = this.partialPath(fileName)
      if (signal.aborted) throw abortReason(signal)
      await this.ensureDir()
      await rm(partial, { force: true }) // a stale one from a crash
      handle = await open(partial, 'wx', 0o600)
      const sink = new FileSink(handle, this.dir)
      await pipeline(source, sink, { signal })
      await handle.sync()
      await handle.close()
      handle = undefined
      if (signal.aborted) throw abortReason(signal)
      await rename(partial, target)
      await fsyncDirectory(this.dir)
      return { location: target, size: sink.bytes }
    } catch (e) {
      const error = destinationError(e, 'write to', this.dir, signal)
      // Nothing else will read the source now: fail it so the producer stops at once (with our
      // error, which its pipeline reports; the no-op listener keeps a bare stream from throwing it).
      if (!source.destroyed) source.on('error', () => {}).destroy(error)
      await handle?.close().catch(() => {})
      if (partial) await rm(partial, { force: true }).catch(() => {})
      throw error
    }
  }

  async get(fileName: string, signal: AbortSignal): Promise<Readable> {
    const path = this.location(fileName)
    if (signal.aborted) throw abortReason(signal)
    let handle: FileHandle
    try {
      handle = await open(path, 'r')
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new AppError('NOT_FOUND', `no file ${fileName} in ${this.dir}`)
      throw destinationError(e, 'read from', this.dir)
    }
    const stream = handle.createReadStream({ highWaterMark: READ_CHUNK })
    destroyOnAbort(stream, signal)
    return stream
  }

  async stat(fileName: string): Promise<{ size: number } | null> {
    try {
      const s = await stat(this.location(fileName))
      return s.isFile() ? { size: s.size } : null
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw destinationError(e, 'read from', this.dir)
    }
  }

  async delete(fileName: string): Promise<void> {
    try {
      await rm(this.location(fileName), { force: true })
    } catch (e) {
      throw destinationError(e, 'delete from', this.dir)
    }
  }

  async list(): Promise<string[]> {
    try {
      const entries = await readdir(this.dir, { withFileTypes: true })
      return entries.filter((d) => d.isFile() && !d.name.startsWith('.')).map((d) => d.name).sort()
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw destinationError(e, 'list', this.dir)
    }
  }

  async removePartial(fileName: string): Promise<void> {
    try {
      await rm(this.partialPath(fileName), { force: true })
    } catch (e) {
      throw destinationError(e, 'delete from', this.dir)
    }
  }

  async test(): Promise<DestinationTestResult> {
    const started = Date.now()
    const probe = `lifeboat-write-test-${randomBytes(4).toString('hex')}.tmp`
    try {
      await this.ensureDir()
      await this.put(probe, Readable.from(['lifeboat write test\n']), new AbortController().signal)
      await this.delete(probe)
      return { ok: true, message: `can write to ${this.dir}`, latencyMs: Date.now() - started, hostKey: null }
    } catch (e) {
      await this.delete(probe).catch(() => {})
      return { ok: false, message: e instanceof Error ? e.message : String(e), latencyMs: Date.now() - started, hostKey: null }
    }
  }

  private partialPath(fileName: string): string {
    assertPlainFileName(fileName)
    return join(this.dir, `.${fileName}.partial`)
  }

  private async ensureDir(): Promise<void> {
    // 0700 applies to directories created here only; an existing folder keeps its mode.
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
  }
}

/** Writes to an open file, reporting errors already as AppErrors so the upstream pipeline fails with them too. */
class FileSink extends Writable {
  bytes = 0

  constructor(
    private readonly handle: FileHandle,
    private readonly dir: string,
  ) {
    super({ highWaterMark: READ_CHUNK })
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writeAll(chunk, callback)
  }

  /** Buffered chunks in one write(2): fewer thread-pool round trips when the disk is the bottleneck. */
  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.writeAll(Buffer.concat(chunks.map((c) => c.chunk)), callback)
  }

  private writeAll(buffer: Buffer, callback: (error?: Error | null) => void): void {
    const loop = async (): Promise<void> => {
      let offset = 0
      while (offset < buffer.length) {
        const { bytesWritten } = await this.handle.write(buffer, offset, buffer.length - offset)
        offset += bytesWritten
      }
      this.bytes += buffer.length
    }
    loop().then(() => callback(), (e: unknown) => callback(destinationError(e, 'write to', this.dir)))
  }
}
