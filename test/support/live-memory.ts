import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'

setFlagsFromString('--expose-gc')
/** V8's gc(), reachable without starting the worker with --expose-gc. */
const collect = runInNewContext('gc') as () => void

export interface LiveMemoryPeak {
  /** Growth of Buffer/ArrayBuffer memory still referenced, above the baseline (bytes). */
  arrayBuffers: number
  /** Growth of the resident set above the baseline (bytes): includes what the allocator has not returned yet. */
  rss: number
}

/**
 * Samples memory that is still *referenced* while `work` runs: each sample collects garbage first, so
 * the number does not depend on when V8 chose to run its GC or on the machine's load. That is what
 * "flat memory" means for a streaming upload: what it holds at any instant, not what it once allocated.
 */
export async function peakLiveMemory<T>(work: () => Promise<T>, everyMs = 100): Promise<{ result: T; peak: LiveMemoryPeak }> {
  collect()
  const baseline = process.memoryUsage()
  const peak: LiveMemoryPeak = { arrayBuffers: 0, rss: 0 }
  const sample = (): void => {
    collect()
    const now = process.memoryUsage()
    peak.arrayBuffers = Math.max(peak.arrayBuffers, now.arrayBuffers - baseline.arrayBuffers)
    peak.rss = Math.max(peak.rss, now.rss - baseline.rss)
  }
  const timer = setInterval(sample, everyMs)
  try {
    const result = await work()
    sample()
    return { result, peak }
  } finally {
    clearInterval(timer)
  }
}
