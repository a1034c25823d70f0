// The sliding-window log in Redis, shared by every server process: one Lua script per call (ioredis defineCommand:
// EVALSHA, falling back to EVAL after a Redis restart emptied the script cache).
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'
import { createRedis, REDIS_DEADLINE_MS, whenReady, withDeadline } from '../redis.ts'
import { slidingWindowAllLua, slidingWindowLua } from './sliding-window.lua.ts'
import { assertLimitArgs, assertLimitRules, LimiterUnavailableError, type LimitDecision, type LimitRule, type LimitStore } from './store.ts'

/**
 * Bound on a whole call (EVALSHA, and EVAL after NOSCRIPT), on a dedicated connection without offline queue: an
 * outage fails calls instead of queueing them. Checked after the event loop has read pending sockets: when the
 * process itself stalled (a CPU-bound moment), the reply that arrived meanwhile wins over the timer that expired
 * meanwhile. ioredis's own command timeout (1 s, createRedis) only reclaims commands Redis never answers.
 */
const DEADLINE_MS = REDIS_DEADLINE_MS
/** Reply errors that mean "Redis cannot serve right now" rather than "this call is wrong". */
const TRANSIENT_REPLY = /^(LOADING|BUSY|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN|OOM|NOREPLICAS)\b/

export interface RedisLimitStoreOptions {
  /**
   * Clock in epoch ms, sent with every call (default `Date.now`), so tests can place window boundaries exactly.
   * Consequence: each process judges the window by its own clock. Counting stays exact across processes (check and
   * record are one script), but window edges shift by the clock skew between hosts: a host d ms ahead trims other
   * hosts' hits d ms early, and its own hits count d ms longer for the others. Keep hosts on NTP; Redis's TIME would
   * remove skew but make boundaries untestable.
   */
  now?: () => number
  /** Key prefix (default `rl:`). */
  prefix?: string
}

type Reply = [allowed: number, hits: number, retryAfterMs: number, resetMs: number]
interface LimiterCommands {
  rlSlidingWindow(key: string, now: number, windowMs: number, limit: number, cost: number, token: string): Promise<Reply>
  rlSlidingWindowAll(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>
}

/** Creates the Redis-backed store on its own fail-fast connection; calls reject with LimiterUnavailableError within DEADLINE_MS. */
export function createRedisLimitStore(url: string, logger: Logger, opts: RedisLimitStoreOptions = {}): LimitStore {
  const redis = createRedis(url, 'limiter', logger)
  redis.defineCommand('rlSlidingWindow', { numberOfKeys: 1, lua: slidingWindowLua })
  // Keys vary per call: the key count is the first argument.
  redis.defineCommand('rlSlidingWindowAll', { lua: slidingWindowAllLua })
  const commands = redis as unknown as LimiterCommands
  const clock = opts.now ?? Date.now
  const prefix = opts.prefix ?? 'rl:'
  // Members must be unique even when hits share a millisecond, across processes too.
  const tokenBase = randomBytes(6).toString('base64url')
  let seq = 0
  const connecting = connectionAttempt(redis)
  let closing: Promise<void> | undefined

  const unavailable = (err: unknown) => {
    if ((err as Error).name === 'ReplyError' && !TRANSIENT_REPLY.test((err as Error).message)) return err
    return new LimiterUnavailableError(`The rate-limit store is unavailable: ${(err as Error).message}`, { cause: err })
  }

  const call = async (key: string, limit: number, windowMs: number, cost: number): Promise<LimitDecision> => {
    const now = Math.floor(clock())
    await connecting()
    try {
      const [allowed, hits, retryAfterMs, resetMs] = await commands.rlSlidingWindow(prefix + key, now, windowMs, limit, cost, `${tokenBase}:${seq++}`)
      return { allowed: allowed === 1, limit, remaining: limit - hits, retryAfterMs, resetMs }
    } catch (err) {
      throw unavailable(err)
    }
  }

  const callAll = async (rules: readonly LimitRule[], cost: number): Promise<LimitDecision[]> => {
    const now = Math.floor(clock())
    await connecting()
    try {
      const reply = await commands.rlSlidingWindowAll(rules.length, ...rules.map((r) => prefix + r.key), now, cost, `${tokenBase}:${seq++}`, ...rules.flatMap((r) => [r.windowMs, r.limit]))
      return rules.map((r, i) => {
        const [room, hits, retryAfterMs, resetMs] = reply.slice(1 + 4 * i, 5 + 4 * i) as Reply
        return { allowed: room === 1, limit: r.limit, remaining: r.limit - hits, retryAfterMs, resetMs }
      })
    } catch (err) {
      throw unavailable(err)
    }
  }

  const bounded = <T>(work: Promise<T>): Promise<T> =>
    withDeadline(work, () => new LimiterUnavailableError(`The rate-limit store did not answer within ${DEADLINE_MS} ms.`), DEADLINE_MS)

  return {
    kind: 'redis',
    async consume(key, limit, windowMs, cost = 1) {
      assertLimitArgs(key, limit, windowMs, cost)
      return bounded(call(key, limit, windowMs, cost))
    },
    async peek(key, limit, windowMs) {
      assertLimitArgs(key, limit, windowMs, 1)
      return bounded(call(key, limit, windowMs, 0))
    },
    async consumeAll(rules, cost = 1) {
      assertLimitRules(rules, cost)
      return bounded(callAll(rules, cost))
    },
    ready: (timeoutMs) => whenReady(redis, timeoutMs),
    close() {
      return (closing ??= (async () => {
        await redis.quit().catch(() => {})
        redis.disconnect()
      })())
    },
  }
}

const SETTLING_EVENTS = ['ready', 'close', 'end', 'error'] as const

/**
 * Returns a function resolving when the connection attempt in progress (if any) has succeeded or failed. Without an
 * offline queue, a call made while ioredis is still connecting (at boot, or just as Redis returns) would fail although
 * an answer is milliseconds away; a disconnected client still fails at once. One shared listener set per attempt.
 */
function connectionAttempt(redis: Redis): () => Promise<void> {
  let attempt: Promise<void> | undefined
  return () => {
    if (redis.status !== 'connecting' && redis.status !== 'connect') return Promise.resolve()
    return (attempt ??= new Promise<void>((resolve) => {
      const done = () => {
        for (const e of SETTLING_EVENTS) redis.off(e, done)
        attempt = undefined
        resolve()
      }
      for (const e of SETTLING_EVENTS) redis.on(e, done)
    }))
  }
}
