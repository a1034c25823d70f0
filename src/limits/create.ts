import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { createMemoryLimitStore } from './memory-store.ts'
import { createRedisLimitStore } from './redis-store.ts'
import { createResilientStore } from './resilient-store.ts'
import type { LimitStore } from './store.ts'

/**
 * Redis (shared by all processes, failing open or closed as configured) when REDIS_URL is set, else memory.
 * `now` (epoch ms) places window boundaries; tests inject it.
 */
export function createLimitStore(config: Config, logger: Logger, opts: { now?: () => number } = {}): LimitStore {
  return createLimitStores(config, logger, opts).limits
}

/**
 * The limit store as configured, and its view for admitting streams: the same shared windows, but failing open
 * (per-process memory) whatever REDIS_UNAVAILABLE says. A subscription only reads the durable log, and the open
 * subscriptions per caller are counted exactly in each process anyway, so Redis being down must not stop streams.
 */
export function createLimitStores(config: Config, logger: Logger, opts: { now?: () => number } = {}): { limits: LimitStore; streamLimits: LimitStore } {
  if (!config.redis.url) {
    const memory = createMemoryLimitStore({ now: opts.now })
    return { limits: memory, streamLimits: memory }
  }
  const primary = createRedisLimitStore(config.redis.url, logger, { now: opts.now })
  const failOpen = () => createResilientStore(primary, { onUnavailable: 'fail-open', fallback: createMemoryLimitStore({ now: opts.now }), logger })
  if (config.redis.onUnavailable === 'fail-open') {
    const limits = failOpen()
    return { limits, streamLimits: limits }
  }
  return { limits: createResilientStore(primary, { onUnavailable: 'fail-closed', logger }), streamLimits: failOpen() }
}
