import { useCallback, useRef, useState } from 'react'
import type { ChannelInput, Result } from '../../shared/contract'
import type { ConnectionTestResult } from '../../shared/model'
import { api } from '../api'

export type TestState = { status: 'idle' } | { status: 'running' } | { status: 'done'; result: Result<ConnectionTestResult> }

/** One connection test at a time per caller; a late answer to an older test is ignored. */
export function useConnectionTest(): { state: TestState; run(input: ChannelInput<'profiles.test'>): void; reset(): void } {
  const [state, setState] = useState<TestState>({ status: 'idle' })
  const generation = useRef(0)
  const run = useCallback((input: ChannelInput<'profiles.test'>) => {
    const mine = ++generation.current
    setState({ status: 'running' })
    void api.profiles.test(input).then((result) => {
      if (generation.current === mine) setState({ status: 'done', result })
    })
  }, [])
  const reset = useCallback(() => {
    generation.current++
    setState({ status: 'idle' })
  }, [])
  return { state, run, reset }
}
