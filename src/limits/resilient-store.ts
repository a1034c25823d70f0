// What a rate limit does while its shared store (Redis) is down. Every call still tries the primary first: ioredis
// reconnects in the background and a disconnected client fails at once, so recovery needs no restart and costs
// nothing while the outage lasts.
import { serviceUnavailable } from '../errors.ts'
import type { Logger } from '../logger.ts'
import { createMemoryLimitStore } from './memory-store.ts'
import { LimiterUnavailableError, type LimitStore } from './store.ts'

export interface ResilientStoreOptions {
  /**
   * `fail-closed` refuses with SERVICE_UNAVAILABLE (for abuse-sensitive limits such as login throttling);
   * `fail-open` keeps limiting per process from memory (each process then admits up to `limit` on its own).
   */
  onUnavailable: 'fail-closed' | 'fail-open'
  /** Answers during an outage when failing open (default: a new in-memory store); unused when failing closed. */
  fallback?: LimitStore
  logger: Pick<Logger, 'warn' | 'info'>
}

/** Wraps `primary` so an unavailable store fails open or closed as configured; owns (and closes) both stores. */
export function createResilientStore(primary: LimitStore, opts: ResilientStoreOptions): LimitStore {
  const fallback = opts.onUnavailable === 'fail-open' ? (opts.fallback ?? createMemoryLimitStore()) : undefined
  // One log line per outage and one per recovery, not one per request.
  let outage = false

  const run = async <T>(use: (store: LimitStore) => Promise<T>): Promise<T> => {
    try {
      const result = await use(primary)
      if (outage) {
        outage = false
        opts.logger.info({ store: primary.kind }, 'rate-limit store available again')
      }
      return result
    } catch (err) {
      if (!(err instanceof LimiterUnavailableError)) throw err
      if (!outage) {
        outage = true
        opts.logger.warn({ err: err.message, onUnavailable: opts.onUnavailable }, `rate-limit store unavailable; failing ${opts.onUnavailable === 'fail-open' ? 'open (per-process memory limits)' : 'closed'}`)
      }
      if (!fallback) throw serviceUnavailable(1)
      return use(fallback)
    }
  }

  return {
    kind: primary.kind,
    consume: (key, limit, windowMs, cost) => run((s) => s.consume(key, limit, windowMs, cost)),
    peek: (key, limit, windowMs) => run((s) => s.peek(key, limit, windowMs)),
    ready: (timeoutMs) => primary.ready(timeoutMs),
    consumeAll: (rules, cost) => run((s) => s.consumeAll(rules, cost)),
    async close() {
      await Promise.all([primary.close(), fallback?.close()])
    },
  }
}
