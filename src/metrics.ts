// Prometheus metrics (prom-client), one registry per app, served at GET /metrics and passed to everything through
// deps.metrics. Execution status changes (services/runs/lifecycle.ts) and execution event streams (services/streams.ts)
// feed `executions`, `executionDuration` and `eventDeliveryLag` through recordExecution and observeDeliveryLag; the
// webhook dispatcher (worker/webhooks.ts) feeds `webhookDeliveries` and `webhookDeliveryLag`.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'
import { createWorkMetrics, type WorkMetrics } from './metrics-work.ts'
import { redisConnections, redisReconnections } from './redis.ts'

export type ExecutionStatusLabel = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT' | 'INTERRUPTED'
export type Transport = 'http' | 'ws'
/** Why a rate limit refused something (the `reason` label of rate_limit_rejections_total). */
export type RejectionReason =
  | 'principal' | 'tenant' | 'anonymous' | 'field' | 'ws_connection' | 'ws_subscribe' | 'ws_subscriptions' | 'unavailable'

export interface PoolStats {
  /** Connections open (in use + idle). */
  total: number
  idle: number
  /** Queries waiting for a connection. */
  waiting: number
  max: number
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
/** Operation names come from clients: only this many distinct ones become labels, the rest are `other`. */
const MAX_OPERATION_LABELS = 200
const operationName = /^[_A-Za-z][_0-9A-Za-z]{0,99}$/

export interface Metrics extends WorkMetrics {
  registry: Registry
  httpRequestDuration: Histogram<'method' | 'status'>
  operationDuration: Histogram<'operation' | 'type' | 'transport' | 'outcome'>
  operationErrors: Counter<'operation' | 'code' | 'transport'>
  activeSubscriptions: Gauge<'transport'>
  rateLimitRejections: Counter<'reason'>
  quotaRejections: Counter<'quota'>
  /** Executions reaching a status (every committed transition). */
  executions: Counter<'status'>
  /** Wall time of finished executions, from start to terminal status. */
  executionDuration: Histogram<'status'>
  /** Time from an event's commit to its send to a subscriber. */
  eventDeliveryLag: Histogram<'transport'>
  /** Subscription events executed for their subscribers (`executed`) or served a result another one executed (`shared`). */
  subscriptionEventResults: Counter<'source'>
  /** Webhook delivery attempts by outcome (succeeded, failed, dead, dropped, superseded). */
  webhookDeliveries: Counter<'outcome'>
  /** Time from a webhook event's commit (its outbox row) to its successful delivery. */
  webhookDeliveryLag: Histogram
  /** The bounded label for a client-supplied operation name. */
  operationLabel(name: string | null | undefined): string
  /** Counts an execution reaching `status`; pass the duration (seconds) for terminal statuses. */
  recordExecution(status: ExecutionStatusLabel, durationSeconds?: number): void
  /** Records the delay between an event's commit (`committedAt`) and its send now (or at `sentAt`). */
  observeDeliveryLag(committedAt: Date | number, transport?: Transport, sentAt?: number): void
  /** Reports the database pool through `stats` (called at scrape time). */
  trackDatabase(stats: () => PoolStats): void
  /** Prometheus text exposition. */
  render(): Promise<string>
  contentType: string
}

/** Creates the app's registry with every metric defined (and Node's default process metrics). */
export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry()
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry })
  const registers = [registry]
  let poolStats: (() => PoolStats) | undefined

  const seen = new Set<string>()
  const operationLabel = (name: string | null | undefined) => {
    if (!name) return 'anonymous'
    if (seen.has(name)) return name
    if (!operationName.test(name) || seen.size >= MAX_OPERATION_LABELS) return 'other'
    seen.add(name)
    return name
  }

  new Gauge({
    name: 'db_pool_connections',
    help: 'Database connection pool: open, idle and max connections, and queries waiting for one.',
    labelNames: ['state'],
    registers,
    collect() {
      const s = poolStats?.()
      if (!s) return
      this.set({ state: 'open' }, s.total)
      this.set({ state: 'idle' }, s.idle)
      this.set({ state: 'in_use' }, s.total - s.idle)
      this.set({ state: 'waiting' }, s.waiting)
      this.set({ state: 'max' }, s.max)
    },
  })
  new Counter({
    name: 'redis_reconnections_total',
    help: 'Redis connections of that purpose made again after the link was lost (killed, reset, timed out).',
    labelNames: ['connection'],
    registers,
    collect() {
      this.reset()
      for (const [connection, n] of redisReconnections()) this.inc({ connection }, n)
    },
  })
  new Gauge({
    name: 'redis_connection_up',
    help: '1 when every Redis connection of that purpose is ready, else 0.',
    labelNames: ['connection'],
    registers,
    collect() {
      this.reset()
      const byName = new Map<string, boolean>()
      for (const c of redisConnections()) byName.set(c.name, (byName.get(c.name) ?? true) && c.status === 'ready')
      for (const [connection, up] of byName) this.set({ connection }, up ? 1 : 0)
    },
  })

  const metrics: Metrics = {
    ...createWorkMetrics(registry),
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP requests to the GraphQL endpoint, by method and status.',
      labelNames: ['method', 'status'],
      buckets: latencyBuckets,
      registers,
    }),
    operationDuration: new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operations (HTTP and WebSocket), by operation name, type, transport and outcome (ok, error, refused).',
      labelNames: ['operation', 'type', 'transport', 'outcome'],
      buckets: latencyBuckets,
      registers,
    }),
    operationErrors: new Counter({
      name: 'graphql_errors_total',
      help: 'Errors returned to clients, by operation name and error code.',
      labelNames: ['operation', 'code', 'transport'],
      registers,
    }),
    activeSubscriptions: new Gauge({
      name: 'graphql_active_subscriptions',
      help: 'Subscriptions currently streaming, by transport.',
      labelNames: ['transport'],
      registers,
    }),
    rateLimitRejections: new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests, fields, connections or subscriptions refused by a rate limit, by reason.',
      labelNames: ['reason'],
      registers,
    }),
    quotaRejections: new Counter({
      name: 'quota_rejections_total',
      help: 'Runs refused because a monthly quota is used up, by quota (executions, tokens).',
      labelNames: ['quota'],
      registers,
    }),
    executions: new Counter({
      name: 'executions_total',
      help: 'Executions reaching a status.',
      labelNames: ['status'],
      registers,
    }),
    executionDuration: new Histogram({
      name: 'execution_duration_seconds',
      help: 'Duration of finished executions (start to terminal status), by terminal status.',
      labelNames: ['status'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600],
      registers,
    }),
    eventDeliveryLag: new Histogram({
      name: 'event_delivery_lag_seconds',
      help: 'Time from an execution event being committed to it being sent to a subscriber.',
      labelNames: ['transport'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    subscriptionEventResults: new Counter({
      name: 'graphql_subscription_event_results_total',
      help: 'Subscription event results, by source: executed for this subscriber, or shared with an identical selection on the same event.',
      labelNames: ['source'],
      registers,
    }),
    webhookDeliveries: new Counter({
      name: 'webhook_deliveries_total',
      help: 'Webhook delivery attempts, by outcome (succeeded, failed = will retry, dead = gave up, dropped = endpoint disabled, superseded = lease lost).',
      labelNames: ['outcome'],
      registers,
    }),
    webhookDeliveryLag: new Histogram({
      name: 'webhook_delivery_lag_seconds',
      help: 'Time from a webhook event being committed to its successful delivery (retries included).',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400],
      registers,
    }),
    operationLabel,
    recordExecution(status, durationSeconds) {
      metrics.executions.inc({ status })
      if (durationSeconds !== undefined && durationSeconds >= 0) metrics.executionDuration.observe({ status }, durationSeconds)
    },
    observeDeliveryLag(committedAt, transport = 'ws', sentAt = Date.now()) {
      const at = typeof committedAt === 'number' ? committedAt : committedAt.getTime()
      metrics.eventDeliveryLag.observe({ transport }, Math.max(0, sentAt - at) / 1000)
    },
    trackDatabase(stats) {
      poolStats = stats
    },
    render: () => registry.metrics(),
    contentType: registry.contentType,
  }
  return metrics
}
