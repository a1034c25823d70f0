// The service contract: what every service (and the worker) is given. Owned here, below the server, so services
// never import from the GraphQL or HTTP layers.
import type { Denylist } from '../auth/denylist.ts'
import type { KeyRing } from '../auth/jwt.ts'
import type { PrincipalCache } from '../auth/principal-cache.ts'
import type { Principal } from '../auth/principal.ts'
import type { Config } from '../config.ts'
import type { Database } from '../db/client.ts'
import type { TenantDb } from '../db/scope.ts'
import type { Feeds } from '../events/feed.ts'
import type { LogCache } from '../events/log-cache.ts'
import type { PlanCache } from '../limits/plans.ts'
import type { RequestLimiter } from '../limits/requests.ts'
import type { LimitStore } from '../limits/store.ts'
import type { LlmRegistry } from '../llm/registry.ts'
import type { Logger } from '../logger.ts'
import type { Metrics } from '../metrics.ts'
import type { PubSub } from '../pubsub/pubsub.ts'
import type { SecretBox } from '../tools/secret-box.ts'
import type { RunWaiters } from './runs/waiters.ts'

/** Long-lived dependencies built once per process. */
export interface AppDeps {
  config: Config
  logger: Logger
  db: Database
  pubsub: PubSub
  keys: KeyRing
  denylist: Denylist
  /** Authenticated principals reused for a few seconds; services call `revoke` when they change who may do what. */
  principals: PrincipalCache
  limits: LimitStore
  /** The same windows for admitting streams (WebSocket connections, subscriptions): fail open while Redis is down. */
  streamLimits: LimitStore
  /** Shared read cache of execution logs (many subscribers of one run cost one database read). */
  logCache: LogCache
  /** One live follower per run log and process, pushing to the subscribers that caught up with it. */
  feeds: Feeds
  /** Request rate limits per principal, tenant and client IP (HTTP and WebSocket). */
  requestLimiter: RequestLimiter
  /** Each tenant's plan tier, cached per process. */
  plans: PlanCache
  /** Prometheus metrics (src/metrics.ts). */
  metrics: Metrics
  /** Epoch milliseconds: rate-limit windows and quota periods (tests inject one). */
  clock: () => number
  /** Model allowlist and the provider that runs each model. */
  llm: LlmRegistry
  /** Secret for HMACs that are not tokens (cursors); derived from the signing material. */
  serverSecret: Buffer
  /**
   * Aborted when a graceful stop runs out of time for in-flight requests: what still waits (runAgent with `wait`)
   * answers SERVICE_UNAVAILABLE instead of having its connection cut.
   */
  shutdownDeadline: AbortSignal
  /** The runs this process's requests wait on: a draining worker still runs them. */
  waiters: RunWaiters
  /** Seals tenant secrets at rest (HTTP tool headers); keyed by SECRETS_KEY or the signing material. */
  secrets: SecretBox
}

export interface RequestMeta {
  requestId: string
  transport: 'http' | 'ws'
  ip?: string
  userAgent?: string
  /** The caller's W3C traceparent: the parent of the operation's span (see src/tracing.ts). */
  traceParent?: string
}

/** What a service needs about an authenticated caller. */
export interface Session {
  deps: AppDeps
  meta: RequestMeta
  principal: Principal
  /** The principal's tenant, scoped (both isolation layers). */
  db: TenantDb
}
