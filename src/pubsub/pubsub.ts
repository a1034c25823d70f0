// One pub/sub interface over Redis (several processes) or memory (embedded). It carries wake-ups only: durable state
// lives in PostgreSQL, so publish and subscribe degrade (log, report unhealthy) instead of failing callers.

export type Listener = (payload: unknown) => void

export interface PubSub {
  readonly kind: 'redis' | 'memory'
  /** Best effort; resolves false when the message could not be handed to the broker. */
  publish(topic: string, payload: unknown): Promise<boolean>
  /** Starts delivering `topic` to `listener`; returns the function that stops it. Never throws. */
  subscribe(topic: string, listener: Listener): () => void
  /**
   * Which connection of the subscriber delivers messages now: a number that changes on every reconnection, or
   * undefined while disconnected. State kept fresh by messages (a cache invalidated by them) is only valid within
   * one such connection, since messages published meanwhile are lost.
   */
  subscriberEpoch(): number | undefined
  /** Rejects when the broker does not answer (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}
