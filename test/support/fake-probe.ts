import type { ConnectionProbe } from '../../src/main/core/engines/probe'
import type { ProfileConfig } from '../../src/shared/model'

/** A probe that records what it was asked and answers ok; for tests of everything around the probe. */
export function recordingProbe() {
  const calls: { profile: ProfileConfig; password: string | undefined }[] = []
  const probe: ConnectionProbe = async (profile, password) => {
    calls.push({ profile, password })
    return { ok: true, engine: profile.engine, server: { product: 'Fake', version: '1.0' }, tool: null, durationMs: 1, error: null, warnings: [] }
  }
  return { probe, calls }
}
