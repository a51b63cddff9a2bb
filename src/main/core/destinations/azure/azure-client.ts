import { AnonymousCredential, BlobServiceClient, StorageRetryPolicyType, type ContainerClient } from '@azure/storage-blob'
import { AppError } from '../../../../shared/errors'
import { redact, registerSecret } from '../../logging/redact'

/** One storage account's container, reached with the saved secret. */
export interface AzureClient {
  readonly container: ContainerClient
  /** The storage account's name (devstoreaccount1 for Azurite). */
  readonly account: string
  /** host[:port] of the blob endpoint, for messages. */
  readonly host: string
  readonly credential: 'account key' | 'SAS token'
}

export interface AzureClientOptions {
  maxTries: number
  tryTimeoutMs?: number
}

/**
 * Builds the SDK client from a connection string (`...;AccountName=..;AccountKey=..;` or
 * `BlobEndpoint=..;SharedAccessSignature=..`) or an account URL carrying a SAS token. Every secret part
 * is registered with redact() first, so no log line or message can carry it. Transient failures (500,
 * 503, resets, refused connections) are retried by the SDK's exponential retry policy.
 */
export function openAzureClient(secret: string, containerName: string, options: AzureClientOptions, prefix: string): AzureClient {
  const value = secret.trim()
  registerSecretParts(value)
  const pipeline = {
    retryOptions: {
      retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
      maxTries: options.maxTries,
      // Sent to the service as its server-side timeout, in whole seconds (0 would be refused).
      ...(options.tryTimeoutMs ? { tryTimeoutInMs: Math.max(1000, options.tryTimeoutMs) } : {}),
    },
  }
  let service: BlobServiceClient
  try {
    service = /^https?:\/\//i.test(value) ? new BlobServiceClient(value, new AnonymousCredential(), pipeline) : BlobServiceClient.fromConnectionString(value, pipeline)
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e)
    throw new AppError('AUTH_FAILED', redact(`${prefix}the saved connection string is not valid (${why}) — copy it again from the storage account's "Access keys" page`))
  }
  return {
    container: service.getContainerClient(containerName),
    account: service.accountName,
    host: new URL(service.url).host,
    credential: /(^|;)\s*AccountKey=/i.test(value) ? 'account key' : 'SAS token',
  }
}

/** The whole string, the account key, the SAS token and its signature (raw and URL-encoded, as request URLs carry it). */
function registerSecretParts(value: string): void {
  registerSecret(value)
  const field = (name: string) => new RegExp(`(?:^|;)\\s*${name}=([^;]+)`, 'i').exec(value)?.[1]?.trim()
  const key = field('AccountKey')
  registerSecret(key)
  let sas = field('SharedAccessSignature')
  if (/^https?:\/\//i.test(value)) {
    try {
      sas = new URL(value).search.replace(/^\?/, '')
    } catch {
      // not a URL after all: the SDK's own error says so
    }
  }
  if (sas) {
    registerSecret(sas)
    const sig = new URLSearchParams(sas).get('sig')
    registerSecret(sig)
    if (sig) registerSecret(encodeURIComponent(sig))
  }
}
