// The metrics of the work the platform does (beside src/metrics.ts, which holds the transport ones): the run queue
// by plan, model and tool calls with their latency, tokens by model, and authentication attempts by method.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client'

/** One row of the run-queue snapshot taken at scrape time. */
export interface QueueRow {
  plan: string
  status: string
  count: number
  /** Age in seconds of the oldest run in this state (queued runs: time waiting since created). */
  oldestAgeSeconds: number
}

export type AuthMethod = 'password' | 'refresh_token' | 'api_key' | 'access_token'

const callBuckets = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120]

export interface WorkMetrics {
  modelCalls: Counter<'model' | 'outcome'>
  modelCallDuration: Histogram<'model' | 'outcome'>
  /** Tokens by model and type (input, output). */
  tokens: Counter<'model' | 'type'>
  toolCalls: Counter<'kind' | 'outcome'>
  toolCallDuration: Histogram<'kind' | 'outcome'>
  authAttempts: Counter<'method' | 'outcome'>
  /** Reports the run queue through `rows` (called at scrape time; a failure leaves the gauges empty). */
  trackQueue(rows: () => Promise<QueueRow[]>): void
  /** Reports whether the database answers `ping` within a second (called at scrape time). */
  trackDatabaseUp(ping: () => Promise<void>): void
}

/** Defines the work metrics in `registry`. */
export function createWorkMetrics(registry: Registry): WorkMetrics {
  const registers = [registry]
  let queue: (() => Promise<QueueRow[]>) | undefined
  let snapshot: Promise<QueueRow[]> | undefined
  // The three gauges share one query per scrape.
  const rows = () => (snapshot ??= (queue?.() ?? Promise.resolve([])).catch(() => []).finally(() => setTimeout(() => (snapshot = undefined), 100).unref()))

  new Gauge({
    name: 'executions_current', help: 'Executions not yet ended, by tenant plan and status (QUEUED, RUNNING, …).', labelNames: ['plan', 'status'], registers,
    async collect() {
      this.reset()
      for (const r of await rows()) this.set({ plan: r.plan, status: r.status }, r.count)
    },
  })
  new Gauge({
    name: 'queue_depth', help: 'Runs waiting in the queue (QUEUED), by tenant plan.', labelNames: ['plan'], registers,
    async collect() {
      this.reset()
      for (const r of await rows()) if (r.status === 'QUEUED') this.set({ plan: r.plan }, r.count)
    },
  })
  new Gauge({
    name: 'queue_oldest_age_seconds', help: 'Age of the oldest queued run, by tenant plan.', labelNames: ['plan'], registers,
    async collect() {
      this.reset()
      for (const r of await rows()) if (r.status === 'QUEUED') this.set({ plan: r.plan }, r.oldestAgeSeconds)
    },
  })

  let ping: (() => Promise<void>) | undefined
  new Gauge({
    name: 'database_up', help: '1 when the database answered a trivial query within a second at scrape time, else 0.', registers,
    async collect() {
      if (!ping) return
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1_000).unref())
      this.set(await Promise.race([ping(), timeout]).then(() => 1, () => 0))
    },
  })

  return {
    modelCalls: new Counter({ name: 'model_calls_total', help: 'Model calls (one per turn), by model and outcome (ok, error).', labelNames: ['model', 'outcome'], registers }),
    modelCallDuration: new Histogram({ name: 'model_call_duration_seconds', help: 'Model call latency, first request to last chunk.', labelNames: ['model', 'outcome'], buckets: callBuckets, registers }),
    tokens: new Counter({ name: 'model_tokens_total', help: 'Tokens used, by model and type (input, output).', labelNames: ['model', 'type'], registers }),
    toolCalls: new Counter({ name: 'tool_calls_total', help: 'Tool calls, by tool kind (builtin, http, mcp) and outcome (ok, error).', labelNames: ['kind', 'outcome'], registers }),
    toolCallDuration: new Histogram({ name: 'tool_call_duration_seconds', help: 'Tool call latency.', labelNames: ['kind', 'outcome'], buckets: callBuckets, registers }),
    authAttempts: new Counter({ name: 'auth_attempts_total', help: 'Authentication attempts by method (password, refresh_token, api_key, access_token) and outcome (success, failure).', labelNames: ['method', 'outcome'], registers }),
    trackQueue(r) {
      queue = r
    },
    trackDatabaseUp(p) {
      ping = p
    },
  }
}

/** Counts an authentication attempt by its outcome: success, failure (bad credential) or refused (throttled, outage). */
export async function countAuth<T>(metrics: Pick<WorkMetrics, 'authAttempts'> | undefined, method: AuthMethod, attempt: Promise<T>): Promise<T> {
  try {
    const result = await attempt
    metrics?.authAttempts.inc({ method, outcome: 'success' })
    return result
  } catch (e) {
    metrics?.authAttempts.inc({ method, outcome: (e as { code?: string }).code === 'UNAUTHENTICATED' ? 'failure' : 'refused' })
    throw e
  }
}
