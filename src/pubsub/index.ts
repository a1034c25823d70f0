import type { Config } from '../config.ts'
import type { Logger } from '../logger.ts'
import { createMemoryPubSub } from './memory.ts'
import type { PubSub } from './pubsub.ts'
import { createRedisPubSub } from './redis.ts'

/** Redis when REDIS_URL is set, otherwise in memory. */
export const createPubSub = (config: Config, logger: Logger): PubSub =>
  config.redis.url ? createRedisPubSub(config.redis.url, logger) : createMemoryPubSub()
