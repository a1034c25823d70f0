// In-process sliding-window log: the embedded mode's store and the fail-open fallback. Each call runs to completion
// on the event loop, so check-and-record is atomic without locks. Same algorithm as the Redis script.
import { assertLimitArgs, assertLimitRules, type LimitDecision, type LimitStore } from './store.ts'

export interface MemoryLimitStore extends LimitStore {
  readonly kind: 'memory'
  /** Keys currently held (tests, metrics). */
  readonly size: number
  /** Drops every key whose window is empty; also runs on a timer. */
  sweep(): void
}

export interface MemoryLimitStoreOptions {
  /** Clock in epoch ms; tests inject one to place window boundaries exactly. */
  now?: () => number
  /** How often idle keys are dropped (default 30 s). */
  sweepIntervalMs?: number
}

interface Log {
  /** Hit timestamps, ascending; never more than the key's limit. */
  hits: number[]
  windowMs: number
}

/** Creates the in-process store; memory is bounded by `limit` timestamps per key and the idle-key sweep. */
export function createMemoryLimitStore(opts: MemoryLimitStoreOptions = {}): MemoryLimitStore {
  const now = () => Math.floor((opts.now ?? Date.now)())
  const logs = new Map<string, Log>()

  const sweep = () => {
    const t = now()
    for (const [key, log] of logs) if (!log.hits.length || log.hits.at(-1)! + log.windowMs <= t) logs.delete(key)
  }
  // unref: a limiter must never be the reason a process stays alive.
  const timer = setInterval(sweep, opts.sweepIntervalMs ?? 30_000)
  timer.unref()

  /** cost 0 = peek: decide as for one hit, record nothing. */
  const decide = (key: string, limit: number, windowMs: number, cost: number): LimitDecision => {
    const t = now()
    const log = logs.get(key) ?? { hits: [], windowMs }
    log.windowMs = windowMs
    const { hits } = log
    let drop = 0
    while (drop < hits.length && hits[drop]! <= t - windowMs) drop++
    // Hits older than the newest `limit` can never change a decision for this limit (see decisionFor).
    drop = Math.max(drop, hits.length - limit)
    if (drop > 0) hits.splice(0, drop)
    // A peek reports whether one more hit would be admitted.
    const allowed = hits.length + Math.max(cost, 1) <= limit
    if (allowed && cost > 0) {
      // A clock that stepped back must not break the ordering the window arithmetic relies on.
      let at = hits.length
      while (at > 0 && hits[at - 1]! > t) at--
      if (at === hits.length) for (let i = 0; i < cost; i++) hits.push(t)
      else hits.splice(at, 0, ...new Array<number>(cost).fill(t))
    }
    if (hits.length) logs.set(key, log)
    else logs.delete(key)
    return decisionFor(hits, t, limit, windowMs, allowed || cost === 0 ? 1 : cost, allowed)
  }

  /** The decision a refused consume of `cost` would get, without recording (what a window reports when refused). */
  const decideWithout = (key: string, limit: number, windowMs: number, cost: number): LimitDecision => {
    const t = now()
    const hits = logs.get(key)?.hits ?? []
    const allowed = hits.length + cost <= limit
    return decisionFor(hits, t, limit, windowMs, allowed ? 1 : cost, allowed)
  }

  return {
    kind: 'memory',
    get size() {
      return logs.size
    },
    sweep,
    ready: async () => true,
    async consume(key, limit, windowMs, cost = 1) {
      assertLimitArgs(key, limit, windowMs, cost)
      return decide(key, limit, windowMs, cost)
    },
    async peek(key, limit, windowMs) {
      assertLimitArgs(key, limit, windowMs, 1)
      return decide(key, limit, windowMs, 0)
    },
    async consumeAll(rules, cost = 1) {
      assertLimitRules(rules, cost)
      // Synchronous from here on, so no other call interleaves between looking and recording.
      const room = rules.map((r) => decide(r.key, r.limit, r.windowMs, 0).remaining >= cost)
      if (!room.every(Boolean)) {
        return rules.map((r, i) => ({ ...decideWithout(r.key, r.limit, r.windowMs, cost), allowed: room[i]! }))
      }
      return rules.map((r) => decide(r.key, r.limit, r.windowMs, cost))
    },
    async close() {
      clearInterval(timer)
      logs.clear()
    },
  }
}

/**
 * The decision for a window holding `hits` (ascending, already trimmed) at time `t`, where `need` more hits must fit.
 * Room for `need` appears when the (n + need - limit)-th oldest hit leaves the window; that hit is always among the
 * newest `limit`, which is why older ones may be discarded.
 */
function decisionFor(hits: number[], t: number, limit: number, windowMs: number, need: number, allowed: boolean): LimitDecision {
  const n = hits.length
  let retryAfterMs = 0
  if (n + need > limit) retryAfterMs = need > limit ? windowMs : hits[n + need - limit - 1]! + windowMs - t
  return { allowed, limit, remaining: limit - n, retryAfterMs, resetMs: n ? hits[n - 1]! + windowMs - t : 0 }
}
