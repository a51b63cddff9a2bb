import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, openSync } from 'node:fs'
import { access, constants, mkdtemp, realpath, rm } from 'node:fs/promises'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { BlobServiceClient } from '@azure/storage-blob'
import { afterAll, beforeAll, describe, it } from 'vitest'
import { freePort } from './free-port'
import { stopChild, waitUntil } from './processes'

/** The azurite devDependency's blob-only CLI. */
export const AZURITE_BLOB = fileURLToPath(new URL('../../node_modules/.bin/azurite-blob', import.meta.url))
/** Azurite's well-known development account (public, documented: not a secret). */
export const AZURITE_ACCOUNT = 'devstoreaccount1'
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='

export interface AzuriteServer {
  readonly port: number
  /** http://127.0.0.1:<port>/devstoreaccount1 */
  readonly blobEndpoint: string
  readonly connectionString: string
  readonly service: BlobServiceClient
  /** A connection string for the same account at another endpoint (a proxy) or with another key. */
  connectionStringFor(opts: { endpoint?: string; key?: string }): string
  /** Creates a container with a fresh name (or `name`) and returns the name. */
  createContainer(name?: string): Promise<string>
  /** SIGTERM, waits for the exit, removes the data dir. */
  stop(): Promise<void>
}

/** null when azurite is installed; otherwise why not. Under CI=true a missing binary is an error, not a skip. */
export async function azuriteUnavailable(): Promise<string | null> {
  if (await access(AZURITE_BLOB, constants.X_OK).then(() => true, () => false)) return null
  const reason = `${AZURITE_BLOB} not found — run npm install (azurite is a devDependency)`
  if (process.env.CI === 'true') throw new Error(reason)
  return reason
}

/** A describe block with one Azurite for all its tests; without azurite, one skipped test carries the reason. */
export async function describeWithAzurite(name: string, body: (azurite: () => AzuriteServer) => void): Promise<void> {
  const reason = await azuriteUnavailable()
  if (reason) {
    describe(name, () => it.skip(`skipped: ${reason}`, () => {}))
    return
  }
  describe(name, () => {
    let server: AzuriteServer | undefined
    beforeAll(async () => {
      server = await startAzurite()
    })
    afterAll(async () => {
      await server?.stop()
    })
    body(() => {
      if (!server) throw new Error('azurite did not start (see beforeAll)')
      return server
    })
  })
}

/** Azurite's blob service on a free 127.0.0.1 port, its data in a fresh temp dir (TEST-INFRA §4 recipe). */
export async function startAzurite(): Promise<AzuriteServer> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeboat-azurite-'))
  const port = await freePort()
  const logFile = join(dir, 'azurite.log')
  const log = openSync(logFile, 'w')
  // node + the script itself (not the .bin shim): the child we signal is Azurite, not a wrapper.
  const script = await realpath(AZURITE_BLOB)
  const args = ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--location', join(dir, 'data'), '--silent', '--disableTelemetry', '--loose']
  // Without it every call of the newer SDK fails with 400 "The API version ... is not supported by Azurite".
  args.push('--skipApiVersionCheck')
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', log, log] })
  closeSync(log)
  try {
    await waitUntil('azurite', () => portOpen(port), { child, logFile, deadlineMs: 30_000, intervalMs: 25 })
  } catch (e) {
    await stopChild(child, 'SIGKILL')
    await rm(dir, { recursive: true, force: true })
    throw e
  }
  const blobEndpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`
  const connectionStringFor = (opts: { endpoint?: string; key?: string }) =>
    `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${opts.key ?? AZURITE_KEY};BlobEndpoint=${opts.endpoint ?? blobEndpoint};`
  const connectionString = connectionStringFor({})
  const service = BlobServiceClient.fromConnectionString(connectionString)
  return {
    port,
    blobEndpoint,
    connectionString,
    service,
    connectionStringFor,
    async createContainer(name = `t-${randomBytes(6).toString('hex')}`) {
      await service.getContainerClient(name).create()
      return name
    },
    async stop() {
      await stopChild(child, 'SIGTERM')
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port })
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}
