// The work metrics (queue by plan, runs by plan and status, model and tool calls with latency, tokens by model,
// authentication by method) and where /metrics is served: never publicly by accident in production.
import { describe, expect, it } from 'vitest'
import { seedAgent } from '../helpers/agents.ts'
import { startApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { run, until } from '../helpers/runs.ts'
import { login, signUp, uniqueEmail } from '../helpers/tenants.ts'
import { scrape, value } from '../helpers/metrics.ts'

describe('where /metrics is served', () => {
  it('is not served in production without METRICS_TOKEN or METRICS_PORT', async () => {
    const t = await startApp({ NODE_ENV: 'production' }, { listen: true })
    expect((await scrape(t.port!)).status).toBe(404)
  })

  it('with METRICS_PORT, is served only on that port', async () => {
    const t = await startApp({ NODE_ENV: 'production', METRICS_PORT: '0' }, { listen: true })
    expect((await scrape(t.port!)).status).toBe(404)
    const m = await scrape(t.app.metricsPort!)
    expect(m.status).toBe(200)
    expect(m.text).toContain('# TYPE queue_depth gauge')
    expect((await fetch(`http://127.0.0.1:${t.app.metricsPort}/graphql`)).status).toBe(404)
  })

  it('with METRICS_TOKEN in production, wants the token', async () => {
    const t = await startApp({ NODE_ENV: 'production', METRICS_TOKEN: 'metrics-token-0123456789' }, { listen: true })
    expect((await scrape(t.port!)).status).toBe(401)
    expect((await scrape(t.port!, { authorization: 'Bearer metrics-token-0123456789' })).status).toBe(200)
  })
})

describe('work metrics', () => {
  it('reports the queue by plan while runs wait, and runs by plan and status', async () => {
    const t = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0' }, { listen: true })
    const owner = await signUp(t)
    const agentId = await seedAgent(t, owner)
    await run(t, owner, { agentId, prompt: 'one' })
    await run(t, owner, { agentId, prompt: 'two' })
    const { text } = await scrape(t.port!)
    expect(value(text, 'queue_depth{plan="free"}')).toBe(2)
    expect(value(text, 'executions_current{plan="free",status="QUEUED"}')).toBe(2)
    expect(value(text, 'queue_oldest_age_seconds{plan="free"}')).toBeGreaterThanOrEqual(0)
    expect(value(text, 'queue_depth{plan="pro"}')).toBeUndefined()
  })

  it('counts model and tool calls by outcome with latency, tokens by model, and authentication by method', async () => {
    const t = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '1', WORKER_POLL_MS: '100' }, { listen: true })
    const email = uniqueEmail()
    const owner = await signUp(t, { email })
    await login(t, email)
    const wrong = await t.gql('mutation { login(input: { email: "nobody@example.test", password: "wrong password here" }) { accessToken } }')
    expect(wrong.body.errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED')
    expect((await t.gql('{ viewer { id } }', {}, { authorization: 'Bearer not-a-token' })).status).toBe(401)
    const agentId = await seedAgent(t, owner, { tools: ['calculator'] })
    const e = await run(t, owner, { agentId, prompt: 'Use the calculator: what is 6 * 7?' })
    expect((await until(t, owner, e.id, ['SUCCEEDED'])).status).toBe('SUCCEEDED')

    const { text } = await scrape(t.port!)
    expect(value(text, 'model_calls_total{model="mock-1",outcome="ok"}')).toBe(2)
    expect(value(text, 'model_call_duration_seconds_count{model="mock-1",outcome="ok"}')).toBe(2)
    expect(value(text, 'tool_calls_total{kind="builtin",outcome="ok"}')).toBe(1)
    expect(value(text, 'tool_call_duration_seconds_count{kind="builtin",outcome="ok"}')).toBe(1)
    expect(value(text, 'model_tokens_total{model="mock-1",type="input"}')).toBeGreaterThan(0)
    expect(value(text, 'model_tokens_total{model="mock-1",type="output"}')).toBeGreaterThan(0)
    expect(value(text, 'auth_attempts_total{method="password",outcome="success"}')).toBe(1)
    expect(value(text, 'auth_attempts_total{method="password",outcome="failure"}')).toBe(1)
    expect(value(text, 'auth_attempts_total{method="access_token",outcome="failure"}')).toBe(1)
    expect(value(text, 'auth_attempts_total{method="access_token",outcome="success"}')).toBeGreaterThan(0)
    expect(value(text, 'queue_depth{plan="free"}')).toBeUndefined()
    // Every authenticated request counts, also when its principal comes from the cache.
    const before = value(text, 'auth_attempts_total{method="access_token",outcome="success"}')!
    for (let i = 0; i < 3; i++) await t.gql('{ viewer { id } }', {}, owner.headers)
    expect(value((await scrape(t.port!)).text, 'auth_attempts_total{method="access_token",outcome="success"}')).toBe(before + 3)
  })
})
