// WebSocket limits (src/ws.ts applies them): new connections per client IP (over → close 4029), subscription starts
// per principal per minute and subscriptions open at once per principal (over → RATE_LIMITED for that operation).
// Rates use the shared LimitStore (exact across processes); concurrent subscriptions are counted per process, where
// the subscriptions hold their resources.
import { principalId, type Principal } from '../auth/principal.ts'
import type { Config } from '../config.ts'
import { AppError } from '../errors.ts'
import type { Metrics } from '../metrics.ts'
import { rateLimitedError } from './requests.ts'
import type { LimitDecision, LimitStore } from './store.ts'

export const WS_WINDOW_MS = 60_000

/** Close codes for connection-level abuse (the rest of the WebSocket close codes are in src/ws.ts). */
export const wsLimitCloseCodes = {
  /** Too many new connections from this client IP: retry after a while (graphql-ws clients retry 4xxx codes outside 4400–4499's fatal set). */
  tooManyConnections: 4029,
  /** A message larger than WS_MAX_MESSAGE_BYTES (the ws library's standard code). */
  messageTooBig: 1009,
} as const

/** Subscriptions open per subject in this process; `acquire` returns a release function (idempotent) or throws. */
export interface SubscriptionSlots {
  acquire(subject: string): () => void
  count(subject: string): number
}

export function createSubscriptionSlots(max: number, metrics: Pick<Metrics, 'rateLimitRejections'>): SubscriptionSlots {
  const open = new Map<string, number>()
  return {
    acquire(subject) {
      const n = open.get(subject) ?? 0
      if (n >= max) {
        metrics.rateLimitRejections.inc({ reason: 'ws_subscriptions' })
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
    },
    count: (subject) => open.get(subject) ?? 0,
  }
}

/** The subject of per-principal WebSocket limits: the principal (per tenant), else the client IP. */
export const wsSubject = (principal: Principal | undefined, ip: string | undefined) =>
  principal ? `p:${principal.tenantId}:${principalId(principal)}` : `ip:${ip ?? 'unknown'}`

export interface WsLimiter {
  slots: SubscriptionSlots
  /** Counts a new connection from `ip`; the decision says whether to accept it. Throws SERVICE_UNAVAILABLE when failing closed. */
  connection(ip: string | undefined): Promise<LimitDecision | undefined>
  /** Counts a subscription start for `subject`; throws RATE_LIMITED when over. */
  subscribe(subject: string): Promise<void>
}

export function createWsLimiter(deps: { config: Config; limits: LimitStore; metrics: Metrics }): WsLimiter {
  const { ws, enabled } = deps.config.limits
  const slots = createSubscriptionSlots(enabled ? ws.maxSubscriptionsPerPrincipal : Number.MAX_SAFE_INTEGER, deps.metrics)
  return {
    slots,
    async connection(ip) {
      if (!enabled) return undefined
      const d = await deps.limits.consume(`ws:conn:${ip ?? 'unknown'}`, ws.connectionsPerIpPerMinute, WS_WINDOW_MS)
      if (!d.allowed) deps.metrics.rateLimitRejections.inc({ reason: 'ws_connection' })
      return d
    },
    async subscribe(subject) {
      if (!enabled) return
      const d = await deps.limits.consume(`ws:sub:${subject}`, ws.subscribesPerMinute, WS_WINDOW_MS)
      if (!d.allowed) {
        deps.metrics.rateLimitRejections.inc({ reason: 'ws_subscribe' })
        throw rateLimitedError(d, 'Too many subscriptions started; retry later.')
      }
    },
  }
}
