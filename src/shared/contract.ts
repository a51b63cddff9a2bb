import { z } from 'zod'
import { errorInfoSchema, type ErrorInfo } from './errors'
import {
  appInfoSchema,
  connectionTestResultSchema,
  passwordSchema,
  sshSecretSchema,
  profileInputSchema,
  profileSchema,
} from './model'
import type { AppEvent } from './events'
import {
  BACKUP_STATUSES,
  backupOptionsSchema,
  backupSchema,
  tableInfoSchema,
  verifyResultSchema,
} from './backup-model'
import { restorePlanSchema, restoreRequestSchema } from './restore-model'
import { userSettingsPatchSchema, userSettingsSchema } from './settings-model'
import type { Channel } from './channels'
import { activityEntrySchema, activityFilterSchema } from './activity-model'
import { healthSummarySchema } from './health-model'
import { jobInputSchema, jobSchema, jobSecretsSchema, prunePlanSchema, schedulePreviewSchema, scheduleSchema, timeZoneSchema } from './job-model'
import { schedulerStateSchema } from './scheduler-model'
import { destinationConfigSchema, destinationInputSchema, destinationSchema, destinationSecretsSchema, destinationTestResultSchema, scanResultSchema, sshFingerprintSchema } from './destination-model'

const idInput = z.object({ id: z.string().min(1, 'an id is required') }).strict()
const none = z.undefined()

/**
 * The typed contract between renderer and main: channel -> input schema -> output schema.
 * Main validates every input against it (IPC and loopback bridge alike); outputs are plain data.
 */
export const contract = {
  'app.info': { input: none, output: appInfoSchema },

  'profiles.list': { input: none, output: z.array(profileSchema) },
  'profiles.get': { input: idInput, output: profileSchema },
  'profiles.create': {
    input: z.object({ profile: profileInputSchema, password: passwordSchema.optional(), sshSecret: sshSecretSchema.optional(), jumpSecret: sshSecretSchema.optional() }).strict(),
    output: profileSchema,
  },
  'profiles.update': {
    input: z
      .object({
        id: z.string().min(1),
        profile: profileInputSchema,
        /** undefined keeps the saved password, null removes it, a string replaces it. */
        password: passwordSchema.nullable().optional(),
        /** Same rule for the SSH host's and the jump host's password or key passphrase. */
        sshSecret: sshSecretSchema.nullable().optional(),
        jumpSecret: sshSecretSchema.nullable().optional(),
      })
      .strict(),
    output: profileSchema,
  },
  'profiles.remove': { input: idInput, output: z.null() },
  /**
   * Test a saved profile ({ id }), or a draft from the form ({ profile, password? }); a draft of an
   * existing profile ({ id, profile }) falls back to its saved password when none is typed.
   */
  'profiles.test': {
    input: z.union([
      idInput,
      z
        .object({
          id: z.string().min(1).optional(),
          profile: profileInputSchema,
          password: passwordSchema.optional(),
          sshSecret: sshSecretSchema.optional(),
          jumpSecret: sshSecretSchema.optional(),
        })
        .strict(),
    ]),
    output: connectionTestResultSchema,
  },

  /** History, newest first. The UI asks for up to 10,000 rows and virtualises them. */
  'backups.list': {
    input: z
      .object({
        profileId: z.string().optional(),
        status: z.enum(BACKUP_STATUSES).optional(),
        limit: z.number().int().min(1).max(100_000).default(10_000),
      })
      .strict()
      .optional(),
    output: z.array(backupSchema),
  },
  'backups.get': { input: idInput, output: backupSchema },
  /** The live database's tables, for "selected tables". */
  'backups.tables': { input: z.object({ profileId: z.string().min(1) }).strict(), output: z.array(tableInfoSchema) },
  /** Starts a backup and returns at once; progress and the end arrive as events. */
  'backups.run': {
    input: z
      .object({
        profileId: z.string().min(1, 'choose a profile'),
        options: backupOptionsSchema.optional(),
        /** Only with options.encryption.kind = passphrase; used for this run, never stored. */
        passphrase: z.string().min(1).max(1024).optional(),
      })
      .strict(),
    output: z.object({ id: z.string() }),
  },
  'backups.cancel': { input: idInput, output: z.null() },
  /** Re-reads the stored file and recomputes its SHA-256. */
  'backups.verify': { input: idInput, output: verifyResultSchema },
  /** Saves a copy where the user chooses (native save dialog); the renderer only learns the file name. */
  'backups.export': {
    input: idInput,
    output: z.object({ saved: z.boolean(), fileName: z.string(), sizeBytes: z.number().nullable() }),
  },
  /** Deletes every stored copy and the history row; `confirm` must repeat the id. */
  'backups.delete': { input: z.object({ id: z.string().min(1), confirm: z.string() }).strict(), output: z.null() },

  /** The tables inside a backup (from its manifest), for "selected tables" in a restore. */
  'restores.tables': { input: z.object({ backupId: z.string().min(1) }).strict(), output: z.array(tableInfoSchema) },
  /** The dry run: what would happen, the exact commands (secrets masked); changes nothing. */
  'restores.plan': { input: restoreRequestSchema.extend({ confirm: z.string().optional() }), output: restorePlanSchema },
  /** Starts a restore after checking the confirmation; progress and the end arrive as events. */
  'restores.run': { input: restoreRequestSchema, output: z.object({ id: z.string() }) },
  'restores.cancel': { input: idInput, output: z.null() },

  'settings.get': { input: none, output: userSettingsSchema },
  /** Changes only the given settings; returns all of them. */
  'settings.update': { input: userSettingsPatchSchema, output: userSettingsSchema },

  'jobs.list': { input: none, output: z.array(jobSchema) },
  'jobs.get': { input: idInput, output: jobSchema },
  /** Secrets (webhook URLs, encryption passphrase) travel beside the job and are never returned. */
  'jobs.create': { input: z.object({ job: jobInputSchema, secrets: jobSecretsSchema.optional() }).strict(), output: jobSchema },
  'jobs.update': { input: z.object({ id: z.string().min(1), job: jobInputSchema, secrets: jobSecretsSchema.optional() }).strict(), output: jobSchema },
  'jobs.remove': { input: idInput, output: z.null() },
  /** Runs the job now (queued when the concurrency limit is reached); refused while it runs. */
  'jobs.run': { input: idInput, output: z.object({ state: z.enum(['running', 'queued']) }) },
  /** The schedule in words and its next five runs, or why it is invalid (the form calls it as you type). */
  'jobs.preview': { input: z.object({ schedule: scheduleSchema, timeZone: timeZoneSchema }).strict(), output: schedulePreviewSchema },
  /** What retention would delete now, per destination, with a reason per backup; deletes nothing. */
  'jobs.prunePlan': { input: idInput, output: z.array(prunePlanSchema) },
  /** Applies the plan (refused plans delete nothing); returns what was done. */
  'jobs.prune': { input: idInput, output: z.array(prunePlanSchema) },

  /** Health per profile (tray, Dashboard, `lifeboat status`). */
  'status.get': { input: none, output: healthSummarySchema },
  'activity.list': { input: activityFilterSchema.optional(), output: z.array(activityEntrySchema) },
  /** Who runs the schedules for this data dir (this app, a `lifeboat daemon`, nobody) and whether paused. */
  'scheduler.state': { input: none, output: schedulerStateSchema },

  /** The built-in "local" first, then the saved ones; credentials are never returned, only their names. */
  'destinations.list': { input: none, output: z.array(destinationSchema) },
  'destinations.create': { input: z.object({ destination: destinationInputSchema, secrets: destinationSecretsSchema.optional() }).strict(), output: destinationSchema },
  /** Names never change (history and jobs refer to them); the settings and credentials may. */
  'destinations.update': { input: z.object({ name: z.string().min(1), config: destinationConfigSchema, secrets: destinationSecretsSchema.optional() }).strict(), output: destinationSchema },
  'destinations.remove': { input: z.object({ name: z.string().min(1) }).strict(), output: z.null() },
  /** A saved destination ({ name }) or a draft from the form ({ config, secrets?, name? }): list, write, delete. */
  'destinations.test': {
    input: z.union([z.object({ name: z.string().min(1) }).strict(), z.object({ name: z.string().min(1).optional(), config: destinationConfigSchema, secrets: destinationSecretsSchema.optional() }).strict()]),
    output: destinationTestResultSchema,
  },
  /** The SSH server's host key fingerprint, shown to the user to accept before it is pinned. */
  'destinations.hostKey': { input: z.object({ host: z.string().min(1).max(253), port: z.number().int().min(1).max(65535) }).strict(), output: z.object({ fingerprint: sshFingerprintSchema }) },
  /** Re-indexes backups from the manifests found at a destination (a new machine, a shared bucket). */
  'destinations.scan': { input: z.object({ name: z.string().min(1) }).strict(), output: scanResultSchema },
} as const satisfies Record<Channel, { input: z.ZodType; output: z.ZodType }>

// A channel named in CHANNELS but missing here (or the reverse) fails to compile.
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
export const contractMatchesChannels: Exact<keyof typeof contract, Channel> = true

export type Contract = typeof contract
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo }
export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [z.object({ ok: z.literal(true), value }), z.object({ ok: z.literal(false), error: errorInfoSchema })])

/** A server-side implementation of every channel: takes parsed input, returns (or throws AppError). */
export type Handlers = { [C in Channel]: (input: ChannelParsedInput<C>) => Promise<ChannelOutput<C>> }

type Domain = Channel extends `${infer D}.${string}` ? D : never
type Call<C extends Channel> = undefined extends ChannelInput<C>
  ? (input?: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>
  : (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>

/** What the renderer sees as `window.lifeboat`: lifeboat.profiles.list(), lifeboat.onEvent(cb)... */
export type LifeboatApi = {
  readonly [D in Domain]: { readonly [C in Channel as C extends `${D}.${infer M}` ? M : never]: Call<C> }
} & {
  /** Subscribe to pushed events; returns the unsubscribe function. */
  onEvent(listener: (event: AppEvent) => void): () => void
}
