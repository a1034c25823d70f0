// GET /metrics (Prometheus text): request and operation latency, errors by operation and code, active
// subscriptions, rate-limit rejections, DB pool, Redis state, executions by status and duration, event delivery lag.
// Optional OTLP tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { startApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv, services } from '../helpers/env.ts'
import { seedAgent } from '../helpers/agents.ts'
import { run, until } from '../helpers/runs.ts'
import { signUp } from '../helpers/tenants.ts'
import { connectWs, eventually } from '../helpers/ws.ts'
import { scrape, value } from '../helpers/metrics.ts'

describe('metrics', () => {
  it('exposes request, operation, error, subscription, rate-limit, pool and Redis metrics', async () => {
    const t = await startApp({ RATE_LIMIT_FREE_PER_MINUTE: '2' }, { listen: true })
    const owner = await signUp(t)
    for (let i = 0; i < 3; i++) await t.gql('query Me { viewer { principal { kind } } }', undefined, owner.headers)
    await t.gql('query Broken { nope }')
    const ws = connectWs(t.port!)
    const live = ws.start('subscription Beat { heartbeat(intervalSeconds: 60) }')
    await eventually(() => expect(live.results).toHaveLength(1))

    const m = await scrape(t.port!)
    expect(m.status).toBe(200)
    expect(m.type).toMatch(/^text\/plain; version=0\.0\.4/)
    expect(value(m.text, 'http_request_duration_seconds_count{method="POST",status="200"}')).toBeGreaterThanOrEqual(2)
    expect(value(m.text, 'graphql_operation_duration_seconds_count{operation="Me",type="query",transport="http",outcome="ok"}')).toBe(2)
    expect(value(m.text, 'graphql_operation_duration_seconds_count{operation="Me",type="query",transport="http",outcome="refused"}')).toBe(1)
    expect(value(m.text, 'graphql_errors_total{operation="Broken",code="VALIDATION_FAILED",transport="http"}')).toBe(1)
    expect(value(m.text, 'graphql_errors_total{operation="Me",code="RATE_LIMITED",transport="http"}')).toBe(1)
    expect(value(m.text, 'rate_limit_rejections_total{reason="principal"}')).toBe(1)
    expect(value(m.text, 'graphql_active_subscriptions{transport="ws"}')).toBe(1)
    expect(value(m.text, 'db_pool_connections{state="max"}')).toBeGreaterThanOrEqual(1)
    expect(m.text).toContain('db_pool_connections{state="in_use"}')
    if (services.redisUrl) expect(value(m.text, 'redis_connection_up{connection="limiter"}')).toBe(1)
    for (const name of ['executions_total', 'execution_duration_seconds', 'event_delivery_lag_seconds', 'quota_rejections_total', 'process_cpu_user_seconds_total']) {
      expect(m.text).toContain(`# TYPE ${name}`)
    }

    live.stop()
    await eventually(async () => expect(value((await scrape(t.port!)).text, 'graphql_active_subscriptions{transport="ws"}')).toBe(0))
    await ws.client.dispose()
  })

  it('records executions by status, their duration and the delivery lag of live events', async () => {
    // Its own database: the executions are run (and counted) by this app's worker, not by another test app's.
    const t = await startApp(await isolatedDatabaseEnv(), { listen: true })
    const owner = await signUp(t)
    const agentId = await seedAgent(t, owner)
    // Slow enough that the subscriber is live before most events are committed.
    const started = await run(t, owner, { agentId, prompt: 'tell me something [[mock:delay=20]]' })
    const ws = connectWs(t.port!, { authorization: `Bearer ${owner.accessToken}` })
    const events = await ws.collect('subscription($id: ID!) { executionEvents(executionId: $id) { type } }', { id: started.id })
    expect(events.at(-1)).toMatchObject({ data: { executionEvents: { type: 'RUN_FINISHED' } } })
    const cancelled = await run(t, owner, { agentId, prompt: 'never mind [[mock:delay=1000]]' })
    await t.gql('mutation($id: ID!) { cancelExecution(input: { id: $id }) { execution { id } } }', { id: cancelled.id }, owner.headers)
    await until(t, owner, cancelled.id, ['CANCELLED'])

    const m = (await scrape(t.port!)).text
    expect(value(m, 'executions_total{status="QUEUED"}')).toBe(2)
    expect(value(m, 'executions_total{status="RUNNING"}')).toBeGreaterThanOrEqual(1)
    expect(value(m, 'executions_total{status="SUCCEEDED"}')).toBe(1)
    expect(value(m, 'executions_total{status="CANCELLED"}')).toBe(1)
    expect(value(m, 'execution_duration_seconds_count{status="SUCCEEDED"}')).toBe(1)
    expect(value(m, 'execution_duration_seconds_sum{status="SUCCEEDED"}')).toBeGreaterThan(0)
    expect(value(m, 'event_delivery_lag_seconds_count{transport="ws"}')).toBeGreaterThan(0)
    expect(value(m, 'event_delivery_lag_seconds_count{transport="ws"}')).toBeLessThanOrEqual(events.length)
    await ws.client.dispose()
  })

  it('bounds the operation label: client-chosen names beyond the first 200 become `other`', async () => {
    const t = await startApp()
    const { metrics } = t.app.deps
    for (let i = 0; i < 200; i++) expect(metrics.operationLabel(`Op${i}`)).toBe(`Op${i}`)
    expect(metrics.operationLabel('OneTooMany')).toBe('other')
    expect(metrics.operationLabel('Op7')).toBe('Op7')
    expect(metrics.operationLabel(null)).toBe('anonymous')
  })

  it('requires METRICS_TOKEN when one is configured, and can be switched off', async () => {
    const guarded = await startApp({ METRICS_TOKEN: 'metrics-token-0123456789' }, { listen: true })
    expect((await scrape(guarded.port!)).status).toBe(401)
    expect((await scrape(guarded.port!, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401)
    expect((await scrape(guarded.port!, { authorization: 'Bearer metrics-token-0123456789' })).status).toBe(200)
    const off = await startApp({ METRICS_ENABLED: 'false' }, { listen: true })
    expect((await scrape(off.port!)).status).toBe(404)
  })
})

describe('tracing', () => {
  it('exports a span per operation over OTLP/HTTP when an endpoint is configured, without variables', async () => {
    const bodies: string[] = []
    const collector = http.createServer((req, res) => {
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        if (req.url === '/v1/traces') bodies.push(body)
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
      })
    })
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r))
    try {
      const t = await startApp({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}`, OTEL_SERVICE_NAME: 'traced-api' })
      const r = await t.gql('query Traced($flag: Boolean!) { serverInfo { mode } __typename @include(if: $flag) }', { flag: true, secret: 'do-not-export-me' })
      expect(r.body.errors).toBeUndefined()
      await t.stop() // flushes
      const all = bodies.join('\n')
      expect(all).toContain('query.Traced')
      expect(all).toContain('traced-api')
      expect(all).not.toContain('do-not-export-me')
    } finally {
      collector.close()
    }
  })
})
