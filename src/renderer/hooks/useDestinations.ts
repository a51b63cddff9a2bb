import { useCallback, useEffect, useRef, useState } from 'react'
import type { ChannelInput, ChannelOutput, Result } from '../../shared/contract'
import type { DestinationView } from '../../shared/destination-model'
import type { ErrorInfo } from '../../shared/errors'
import { api } from '../api'
import { useLiveQuery } from './useLiveQuery'

export interface DestinationsState {
  destinations: DestinationView[]
  loading: boolean
  error: ErrorInfo | null
  reload(): void
}

/** The built-in "local" and the saved destinations, reloaded whenever any client changes them. */
export function useDestinations(): DestinationsState {
  const { data, error, reload } = useLiveQuery(() => api.destinations.list(), ['destinations.changed'])
  return { destinations: data ?? [], loading: data === null && error === null, error, reload }
}

export type CallState<T> = { status: 'idle' } | { status: 'running' } | { status: 'done'; result: Result<T> }

export interface LatestCall<I, T> {
  state: CallState<T>
  run(input: I): void
  reset(): void
}

/** One call at a time per caller; a late answer to an older call (settings since changed) is ignored. */
function useLatestCall<I, T>(call: (input: I) => Promise<Result<T>>): LatestCall<I, T> {
  const [state, setState] = useState<CallState<T>>({ status: 'idle' })
  const generation = useRef(0)
  const latestCall = useRef(call)
  useEffect(() => {
    latestCall.current = call
  })
  const run = useCallback((input: I) => {
    const mine = ++generation.current
    setState({ status: 'running' })
    void latestCall.current(input).then((result) => {
      if (generation.current === mine) setState({ status: 'done', result })
    })
  }, [])
  const reset = useCallback(() => {
    generation.current++
    setState({ status: 'idle' })
  }, [])
  return { state, run, reset }
}

export type DestinationTestState = CallState<ChannelOutput<'destinations.test'>>
export type ScanState = CallState<ChannelOutput<'destinations.scan'>>
export type HostKeyState = CallState<ChannelOutput<'destinations.hostKey'>>

/** "Test": a saved destination by name, or the form's draft (config and typed secrets). */
export const useDestinationTest = (): LatestCall<ChannelInput<'destinations.test'>, ChannelOutput<'destinations.test'>> => useLatestCall((input) => api.destinations.test(input))

/** "Scan": re-index the backups whose manifests are at a destination. */
export const useDestinationScan = (): LatestCall<ChannelInput<'destinations.scan'>, ChannelOutput<'destinations.scan'>> => useLatestCall((input) => api.destinations.scan(input))

/** "Fetch host key": the SSH server's fingerprint, for the user to compare and accept. */
export const useHostKeyFetch = (): LatestCall<ChannelInput<'destinations.hostKey'>, ChannelOutput<'destinations.hostKey'>> => useLatestCall((input) => api.destinations.hostKey(input))
