import { z } from 'zod'
import { errorInfoSchema, type ErrorInfo } from './errors'
import {
  appInfoSchema,
  connectionTestResultSchema,
  passwordSchema,
  profileInputSchema,
  profileSchema,
  type AppEvent,
} from './model'
import type { Channel } from './channels'

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
    input: z.object({ profile: profileInputSchema, password: passwordSchema.optional() }).strict(),
    output: profileSchema,
  },
  'profiles.update': {
    input: z
      .object({
        id: z.string().min(1),
        profile: profileInputSchema,
        /** undefined keeps the saved password, null removes it, a string replaces it. */
        password: passwordSchema.nullable().optional(),
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
        .object({ id: z.string().min(1).optional(), profile: profileInputSchema, password: passwordSchema.optional() })
        .strict(),
    ]),
    output: connectionTestResultSchema,
  },
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
