import { describe, expectTypeOf, it } from 'vitest'
import type { Channel } from '../../src/shared/channels'
import type { ChannelInput, ChannelOutput, Handlers, LifeboatApi, Result } from '../../src/shared/contract'
import type { buildApi } from '../../src/shared/api-shape'
import type { createHandlers } from '../../src/main/core/handlers'
import type { api } from '../../src/renderer/api'
import type { ConnectionTestResult, Profile } from '../../src/shared/model'

/**
 * Pins preload, main handlers and the renderer api to the one contract map: if any of them drifts
 * (a channel added in one place only, a changed input or output), this file stops compiling.
 */
describe('the contract types', () => {
  it('main handlers implement exactly the contract', () => {
    expectTypeOf<ReturnType<typeof createHandlers>>().toEqualTypeOf<Handlers>()
    expectTypeOf<keyof Handlers>().toEqualTypeOf<Channel>()
    expectTypeOf<Handlers['profiles.list']>().returns.resolves.toEqualTypeOf<Profile[]>()
  })

  it('the preload builds the api type from the same map', () => {
    expectTypeOf<ReturnType<typeof buildApi>>().toEqualTypeOf<LifeboatApi>()
  })

  it('the renderer api is that same type', () => {
    expectTypeOf<typeof api>().toEqualTypeOf<LifeboatApi>()
  })

  it('calls carry the contract input and the enveloped output', () => {
    expectTypeOf<LifeboatApi['profiles']['test']>().parameter(0).toEqualTypeOf<ChannelInput<'profiles.test'>>()
    expectTypeOf<LifeboatApi['profiles']['test']>().returns.resolves.toEqualTypeOf<Result<ConnectionTestResult>>()
    expectTypeOf<LifeboatApi['profiles']['list']>().returns.resolves.toEqualTypeOf<Result<ChannelOutput<'profiles.list'>>>()
  })
})
