// The sliding-window log in Redis, shared by every server process: one Lua script (ioredis defineCommand: EVALSHA,
// falling back to EVAL after a Redis restart emptied the script cache). The calls made within one turn of the event
// loop (several requests read from their sockets in one poll phase, each counting its windows) go to Redis as one
// script call: one write, one reply and one script run instead of one each, the largest part of what the limiter
// cost a request (docs/performance.md, item 21).
import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import type { Logger } from '../logger.ts'
import { createRedis, REDIS_DEADLINE_MS, whenReady, withDeadline } from '../redis.ts'
import { slidingWindowBatchLua } from './sliding-window.lua.ts'
import { assertLimitArgs, assertLimitRules, LimiterUnavailableError, type LimitDecision, type LimitRule, type LimitStore } from './store.ts'

/**
 * Bound on a whole batch of calls (EVALSHA, and EVAL after NOSCRIPT), from the end of the event-loop turn that made
 * them, on a dedicated connection without offline queue: an outage fails calls instead of queueing them. Checked after the event loop has read pending sockets: when the
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

/** What the script returns for each window of a call. */
type WindowReply = [room: number, hits: number, retryAfterMs: number, resetMs: number]
interface LimiterCommands {
  rlSlidingWindowBatch(numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<number[]>
}

/** A call waiting for the end of the event loop's turn. */
interface Pending {
  rules: readonly LimitRule[]
  cost: number
  now: number
  token: string
  resolve(decisions: LimitDecision[]): void
  reject(err: unknown): void
}

/** Calls per script run at most: bounds how long one run holds Redis (each call costs a few sorted-set commands). */
const MAX_BATCH = 128

/** Creates the Redis-backed store on its own fail-fast connection; calls reject with LimiterUnavailableError within DEADLINE_MS. */
export function createRedisLimitStore(url: string, logger: Logger, opts: RedisLimitStoreOptions = {}): LimitStore {
  const redis = createRedis(url, 'limiter', logger)
  // Keys vary per call: the key count is the first argument.
  redis.defineCommand('rlSlidingWindowBatch', { lua: slidingWindowBatchLua })
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

  // Calls wait for the end of this turn of the event loop (setImmediate runs after the poll phase has read
  // every ready socket), then go as one script run, in the order they were made, each at its own `now`.
  let queue: Pending[] = []
  const send = async (batch: Pending[]) => {
    const keys: string[] = []
    const args: (string | number)[] = []
    for (const p of batch) {
      args.push(p.now, p.cost, p.token, p.rules.length)
      for (const r of p.rules) {
        keys.push(prefix + r.key)
        args.push(r.windowMs, r.limit)
      }
    }
    let reply: number[]
    try {
      // One deadline for the whole batch, from the end of the turn that made its calls.
      reply = await withDeadline(connecting().then(() => commands.rlSlidingWindowBatch(keys.length, ...keys, ...args)),
        () => new LimiterUnavailableError(`The rate-limit store did not answer within ${DEADLINE_MS} ms.`), DEADLINE_MS)
    } catch (err) {
      const e = err instanceof LimiterUnavailableError ? err : unavailable(err)
      for (const p of batch) p.reject(e)
      return
    }
    let at = 0
    for (const p of batch) {
      at++ // the call's own verdict: admitted iff every window had room
      p.resolve(p.rules.map((r) => {
        const [room, hits, retryAfterMs, resetMs] = reply.slice(at, (at += 4)) as WindowReply
        return { allowed: room === 1, limit: r.limit, remaining: r.limit - hits, retryAfterMs, resetMs }
      }))
    }
  }
  const flush = () => {
    const all = queue
    queue = []
    for (let i = 0; i < all.length; i += MAX_BATCH) void send(all.slice(i, i + MAX_BATCH))
  }
  const callAll = (rules: readonly LimitRule[], cost: number): Promise<LimitDecision[]> =>
    new Promise((resolve, reject) => {
      if (!queue.length) setImmediate(flush)
      queue.push({ rules, cost, now: Math.floor(clock()), token: `${tokenBase}:${seq++}`, resolve, reject })
    })

  return {
    kind: 'redis',
    async consume(key, limit, windowMs, cost = 1) {
      assertLimitArgs(key, limit, windowMs, cost)
      return (await callAll([{ key, limit, windowMs }], cost))[0]!
    },
    async peek(key, limit, windowMs) {
      assertLimitArgs(key, limit, windowMs, 1)
      // Cost 0: decided like a hit, recorded nowhere.
      return (await callAll([{ key, limit, windowMs }], 0))[0]!
    },
    async consumeAll(rules, cost = 1) {
      assertLimitRules(rules, cost)
      return callAll(rules, cost)
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
