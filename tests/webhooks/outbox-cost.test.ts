// The outbox's hot path: a change reports itself to webhooks without a statement of its own. The tenant's endpoints
// are read by the statement that appends the tenant event, once per transaction, so a run that ends (a status event
// and an outcome, in one transaction) sends no extra query whether or not the tenant has endpoints.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { run } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { createWebhook, deliveries, webhookEnv } from './support.ts'

let t: TestApp
let statements: string[] | undefined
beforeAll(async () => {
  // No worker: runs stay QUEUED until cancelled, and no polling is counted.
  t = await startApp({ ...webhookEnv, WORKERS: '0' }, { database: { onQuery: (sql) => statements?.push(sql) } })
})

/** Cancels a queued run of a new agent and returns the statements the cancel sent. */
async function cancelStatements(s: Session) {
  const agentId = await seedAgent(t, s)
  const e = await run(t, s, { agentId, prompt: 'wait' })
  expect(e.status).toBe('QUEUED')
  statements = []
  const r = await t.gql('mutation($id: ID!) { cancelExecution(input: { id: $id }) { execution { status } } }', { id: e.id }, s.headers)
  const sent = statements
  statements = undefined
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return sent
}

const readsWebhooks = (sql: string) => /"webhooks"|\bwebhooks\b/i.test(sql)

describe('webhook outbox cost', () => {
  it('a run ended by a tenant without endpoints reads them once, inside the event append', async () => {
    const sent = await cancelStatements(await signUp(t))
    const reads = sent.filter(readsWebhooks)
    expect(reads).toHaveLength(1)
    expect(reads[0]).toMatch(/INSERT INTO tenant_events/)
    expect(sent.filter((sql) => /webhook_deliveries/.test(sql))).toEqual([])
  })

  it('with an endpoint, both events of the ending run reach the outbox with no extra read', async () => {
    const s = await signUp(t)
    const { webhook } = await createWebhook(t, s, { url: 'http://127.0.0.1:9/never', events: ['execution.*'] })
    const sent = await cancelStatements(s)
    expect(sent.filter(readsWebhooks).filter((sql) => !/webhook_deliveries/.test(sql))).toHaveLength(1)
    const types = (await deliveries(t, s, webhook.id)).map((d) => d.type).sort()
    expect(types).toEqual(['execution.cancelled', 'execution.status', 'execution.status'])
  })

  it('an endpoint disabled or subscribed to other types gets nothing', async () => {
    const s = await signUp(t)
    const { webhook: other } = await createWebhook(t, s, { url: 'http://127.0.0.1:9/other', events: ['tool.*'] })
    const { webhook: off } = await createWebhook(t, s, { url: 'http://127.0.0.1:9/off', events: ['*'] })
    const disabled = await t.gql('mutation($id: ID!) { updateWebhook(input: { id: $id, enabled: false }) { webhook { enabled } } }', { id: off.id }, s.headers)
    expect(disabled.body.errors).toBeUndefined()
    await cancelStatements(s)
    expect(await deliveries(t, s, other.id)).toEqual([])
    expect(await deliveries(t, s, off.id)).toEqual([])
  })
})
