import type { Clock } from '../../src/main/core/scheduler/clock'

interface Timer {
  at: number
  seq: number
  fn: () => void
}

/** Lets promises chained on a fired timer (a run ending, the next queued run starting) settle. */
async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/**
 * Time that moves only when a test moves it. Timers fire in time order (ties in the order they were
 * set), with now() at each timer's time; a timer set for the past fires on the next advance.
 */
export class FakeClock implements Clock {
  private t: number
  private seq = 0
  private timers: Timer[] = []

  constructor(start: Date | string) {
    this.t = new Date(start).getTime()
  }

  now(): Date {
    return new Date(this.t)
  }

  setTimer(at: Date, fn: () => void): () => void {
    const timer: Timer = { at: at.getTime(), seq: this.seq++, fn }
    this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter((x) => x !== timer)
    }
  }

  /** Timers not yet fired. */
  get pending(): number {
    return this.timers.length
  }

  /** Jumps without firing anything (the machine was asleep); timers that passed fire on the next advance. */
  set(date: Date | string): void {
    this.t = new Date(date).getTime()
  }

  async advanceTo(date: Date | string): Promise<void> {
    const target = new Date(date).getTime()
    for (;;) {
      const next = this.timers.filter((x) => x.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!next) break
      this.timers = this.timers.filter((x) => x !== next)
      this.t = Math.max(this.t, next.at)
      next.fn()
      await flush()
    }
    this.t = Math.max(this.t, target)
    await flush()
  }

  advance(ms: number): Promise<void> {
    return this.advanceTo(new Date(this.t + ms))
  }
}
