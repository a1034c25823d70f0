// Subscription limits per caller (the principal, else the client IP), for every subscription whatever its transport
// (WebSocket or server-sent events): subscriptions open at once, and subscription starts per minute. Over either →
// RATE_LIMITED for that operation. Starts use the shared LimitStore (exact across processes); open subscriptions are
// counted per process, where the subscriptions hold their resources.
import type { Config } from '../config.ts'
import { AppError } from '../errors.ts'
import type { Metrics } from '../metrics.ts'
import { rateLimitedError } from './requests.ts'
import type { LimitStore } from './store.ts'

export const SUBSCRIPTION_WINDOW_MS = 60_000

export interface SubscriptionLimits {
  /** Admits one subscription of `subject`: returns the release of its slot (idempotent), or throws RATE_LIMITED. */
  admit(subject: string): Promise<() => void>
}

export function createSubscriptionLimits(deps: { config: Config; streamLimits: LimitStore; metrics: Metrics }): SubscriptionLimits {
  const { enabled, ws } = deps.config.limits
  const max = enabled ? ws.maxSubscriptionsPerPrincipal : Number.MAX_SAFE_INTEGER
  const open = new Map<string, number>()

  const acquire = (subject: string) => {
    const n = open.get(subject) ?? 0
    if (n >= max) {
      deps.metrics.rateLimitRejections.inc({ reason: 'ws_subscriptions' })
      // No time-based retry: a slot frees when one of the caller's subscriptions ends.
      throw new AppError('RATE_LIMITED', `At most ${max} subscriptions may be open at once; stop one first.`, { retryAfter: 1, limit: max })
    }
    open.set(subject, n + 1)
    let released = false
    return () => {
      if (released) return
      released = true
      const left = (open.get(subject) ?? 1) - 1
      if (left > 0) open.set(subject, left)
      else open.delete(subject)
    }
  }

  return {
    async admit(subject) {
      // Cheapest refusal first: the slot (memory) before the shared window, so a caller waiting for a slot to free
      // does not spend its starts.
      const release = acquire(subject)
      if (!enabled) return release
      try {
        // Fails open while Redis is down (deps.streamLimits): the open-subscription cap above still holds per process.
        const d = await deps.streamLimits.consume(`ws:sub:${subject}`, ws.subscribesPerMinute, SUBSCRIPTION_WINDOW_MS)
        if (!d.allowed) {
          deps.metrics.rateLimitRejections.inc({ reason: 'ws_subscribe' })
          throw rateLimitedError(d, 'Too many subscriptions started; retry later.')
        }
      } catch (e) {
        release()
        throw e
      }
      return release
    },
  }
}
