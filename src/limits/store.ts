// The one interface behind every rate limit (requests per principal/tenant, field limits, login throttling,
// WebSocket limits): an exact sliding-window log, in Redis (shared by all processes) or in memory (embedded mode).

export interface LimitDecision {
  allowed: boolean
  limit: number
  /** hits still allowed in the current window after this decision */
  remaining: number
  /** ms until the window has room again (0 when allowed and remaining > 0); used for Retry-After */
  retryAfterMs: number
  /** ms until the window is completely empty again (for X-RateLimit-Reset) */
  resetMs: number
}

/**
 * A key must always be used with the same `limit` and `windowMs`: stores keep only what that pair needs (the newest
 * `limit` hits younger than `windowMs`), so mixing pairs on one key loses history. Give each rule its own key.
 */
export interface LimitStore {
  readonly kind: 'redis' | 'memory'
  /**
   * Atomically admits `cost` (default 1) hits for `key` iff the sliding window of `windowMs` ending now holds at most
   * `limit - cost` hits; records them only when admitted. A `cost` above `limit` can never be admitted: it is refused
   * with `retryAfterMs = windowMs`.
   */
  consume(key: string, limit: number, windowMs: number, cost?: number): Promise<LimitDecision>
  /** Current state without recording a hit. */
  peek(key: string, limit: number, windowMs: number): Promise<LimitDecision>
  /** Resolves once the store can answer, or after `timeoutMs` (resolving false): servers wait for it before serving. */
  ready(timeoutMs: number): Promise<boolean>
  /**
   * Several windows as one decision, atomically: admits `cost` hits iff every window has room for them, and then
   * records them in every window; otherwise records nothing anywhere. One decision per rule, in order; each says
   * whether that window had room (`allowed`), and the call was admitted iff all did. (One round trip to Redis.)
   */
  consumeAll(rules: readonly LimitRule[], cost?: number): Promise<LimitDecision[]>
  close(): Promise<void>
}

/** One window of a consumeAll call. */
export interface LimitRule {
  key: string
  limit: number
  windowMs: number
}

/** The shared store (Redis) could not answer in time; the caller decides whether to fail open or closed. */
export class LimiterUnavailableError extends Error {
  constructor(message = 'The rate-limit store is unavailable.', options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'LimiterUnavailableError'
  }
}

/** Rejects arguments that would make a decision meaningless (both stores validate identically). */
export function assertLimitArgs(key: string, limit: number, windowMs: number, cost: number): void {
  if (typeof key !== 'string' || key.length === 0) throw new RangeError('rate-limit key must be a non-empty string')
  // On every request's path: no allocation unless something is wrong.
  if (!positiveInteger(limit)) throw new RangeError(`rate-limit limit must be a positive integer (got ${limit})`)
  if (!positiveInteger(windowMs)) throw new RangeError(`rate-limit windowMs must be a positive integer (got ${windowMs})`)
  if (!positiveInteger(cost)) throw new RangeError(`rate-limit cost must be a positive integer (got ${cost})`)
}

const positiveInteger = (v: number) => Number.isSafeInteger(v) && v >= 1

/** Validates every rule of a consumeAll call (and that there is at least one, with distinct keys). */
export function assertLimitRules(rules: readonly LimitRule[], cost: number): void {
  if (!Array.isArray(rules) || rules.length === 0) throw new RangeError('rate-limit rules must be a non-empty array')
  for (let i = 0; i < rules.length; i++) {
    assertLimitArgs(rules[i]!.key, rules[i]!.limit, rules[i]!.windowMs, cost)
    // A handful of rules per call, on every request's path: compared pairwise rather than through a Set.
    for (let j = 0; j < i; j++) if (rules[j]!.key === rules[i]!.key) throw new RangeError('rate-limit rules must have distinct keys')
  }
}
