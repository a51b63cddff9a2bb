import { Duplex } from 'node:stream'

/**
 * A Node Duplex around a web-streams transform whose readable side becomes available asynchronously
 * (age-encryption's encrypt/decrypt resolve after the header is written/parsed). Each write waits until
 * the web pipeline accepted the chunk, and each read pulls one chunk, so backpressure crosses the
 * bridge both ways and only a few chunks are ever in flight.
 */
export class WebStreamDuplex extends Duplex {
  private readonly writer: WritableStreamDefaultWriter<Uint8Array>
  private readonly reader: Promise<ReadableStreamDefaultReader<Uint8Array>>

  constructor(
    writable: WritableStream<Uint8Array>,
    readable: Promise<ReadableStream<Uint8Array>>,
    private readonly mapError: (error: unknown) => Error,
  ) {
    super({ highWaterMark: 256 * 1024 })
    this.writer = writable.getWriter()
    this.writer.closed.catch(() => {}) // reported through write/close
    this.reader = readable.then((r) => r.getReader())
    // A failed header (wrong key, not an age file) fails the stream at once, not at the first read.
    this.reader.catch((e: unknown) => this.fail(e))
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.writer.write(chunk).then(
      () => callback(),
      (e: unknown) => callback(this.destroyed ? null : this.mapError(e)),
    )
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.writer.close().then(
      () => callback(),
      (e: unknown) => callback(this.destroyed ? null : this.mapError(e)),
    )
  }

  override _read(): void {
    this.reader
      .then((r) => r.read())
      .then(({ done, value }) => {
        if (done) this.push(null)
        else if (value.length === 0) this._read() // an empty push would stall the readable side
        else this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength))
      })
      .catch((e: unknown) => this.fail(e))
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.writer.abort(error ?? undefined).catch(() => {})
    this.reader.then((r) => r.cancel(error ?? undefined)).catch(() => {})
    callback(error)
  }

  private fail(e: unknown): void {
    if (!this.destroyed) this.destroy(this.mapError(e))
  }
}
