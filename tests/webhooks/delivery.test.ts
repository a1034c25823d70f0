// End to end against a real receiver on loopback: the outbox row is written with the change, the in-process
// dispatcher signs and sends it, retries with the same webhook-id, gives up as DEAD, and sends again on request.
import { Webhook } from 'standardwebhooks'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { run } from '../helpers/runs.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { signUp } from '../helpers/tenants.ts'
import { createEchoTool, createWebhook, deliveries, eventually, startReceiver, webhookEnv, type Receiver } from './support.ts'

let t: TestApp
let receiver: Receiver
beforeAll(async () => {
  // A database of its own: another file's dispatcher (stricter policy) must not take these deliveries.
  t = await startApp({ ...(await isolatedDatabaseEnv()), ...webhookEnv })
  receiver = await startReceiver()
})

describe('webhook delivery', () => {
  it('delivers a run outcome once, signed so the reference verifier accepts it', async () => {
    const s = await signUp(t)
    const { webhook, secret } = await createWebhook(t, s, { url: receiver.url('/outcome'), events: ['execution.succeeded', 'execution.failed'] })
    const agentId = await seedAgent(t, s)
    const e = await run(t, s, { agentId, prompt: 'Say hello', wait: true })
    expect(e.status).toBe('SUCCEEDED')

    const [d] = await eventually(async () => {
      const list = await deliveries(t, s, webhook.id)
      expect(list.map((x) => x.status)).toEqual(['SUCCEEDED'])
      return list
    })
    expect(d).toMatchObject({ type: 'execution.succeeded', attempts: 1, lastStatusCode: 204, lastError: null, nextAttemptAt: null, webhookId: webhook.id })
    const [req] = receiver.at('/outcome')
    expect(receiver.at('/outcome')).toHaveLength(1)
    expect(req!.headers['webhook-id']).toBe(d!.eventId)
    expect(Math.abs(Number(req!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60)
    const payload = new Webhook(secret).verify(req!.body, req!.headers) as { type: string; timestamp: string; data: Record<string, unknown> }
    expect(payload).toMatchObject({ type: 'execution.succeeded', data: { executionId: e.id, status: 'SUCCEEDED', output: e.output, agentId } })
    expect(payload.data.usage).toEqual(e.usage)
    expect(() => new Webhook(secret).verify(req!.body.replace('SUCCEEDED', 'FAILED'), req!.headers)).toThrow()
  })

  it('a receiver that fails twice gets the event on the third attempt, under one webhook-id', async () => {
    const s = await signUp(t)
    receiver.on('/flaky', (n) => (n <= 2 ? 500 : 200))
    const { webhook, secret } = await createWebhook(t, s, { url: receiver.url('/flaky'), events: ['tool.*'] })
    await createEchoTool(t, s, 'flaky-echo')

    const [d] = await eventually(async () => {
      const list = await deliveries(t, s, webhook.id)
      expect(list.map((x) => x.status)).toEqual(['SUCCEEDED'])
      return list
    })
    expect(d).toMatchObject({ type: 'tool.create', attempts: 3, lastStatusCode: 200, lastError: null })
    const attempts = receiver.at('/flaky')
    expect(attempts).toHaveLength(3)
    expect(new Set(attempts.map((a) => a.headers['webhook-id']))).toEqual(new Set([d!.eventId]))
    expect(new Set(attempts.map((a) => a.body)).size).toBe(1)
    for (const a of attempts) expect(new Webhook(secret).verify(a.body, a.headers)).toMatchObject({ type: 'tool.create', data: { resourceType: 'Tool' } })
  })

  it('a receiver that always fails ends DEAD after WEBHOOK_MAX_ATTEMPTS; redeliverWebhook sends it again with the same id', async () => {
    const s = await signUp(t)
    let answer = 503
    receiver.on('/down', () => answer)
    const { webhook } = await createWebhook(t, s, { url: receiver.url('/down'), events: ['tool.create'] })
    await createEchoTool(t, s, 'down-echo')

    const [dead] = await eventually(async () => {
      const list = await deliveries(t, s, webhook.id, 'DEAD')
      expect(list).toHaveLength(1)
      return list
    })
    expect(dead).toMatchObject({ attempts: 3, lastStatusCode: 503, nextAttemptAt: null, deliveredAt: null })
    expect(dead!.lastError).toContain('receiver says no')
    expect(receiver.at('/down')).toHaveLength(3)
    expect(await deliveries(t, s, webhook.id, 'SUCCEEDED')).toEqual([])

    answer = 200
    const r = await t.gql<{ redeliverWebhook: { delivery: { id: string; status: string; attempts: number } } }>(
      'mutation($input: RedeliverWebhookInput!) { redeliverWebhook(input: $input) { delivery { id status attempts } } }', { input: { deliveryId: dead!.id } }, s.headers)
    expect(r.body.errors).toBeUndefined()
    expect(r.body.data!.redeliverWebhook.delivery).toMatchObject({ id: dead!.id, status: 'PENDING', attempts: 0 })
    await eventually(async () => expect((await deliveries(t, s, webhook.id))[0]).toMatchObject({ status: 'SUCCEEDED', attempts: 1, lastStatusCode: 200 }))
    const all = receiver.at('/down')
    expect(all).toHaveLength(4)
    expect(all[3]!.headers['webhook-id']).toBe(dead!.eventId)
  })

  it('counts deliveries by outcome and their lag in Prometheus metrics', async () => {
    const text = await t.app.deps.metrics.render()
    expect(text).toMatch(/webhook_deliveries_total\{outcome="succeeded"\} [1-9]/)
    expect(text).toMatch(/webhook_deliveries_total\{outcome="failed"\} [1-9]/)
    expect(text).toMatch(/webhook_deliveries_total\{outcome="dead"\} [1-9]/)
    expect(text).toMatch(/webhook_delivery_lag_seconds_count [1-9]/)
  })
})
