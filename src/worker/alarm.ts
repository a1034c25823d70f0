// The pause of a background loop that polls the database: a pub/sub message on its topic (or a stop) ends the pause
// at once, so new work starts without waiting for the next poll.
import type { PubSub } from '../pubsub/pubsub.ts'

export interface Alarm {
  /** Waits `ms`, or less if woken. */
  sleep(ms: number): Promise<void>
  /** Ends the current pause, if any. */
  wake(): void
  /** Stops listening to the topic. */
  close(): void
}

/** An alarm woken by every message on `topic`. */
export function alarmOn(pubsub: PubSub, topic: string): Alarm {
  let wake: (() => void) | undefined
  const close = pubsub.subscribe(topic, () => wake?.())
  return {
    sleep: (ms) => new Promise<void>((resolve) => {
      const t = setTimeout(() => done(), ms)
      const done = () => { clearTimeout(t); wake = undefined; resolve() }
      wake = done
    }),
    wake: () => wake?.(),
    close,
  }
}
