import { CreateMultipartUploadCommand, S3Client, type CreateMultipartUploadCommandOutput } from '@aws-sdk/client-s3'
import type { z } from 'zod'
import type { s3ConfigSchema } from '../../../../shared/destination-model'
import { registerSecret } from '../../logging/redact'

export type S3Config = z.output<typeof s3ConfigSchema>

export interface S3Credentials {
  accessKeyId: string
  secretAccessKey: string
}

export interface S3Options {
  /** Bytes per multipart part (min 5 MiB); at most 10,000 parts, so 8 MiB caps an object at ~80 GB. Default 8 MiB. */
  partSize?: number
  /** Parts uploaded at once; memory use is about partSize × queueSize. Default 4. */
  queueSize?: number
  /** Attempts per request (SDK standard retry: 5xx, 429, throttling, network errors). Default 5. */
  maxAttempts?: number
  /** Default 10 s. */
  connectTimeoutMs?: number
  /** No byte moving on an open request for this long fails it. Default 120 s. */
  requestTimeoutMs?: number
}

export const S3_DEFAULTS: Required<S3Options> = {
  partSize: 8 * 1024 * 1024,
  queueSize: 4,
  maxAttempts: 5,
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 120_000,
}

export function resolveOptions(options: S3Options): Required<S3Options> {
  return {
    partSize: options.partSize ?? S3_DEFAULTS.partSize,
    queueSize: options.queueSize ?? S3_DEFAULTS.queueSize,
    maxAttempts: options.maxAttempts ?? S3_DEFAULTS.maxAttempts,
    connectTimeoutMs: options.connectTimeoutMs ?? S3_DEFAULTS.connectTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? S3_DEFAULTS.requestTimeoutMs,
  }
}

/** The SDK client for a destination; `credentials` null means the SDK's default chain (environment, profile, instance role). */
export async function createS3Client(config: S3Config, credentials: () => Promise<S3Credentials | null>, options: Required<S3Options>): Promise<S3Client> {
  const keys = await credentials()
  registerSecret(keys?.secretAccessKey)
  return new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(keys ? { credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey } } : {}),
    maxAttempts: options.maxAttempts,
    retryMode: 'standard',
    // The SDK's default flexible checksums break S3-compatibles: a streamed PutObject body is sent
    // aws-chunked and some servers store the framing inside the object. Backups carry their own SHA-256.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // A bucket in another region than configured: AWS answers 301, the SDK retries there.
    followRegionRedirects: true,
    // socketTimeout is an idle timeout: a slow link still uploads a big part, a dead one fails.
    requestHandler: { connectionTimeout: options.connectTimeoutMs, socketTimeout: options.requestTimeoutMs },
  })
}

/**
 * A view of `client` for lib-storage's Upload, which sends without an AbortSignal: every request
 * carries `signal`, so an abort stops the parts in flight at once. CreateMultipartUpload is the
 * exception — it always runs to its end, so the caller learns the upload id and can abort the upload.
 */
export function abortableClient(client: S3Client, signal: AbortSignal, onUploadId: (id: string) => void): S3Client {
  const send = client.send.bind(client) as (command: unknown, options?: object) => Promise<unknown>
  const scoped = Object.create(client) as S3Client
  Object.defineProperty(scoped, 'send', {
    value: async (command: unknown, options?: object): Promise<unknown> => {
      if (!(command instanceof CreateMultipartUploadCommand)) return send(command, { ...options, abortSignal: signal })
      const created = (await send(command, options)) as CreateMultipartUploadCommandOutput
      if (created.UploadId) onUploadId(created.UploadId)
      return created
    },
  })
  return scoped
}
