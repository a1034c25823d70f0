// ioredis connections tuned to fail fast: during an outage commands reject at once instead of queueing, so callers
// (limiter, pub/sub) can degrade deliberately. Reconnection continues in the background.
import { SpanKind } from '@opentelemetry/api'
import { Redis, type RedisOptions } from 'ioredis'
import type { Logger } from './logger.ts'
import { failSpan, tracer, tracingEnabled } from './telemetry.ts'

interface Tracked {
  name: string
  redis: Redis
}
const live = new Set<Tracked>()

/** Every Redis connection of this process still in use, with its state (for the redis_connection_up metric). */
export const redisConnections = () => [...live].map((c) => ({ name: c.name, status: c.redis.status }))

const reconnections = new Map<string, number>()
/** How often each kind of connection became ready again after losing its link (redis_reconnections_total). */
export const redisReconnections = () => [...reconnections]

export function createRedis(url: string, name: string, logger: Logger, overrides: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    connectionName: `agent-platform:${name}`,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    // Reclaims commands a blackholed Redis never answers; callers on a request path bound them tighter (withDeadline).
    commandTimeout: 1_000,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2_000),
    ...overrides,
  })
  if (tracingEnabled()) traceCommands(redis, name)
  const tracked = { name, redis }
  live.add(tracked)
  redis.on('end', () => live.delete(tracked))
  let down = false
  redis.on('error', (err) => {
    if (!down) logger.warn({ err: err.message, connection: name }, 'redis connection error')
    down = true
  })
  // A link the server closed (CLIENT KILL, a restart, an idle timeout) ends without an error: count it on return.
  let connected = false
  redis.on('ready', () => {
    if (down) logger.info({ connection: name }, 'redis connection restored')
    if (connected) reconnections.set(name, (reconnections.get(name) ?? 0) + 1)
    down = false
    connected = true
  })
  return redis
}

/** Every command as a client span named after it (OpenTelemetry database conventions); keys and values are not recorded. */
function traceCommands(redis: Redis, connection: string) {
  const send = redis.sendCommand.bind(redis)
  redis.sendCommand = (command, stream) => {
    const operation = command.name.toUpperCase()
    const span = tracer().startSpan(operation, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system.name': 'redis', 'db.system': 'redis', 'db.operation.name': operation, 'agent_platform.redis.connection': connection },
    })
    command.promise.then(() => span.end(), (e: unknown) => {
      failSpan(span, e)
      span.end()
    })
    return send(command, stream)
  }
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

/** The deadline of every Redis command on a request path: the documented 200 ms promise, with margin. */
export const REDIS_DEADLINE_MS = 180

/**
 * Settles like `work`, or rejects with `onTimeout()` after `ms`. Checked after the event loop has read pending
 * sockets: when the process itself stalled (a CPU-bound moment), a reply that arrived meanwhile wins over the timer
 * that expired meanwhile, so a busy process is not mistaken for a Redis outage.
 */
export async function withDeadline<T>(work: Promise<T>, onTimeout: () => Error, ms = REDIS_DEADLINE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    // setImmediate runs after the poll phase: a reply already in the socket settles `work` first.
    timer = setTimeout(() => setImmediate(() => reject(onTimeout())), ms)
  })
  work.catch(() => {}) // a late failure after the deadline is not an unhandled rejection
  try {
    return await Promise.race([work, deadline])
  } finally {
    clearTimeout(timer)
  }
}
