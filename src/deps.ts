// Builds the long-lived dependencies shared by the server and the standalone worker, and releases them.
import { setMaxListeners } from 'node:events'
import { createMemoryDenylist, createRedisDenylist } from './auth/denylist.ts'
import { loadSigning } from './auth/keys.ts'
import { createPrincipalCache } from './auth/principal-cache.ts'
import type { Config } from './config.ts'
import type { AppDeps } from './services/session.ts'
import { openDatabase, type DatabaseOptions } from './db/client.ts'
import { Feeds } from './events/feed.ts'
import { LogCache } from './events/log-cache.ts'
import { createLimitStores } from './limits/create.ts'
import { createPlanCache } from './limits/plans.ts'
import { createRequestLimiter } from './limits/requests.ts'
import { createMetrics } from './metrics.ts'
import { createLlmRegistry } from './llm/registry.ts'
import { createLogger, type Logger } from './logger.ts'
import { createPubSub } from './pubsub/index.ts'
import { queueStats } from './services/runs/queue-stats.ts'
import { RunWaiters } from './services/runs/waiters.ts'
import { createRedis, whenReady } from './redis.ts'
import { createSecretBox } from './tools/secret-box.ts'
import { createTracing, type Tracing, type TracingOptions } from './tracing.ts'

const redisBootWaitMs = 5_000

export interface DepsOptions extends TracingOptions {
  logger?: Logger
  database?: DatabaseOptions
  /** Epoch milliseconds for rate-limit windows and quota periods (tests place boundaries exactly). */
  clock?: () => number
}

/** Opens the database (migrating it), Redis connections and the rest; `close` releases them in order. */
export async function buildDeps(config: Config, opts: DepsOptions = {}): Promise<{ deps: AppDeps; tracing: Tracing; endRequests(): void; close(): Promise<void> }> {
  const logger = opts.logger ?? createLogger(config)
  // First, so that the database and Redis connections opened below are traced.
  const tracing = await createTracing(config, logger, opts)
  const clock = opts.clock ?? Date.now
  const metrics = createMetrics()
  const { keys, serverSecret } = await loadSigning(config, logger)
  const db = await openDatabase(config, logger, opts.database)
  metrics.trackDatabase(() => db.poolStats())
  const pubsub = createPubSub(config, logger)
  const { limits, streamLimits } = createLimitStores(config, logger, { now: clock })
  const plans = createPlanCache(db, { ttlMs: config.limits.planCacheMs, now: clock })
  const requestLimiter = createRequestLimiter({ config, limits, plans, metrics })
  const authRedis = config.redis.url ? createRedis(config.redis.url, 'auth', logger) : undefined
  const denylist = authRedis ? createRedisDenylist(authRedis, config.redis.onUnavailable, logger) : createMemoryDenylist()
  const llm = createLlmRegistry(config.llm)
  const principals = createPrincipalCache(pubsub, logger, { ttlMs: config.auth.principalCacheSeconds * 1000 })
  // Serve only once the stores that fail closed can answer (or say why not): a request in the first milliseconds
  // must not be refused because a connection is still being made.
  const ready = await Promise.all([limits.ready(redisBootWaitMs), authRedis ? whenReady(authRedis, redisBootWaitMs) : true])
  if (ready.includes(false)) logger.warn('Redis is not reachable yet: rate-limited requests are refused until it is (see REDIS_UNAVAILABLE)')
  const shutdownDeadline = new AbortController()
  // Every waiting request listens to it: no listener cap.
  setMaxListeners(0, shutdownDeadline.signal)
  const deps: AppDeps = {
    config, logger, db, pubsub, keys, denylist, principals, limits, streamLimits, requestLimiter, plans, metrics, clock, llm, serverSecret,
    secrets: createSecretBox(config.secretsKey ?? serverSecret), logCache: new LogCache(), feeds: new Feeds(),
    shutdownDeadline: shutdownDeadline.signal, waiters: new RunWaiters(),
  }
  metrics.trackQueue(() => queueStats(deps))
  metrics.trackDatabaseUp(() => db.ping())
  return {
    deps,
    tracing,
    endRequests: () => shutdownDeadline.abort(),
    async close() {
      principals.close()
      await pubsub.close()
      await limits.close()
      await streamLimits.close()
      authRedis?.disconnect()
      await db.close()
      await tracing.shutdown()
    },
  }
}
