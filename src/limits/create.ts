import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { createMemoryLimitStore } from './memory-store.ts'
import { createRedisLimitStore } from './redis-store.ts'
import { createResilientStore } from './resilient-store.ts'
import type { LimitStore } from './store.ts'

/** Redis (shared by all processes, failing open or closed as configured) when REDIS_URL is set, else memory. */
export function createLimitStore(config: Config, logger: Logger): LimitStore {
  if (!config.redis.url) return createMemoryLimitStore()
  return createResilientStore(createRedisLimitStore(config.redis.url, logger), { onUnavailable: config.redis.onUnavailable, logger })
}
