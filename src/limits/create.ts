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
  if (!config.redis.url) return createMemoryLimitStore({ now: opts.now })
  return createResilientStore(createRedisLimitStore(config.redis.url, logger, { now: opts.now }), {
    onUnavailable: config.redis.onUnavailable,
    fallback: config.redis.onUnavailable === 'fail-open' ? createMemoryLimitStore({ now: opts.now }) : undefined,
    logger,
  })
}
