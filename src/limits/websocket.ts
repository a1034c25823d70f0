// The WebSocket connection limit (src/ws.ts applies it at the upgrade): new connections per client IP per minute, in
// the shared LimitStore (exact across processes). Per-operation limits are the admission pipeline's (src/admission.ts).
import type { Config } from '../config.ts'
import type { Metrics } from '../metrics.ts'
import type { LimitDecision, LimitStore } from './store.ts'

const CONNECTION_WINDOW_MS = 60_000

/** Close codes for connection-level abuse (the rest of the WebSocket close codes are in src/ws.ts). */
export const wsLimitCloseCodes = {
  /** Too many new connections from this client IP: retry after a while (graphql-ws clients retry 4xxx codes outside 4400–4499's fatal set). */
  tooManyConnections: 4029,
  /** A message larger than WS_MAX_MESSAGE_BYTES (the ws library's standard code). */
  messageTooBig: 1009,
} as const

/**
 * Counts a new connection from `ip`; the decision says whether to accept it (undefined: limits are off). Throws
 * SERVICE_UNAVAILABLE when the store is down and failing closed.
 */
export type ConnectionLimiter = (ip: string | undefined) => Promise<LimitDecision | undefined>

export function createConnectionLimiter(deps: { config: Config; streamLimits: LimitStore; metrics: Metrics }): ConnectionLimiter {
  const { ws, enabled } = deps.config.limits
  return async (ip) => {
    if (!enabled) return undefined
    // The streams' view of the store: a Redis outage must not stop clients reconnecting their subscriptions.
    const d = await deps.streamLimits.consume(`ws:conn:${ip ?? 'unknown'}`, ws.connectionsPerIpPerMinute, CONNECTION_WINDOW_MS)
    if (!d.allowed) deps.metrics.rateLimitRejections.inc({ reason: 'ws_connection' })
    return d
  }
}
