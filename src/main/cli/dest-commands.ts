import { resolve } from 'node:path'
import type { Command } from 'commander'
import { DESTINATION_TYPES, destinationConfigSchema, sshFingerprintSchema, type DestinationConfig, type DestinationConfigInput, type DestinationSecrets, type DestinationView } from '../../shared/destination-model'
import { AppError } from '../../shared/errors'
import { fetchHostKeyFingerprint } from '../core/destinations/sftp/sftp-destination'
import { formatTable, secretFromEnv } from './cli-values'
import { EXIT, usageError, type CliIo } from './io'
import type { CommandContext, CommandRunner } from './run'

interface DestFlags {
  type?: string
  path?: string
  bucket?: string
  prefix?: string
  endpoint?: string
  region?: string
  forcePathStyle?: boolean
  accessKeyEnv?: string
  secretKeyEnv?: string
  container?: string
  connectionStringEnv?: string
  ssh?: string
  sshKey?: string
  passwordEnv?: string
  keyPassphraseEnv?: string
  acceptHostKey?: string
  verify?: boolean
}

/** Schema field -> the flag a user typed. */
const FLAG_FOR_FIELD: Record<string, string> = {
  name: 'NAME',
  type: '--type',
  path: '--path',
  bucket: '--bucket',
  prefix: '--prefix',
  endpoint: '--endpoint',
  region: '--region',
  container: '--container',
  host: '--ssh',
  port: '--ssh',
  user: '--ssh',
  privateKeyPath: '--ssh-key',
  hostKey: '--accept-host-key',
  'secrets.secretAccessKey': '--secret-key-env',
  'secrets.connectionString': '--connection-string-env',
  'config.privateKeyPath': '--ssh-key',
}

function mapDestError(e: unknown): unknown {
  if (!(e instanceof AppError) || e.code !== 'VALIDATION' || !e.field) return e
  const flag = FLAG_FOR_FIELD[e.field.replace(/^(destination\.)?config\./, '')] ?? FLAG_FOR_FIELD[e.field]
  return flag ? usageError(flag, e.message.replace(/^[\w.]+: /, '')) : e
}

/** "backup@nas.lan:2222" -> user, host, port (IPv6 in brackets: "u@[::1]:22"). */
function parseSshTarget(value: string): { user: string; host: string; port: number } {
  const m = /^([^@\s]+)@(\[[^\]]+\]|[^:\s]+)(?::(\d+))?$/.exec(value)
  if (!m) throw usageError('--ssh', `expected USER@HOST[:PORT] (got ${JSON.stringify(value)})`)
  return { user: m[1]!, host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : 22 }
}

function withDestFlags(cmd: Command): Command {
  return cmd
    .option('--type <type>', DESTINATION_TYPES.join('|'))
    .option('--path <dir>', 'local: the folder; sftp: the folder on the server')
    .option('--bucket <name>', 's3: the bucket')
    .option('--prefix <p>', 's3/azure: a key prefix ("folder") inside the bucket or container')
    .option('--endpoint <url>', 's3: an S3-compatible endpoint (R2, MinIO, Wasabi…)')
    .option('--region <r>', 's3: the region (default us-east-1)')
    .option('--force-path-style', 's3: bucket in the URL path (MinIO and most self-hosted S3s)')
    .option('--access-key-env <var>', 's3: access key id from this environment variable')
    .option('--secret-key-env <var>', 's3: secret access key from this environment variable')
    .option('--container <name>', 'azure: the blob container')
    .option('--connection-string-env <var>', 'azure: the storage account connection string, from this variable')
    .option('--ssh <user@host[:port]>', 'sftp: the server')
    .option('--ssh-key <path>', 'sftp: private key file')
    .option('--password-env <var>', 'sftp: password from this environment variable')
    .option('--key-passphrase-env <var>', 'sftp: the private key’s passphrase from this variable')
    .option('--accept-host-key <SHA256:…>', 'sftp: the server host key fingerprint you checked (trust on first use)')
    .option('--no-verify', 'save without testing the connection first')
}

function configFromFlags(flags: DestFlags, io: CliIo, existing?: DestinationConfig): DestinationConfigInput {
  const type = flags.type ?? existing?.type
  if (!type) throw usageError('--type', `required: ${DESTINATION_TYPES.join('|')}`)
  if (existing && flags.type && flags.type !== existing.type) throw usageError('--type', `a destination keeps its type (${existing.type}); add a new one instead`)
  const base = (existing ?? {}) as Record<string, unknown>
  const pick = <T>(flag: T | undefined, key: string): T | undefined => flag ?? (base[key] as T | undefined)
  switch (type) {
    case 'local':
      return { type, path: flags.path ? resolve(io.cwd, flags.path) : (base.path as string) }
    case 's3':
      return { type, bucket: pick(flags.bucket, 'bucket')!, prefix: pick(flags.prefix, 'prefix'), endpoint: pick(flags.endpoint, 'endpoint'), region: pick(flags.region, 'region'), forcePathStyle: pick(flags.forcePathStyle, 'forcePathStyle') }
    case 'azure':
      return { type, container: pick(flags.container, 'container')!, prefix: pick(flags.prefix, 'prefix') }
    case 'sftp': {
      const target = flags.ssh ? parseSshTarget(flags.ssh) : { user: base.user as string, host: base.host as string, port: base.port as number }
      return { type, ...target, path: pick(flags.path, 'path')!, privateKeyPath: flags.sshKey ? resolve(io.cwd, flags.sshKey) : (base.privateKeyPath as string | undefined), hostKey: pick(flags.acceptHostKey, 'hostKey')! }
    }
    default:
      throw usageError('--type', `expected ${DESTINATION_TYPES.join('|')} (got ${JSON.stringify(type)})`)
  }
}

function secretsFromFlags(flags: DestFlags, io: CliIo): DestinationSecrets {
  const secrets: DestinationSecrets = {}
  if (flags.accessKeyEnv !== undefined) secrets.accessKeyId = secretFromEnv('--access-key-env', flags.accessKeyEnv, io)
  if (flags.secretKeyEnv !== undefined) secrets.secretAccessKey = secretFromEnv('--secret-key-env', flags.secretKeyEnv, io)
  if (flags.connectionStringEnv !== undefined) secrets.connectionString = secretFromEnv('--connection-string-env', flags.connectionStringEnv, io)
  if (flags.passwordEnv !== undefined) secrets.password = secretFromEnv('--password-env', flags.passwordEnv, io)
  if (flags.keyPassphraseEnv !== undefined) secrets.keyPassphrase = secretFromEnv('--key-passphrase-env', flags.keyPassphraseEnv, io)
  return secrets
}

/**
 * Trust on first use, the OpenSSH way: without --accept-host-key we show the server's fingerprint and
 * stop; with it, the server must present exactly that key.
 */
async function pinHostKey(config: DestinationConfigInput, flags: DestFlags): Promise<void> {
  if (config.type !== 'sftp') return
  const port = Number(config.port ?? 22)
  const seen = await fetchHostKeyFingerprint(config.host, port, { timeoutMs: 15_000 })
  if (!flags.acceptHostKey) {
    throw usageError('--accept-host-key', `the host key of ${config.host}:${port} is ${seen}; check it with the server's administrator (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server) and run again with --accept-host-key ${seen}`)
  }
  if (!sshFingerprintSchema.safeParse(flags.acceptHostKey).success) throw usageError('--accept-host-key', `expected SHA256:… as ssh-keygen -lf prints it (got ${JSON.stringify(flags.acceptHostKey)})`)
  if (seen !== flags.acceptHostKey) throw new AppError('DESTINATION_FAILED', `the host key of ${config.host}:${port} is ${seen}, not ${flags.acceptHostKey}: refusing to trust it`)
}

function parseConfig(input: DestinationConfigInput): DestinationConfig {
  const parsed = destinationConfigSchema.safeParse(input)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.join('.')
    throw usageError(FLAG_FOR_FIELD[field] ?? field, issue.message)
  }
  return parsed.data
}

async function save({ core, io, out }: CommandContext, name: string, flags: DestFlags, existing?: DestinationView): Promise<number> {
  const input = configFromFlags(flags, io, existing?.config)
  if (!existing || flags.acceptHostKey !== undefined) await pinHostKey(input, flags)
  const config = parseConfig(input)
  const secrets = secretsFromFlags(flags, io)
  if (flags.verify !== false) {
    const test = await core.destinations.test(existing ? { name, config, secrets } : { config, secrets }).catch((e: unknown) => {
      throw mapDestError(e)
    })
    if (!test.ok) {
      out.error({ code: 'DESTINATION_FAILED', message: `not saved: the connection test failed: ${test.message} (--no-verify saves anyway)` }, { test })
      return EXIT.failed
    }
  }
  const saved = await (existing ? core.destinations.update(name, config, secrets) : core.destinations.create(name, config, secrets)).catch((e: unknown) => {
    throw mapDestError(e)
  })
  out.result(saved, `${existing ? 'Updated' : 'Added'} destination "${saved.name}": ${saved.location}`)
  return EXIT.ok
}

export function registerDestCommands(program: Command, run: CommandRunner): void {
  const dest = program.command('dest').description('where backups are stored: local folders, S3 (and compatibles), Azure Blob, SFTP')

  withDestFlags(dest.command('add <NAME>').description('add a destination (tested before it is saved)')).action((name: string, flags: DestFlags) =>
    run(async (ctx) => {
      if (!flags.type) throw usageError('--type', `required: ${DESTINATION_TYPES.join('|')}`)
      return save(ctx, name, flags)
    }),
  )

  withDestFlags(dest.command('edit <NAME>').description('change a destination’s settings or credentials')).action((name: string, flags: DestFlags) =>
    run(async (ctx) => save(ctx, name, flags, ctx.core.destinations.get(name))),
  )

  dest
    .command('list')
    .description('list destinations')
    .action(() =>
      run(async ({ core, out }) => {
        const all = core.destinations.list()
        const rows = [['NAME', 'TYPE', 'LOCATION', 'CREDENTIALS']]
        for (const d of all) rows.push([d.name + (d.builtIn ? ' (built in)' : ''), d.config.type, d.location, d.secrets.length ? d.secrets.join(', ') : '-'])
        out.result(all, formatTable(rows))
        return EXIT.ok
      }),
    )

  dest
    .command('test <NAME>')
    .description('list, write and delete a probe at the destination')
    .action((name: string) =>
      run(async ({ core, out }) => {
        const result = await core.destinations.test({ name })
        if (!result.ok) {
          out.error({ code: 'DESTINATION_FAILED', message: result.message }, result)
          return EXIT.failed
        }
        out.result(result, `ok: ${result.message} (${result.latencyMs} ms)`)
        return EXIT.ok
      }),
    )

  dest
    .command('remove <NAME>')
    .description('remove a destination (refused while jobs use it or it holds backups)')
    .action((name: string) =>
      run(async ({ core, out }) => {
        await core.destinations.remove(name)
        out.result({ removed: name }, `Removed destination "${name}"`)
        return EXIT.ok
      }),
    )

  dest
    .command('scan <NAME>')
    .description('re-index backups from the manifests found at the destination')
    .action((name: string) =>
      run(async ({ core, out }) => {
        const r = await core.scan(name, 'cli')
        const lines = [`${r.destination}: ${r.manifests} manifest(s), ${r.added.length} backup(s) added, ${r.copiesAdded.length} copy(ies) added, ${r.alreadyKnown} already known`]
        for (const s of r.skipped) lines.push(`  skipped ${s.file}: ${s.reason}`)
        out.result(r, lines.join('\n'))
        return EXIT.ok
      }),
    )
}
