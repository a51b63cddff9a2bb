import { randomBytes } from 'node:crypto'
import { posix } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { z } from 'zod'
import type { DestinationTestResult, sftpConfigSchema } from '../../../../shared/destination-model'
import { AppError } from '../../../../shared/errors'
import { abortReason, destroyOnAbort } from '../../pipeline/abort'
import type { Destination, PutResult } from '../destination'
import { assertPlainFileName } from '../local/fs-errors'
import { RemoteFileSink, RemoteFileSource, type RemoteFs } from './remote-fs'
import { SftpConnection, type SftpOptions, type SftpSecrets } from './sftp-connection'
import { hostPort, isNoSuchFile, operationError } from './sftp-errors'

export { fetchHostKeyFingerprint, fingerprintOf } from './host-key'
export type { SftpOptions, SftpSecrets } from './sftp-connection'

export type SftpConfig = z.output<typeof sftpConfigSchema>

/**
 * A folder on an SSH server. put() writes `.<name>.partial` (0600), fsyncs it (fsync@openssh.com)
 * and renames it over `<name>` with posix-rename, so readers never see a half-written file under a
 * final name; removePartial cleans what a crash left. Folders it creates are 0700. One SSH
 * connection is opened on first use, shared by all calls, reopened when it dropped, and verified
 * against the pinned host key each time; close() ends it.
 */
export class SftpDestination implements Destination {
  readonly kind = 'sftp' as const
  /** The folder on the server, normalised, without a trailing slash. */
  readonly dir: string
  private readonly connection: SftpConnection
  private readonly prefix: string

  constructor(
    readonly name: string,
    private readonly config: SftpConfig,
    secrets: () => Promise<SftpSecrets>,
    options: SftpOptions = {},
  ) {
    this.dir = posix.normalize(config.path).replace(/(.)\/+$/, '$1')
    this.prefix = `SFTP destination "${name}": `
    this.connection = new SftpConnection(config, secrets, options, this.prefix)
  }

  location(fileName: string): string {
    assertPlainFileName(fileName)
    return `${this.folderUrl()}${this.dir === '/' ? '' : '/'}${fileName}`
  }

  async put(fileName: string, source: Readable, signal: AbortSignal): Promise<PutResult> {
    let fs: RemoteFs | undefined
    let sink: RemoteFileSink | undefined
    let partial: string | undefined
    try {
      const target = this.remotePath(fileName)
      const partialFile = (partial = this.partialPath(fileName))
      if (signal.aborted) throw abortReason(signal)
      fs = await this.connection.use(signal, async (remote) => {
        await remote.mkdirp(this.dir, 0o700)
        await remote.unlinkIfExists(partialFile) // a stale one from a crash
        return remote
      })
      const handle = await fs.open(partialFile, 'w', 0o600)
      sink = new RemoteFileSink(fs, handle)
      await pipeline(source, sink, { signal }) // ends with fsync + close
      if (signal.aborted) throw abortReason(signal)
      await fs.replace(partialFile, target)
      return { location: this.location(fileName), size: sink.bytes }
    } catch (e) {
      const error = operationError(e, this.prefix, 'write to', this.folderUrl(), signal)
      // Nothing else will read the source now: fail it so the producer stops at once (see LocalDestination.put).
      if (!source.destroyed) source.on('error', () => {}).destroy(error)
      sink?.destroy() // closes the handle; the server handles the unlink after it
      if (fs && partial) await fs.unlinkIfExists(partial).catch(() => {})
      throw error
    }
  }

  async get(fileName: string, signal: AbortSignal): Promise<Readable> {
    const path = this.remotePath(fileName)
    if (signal.aborted) throw abortReason(signal)
    const { fs, handle } = await this.run('read from', signal, async (remote) => ({ fs: remote, handle: await remote.open(path, 'r') }), (e) =>
      isNoSuchFile(e) ? new AppError('NOT_FOUND', `${this.prefix}no file ${fileName} in ${this.folderUrl()}`) : undefined,
    )
    const stream = new RemoteFileSource(fs, handle, (e) => operationError(e, this.prefix, 'read from', this.folderUrl()))
    destroyOnAbort(stream, signal)
    return stream
  }

  async stat(fileName: string, signal?: AbortSignal): Promise<{ size: number } | null> {
    const path = this.remotePath(fileName)
    const stats = await this.run('read from', signal, (remote) => remote.stat(path))
    return stats?.isFile() ? { size: stats.size } : null
  }

  async delete(fileName: string, signal?: AbortSignal): Promise<void> {
    const path = this.remotePath(fileName)
    await this.run('delete from', signal, (remote) => remote.unlinkIfExists(path))
  }

  async list(signal?: AbortSignal): Promise<string[]> {
    const names = await this.run('list', signal, (remote) => remote.listFiles(this.dir))
    return names.filter((n) => !n.startsWith('.')).sort()
  }

  async removePartial(fileName: string, signal?: AbortSignal): Promise<void> {
    const partial = this.partialPath(fileName)
    await this.run('delete from', signal, (remote) => remote.unlinkIfExists(partial))
  }

  /** Connects (which checks the host key), lists, writes and deletes a probe file. Never throws. */
  async test(signal?: AbortSignal): Promise<DestinationTestResult> {
    const started = Date.now()
    const probe = `lifeboat-write-test-${randomBytes(4).toString('hex')}.tmp`
    const result = (ok: boolean, message: string): DestinationTestResult => ({
      ok,
      message,
      latencyMs: Date.now() - started,
      hostKey: this.connection.seenHostKey,
    })
    try {
      await this.list(signal)
      await this.put(probe, Readable.from([Buffer.from('lifeboat write test\n')]), signal ?? new AbortController().signal)
      await this.delete(probe, signal)
      return result(true, `can list, write and delete in ${this.folderUrl()}`)
    } catch (e) {
      await this.delete(probe).catch(() => {})
      return result(false, e instanceof Error ? e.message : String(e))
    }
  }

  async close(): Promise<void> {
    await this.connection.close()
  }

  /** Runs idempotent work on the shared session (retried once on a fresh one if the connection dropped). */
  private async run<T>(verb: string, signal: AbortSignal | undefined, fn: (remote: RemoteFs) => Promise<T>, special?: (e: unknown) => AppError | undefined): Promise<T> {
    try {
      return await this.connection.use(signal, fn)
    } catch (e) {
      throw special?.(e) ?? operationError(e, this.prefix, verb, this.folderUrl(), signal)
    }
  }

  private folderUrl(): string {
    return `sftp://${this.config.user}@${hostPort(this.config.host, this.config.port)}${this.dir}`
  }

  private remotePath(fileName: string): string {
    assertPlainFileName(fileName)
    return posix.join(this.dir, fileName)
  }

  private partialPath(fileName: string): string {
    assertPlainFileName(fileName)
    return posix.join(this.dir, `.${fileName}.partial`)
  }
}
