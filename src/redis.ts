// ioredis connections tuned to fail fast: during an outage commands reject at once instead of queueing, so callers
// (limiter, pub/sub) can degrade deliberately. Reconnection continues in the background.
import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from './logger.ts'

interface Tracked {
  name: string
  redis: Redis
}
const live = new Set<Tracked>()

/** Every Redis connection of this process still in use, with its state (for the redis_connection_up metric). */
export const redisConnections = () => [...live].map((c) => ({ name: c.name, status: c.redis.status }))

export function createRedis(url: string, name: string, logger: Logger, overrides: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectionName: `agent-platform:${name}`,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: 1_000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    ...overrides,
  })
  const tracked = { name, redis }
  live.add(tracked)
  redis.on('end', () => live.delete(tracked))
  let down = false
  redis.on('error', (err) => {
    if (!down) logger.warn({ err: err.message, connection: name }, 'redis connection error')
    down = true
  })
  redis.on('ready', () => {
    if (down) logger.info({ connection: name }, 'redis connection restored')
    down = false
  })
  return redis
}

/** Resolves true once `redis` is connected, or false after `timeoutMs`. */
export function whenReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true)
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer)
      redis.off('ready', onReady)
      resolve(ok)
    }
    const onReady = () => done(true)
    const timer = setTimeout(() => done(false), timeoutMs)
    redis.once('ready', onReady)
  })
}
