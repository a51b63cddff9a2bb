import type { AppEvent } from '../../../shared/events'

export interface EventBus {
  emit(event: AppEvent): void
  subscribe(listener: (event: AppEvent) => void): () => void
}

export function createEventBus(): EventBus {
  const listeners = new Set<(event: AppEvent) => void>()
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event)
        } catch {
          // one broken subscriber (a closed window) must not stop the others
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
