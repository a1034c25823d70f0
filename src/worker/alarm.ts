// The pause of a background loop that polls the database: a pub/sub message on its topic (or a stop) ends the pause
// at once, so new work starts without waiting for the next poll.
import type { Logger } from '../logger.ts'
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

export interface PollLoop {
  /** True once `stop` was called. */
  readonly stopping: boolean
  /** Starts the next turn now, if the loop is pausing. */
  wake(): void
  /** Ends the loop after its current turn. */
  stop(): Promise<void>
}

/**
 * Runs `turn` again and again: at once when it returns true (more work waits), else after `pollMs` or a message on
 * `topic`. A failing turn is logged (`what`) and the loop goes on.
 */
export function pollLoop(pubsub: PubSub, topic: string, o: { pollMs: number; log: Logger; what: string }, turn: () => Promise<boolean | void>): PollLoop {
  const alarm = alarmOn(pubsub, topic)
  let stopping = false
  const looping = (async () => {
    // First turn after this function returns, so that a turn may use the caller's variable holding the loop.
    await Promise.resolve()
    while (!stopping) {
      try {
        if (await turn()) continue
      } catch (err) {
        if (!stopping) o.log.warn({ err: (err as Error).message }, `${o.what} error`)
      }
      await alarm.sleep(o.pollMs)
    }
  })()
  return {
    get stopping() {
      return stopping
    },
    wake: () => alarm.wake(),
    async stop() {
      stopping = true
      alarm.close()
      alarm.wake()
      await looping
    },
  }
}
