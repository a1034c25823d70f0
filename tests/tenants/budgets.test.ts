// Budgets per tenant, member, API key and agent, end to end: setBudget validates and scopes its subject, runAgent is
// refused with BUDGET_EXCEEDED (no execution created) once a budget of one of the run's subjects is used up, exactly
// under concurrency, tokens are added by the worker, `budgets` reports usage per subject, 80 % and 100 % are
// announced once per month as `budget.threshold` (tenant event and webhook), and months roll over by the app clock.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { run } from '../helpers/runs.ts'
import { addMember, codeOf, createApiKey, signUp } from '../helpers/tenants.ts'

const march = Date.parse('2026-03-10T12:00:00.000Z')
const clock = { t: march, now: () => clock.t }
let t: TestApp
beforeAll(async () => {
  // Its own database: this app's worker alone finishes its runs, and records their tokens by the app clock.
  t = await startApp({ ...(await isolatedDatabaseEnv()), PLAN_CACHE_SECONDS: '0' }, { clock: clock.now })
})

type Headers = { headers: Record<string, string> }
interface BudgetData {
  id: string
  subject: string
  subjectId: string
  maxExecutions: number | null
  maxTokens: number | null
  usedExecutions: number
  usedTokens: number
  resetAt: string
}
const budgetFields = 'id subject subjectId maxExecutions maxTokens usedExecutions usedTokens resetAt'
const setBudget = (s: Headers, input: Record<string, unknown>) =>
  t.gql<{ setBudget: { budget: BudgetData } }>(`mutation($i: SetBudgetInput!) { setBudget(input: $i) { budget { ${budgetFields} } } }`, { i: input }, s.headers)
const deleteBudget = (s: Headers, id: string) => t.gql<{ deleteBudget: { deletedId: string } }>('mutation($id: ID!) { deleteBudget(input: { id: $id }) { deletedId } }', { id }, s.headers)
const budgets = async (s: Headers) =>
  (await t.gql<{ budgets: { edges: { node: BudgetData }[] } }>(`{ budgets(first: 50) { edges { node { ${budgetFields} } } } }`, undefined, s.headers)).body.data!.budgets.edges.map((e) => e.node)
const tryRun = (s: Headers, input: Record<string, unknown>) =>
  t.gql<{ runAgent: { execution: { id: string } } }>('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }', { input }, s.headers)
const executionCount = async (s: Headers) =>
  (await t.gql<{ executions: { totalCount: number } }>('{ executions { totalCount } }', undefined, s.headers)).body.data!.executions.totalCount
const rawId = (globalId: string) => decodeGlobalID(globalId).id

async function newTenant() {
  const owner = await signUp(t)
  return { owner, tenantId: rawId(owner.tenantId), agentId: await seedAgent(t, owner) }
}

const thresholdEvents = (tenantId: string) =>
  t.app.deps.db.forTenant(tenantId).client.tenantEvent.findMany({ where: { type: 'budget.threshold' }, orderBy: { seq: 'asc' } })

describe('setBudget', () => {
  it('refuses bad limits, misplaced subjects, foreign subjects and members without TENANT_ADMIN, creating nothing', async () => {
    const { owner, agentId } = await newTenant()
    const other = await newTenant()
    const fields = (r: { body: { errors?: { extensions: Record<string, unknown> }[] } }) => r.body.errors?.[0]?.extensions.fields
    const bad: [Record<string, unknown>, string][] = [
      [{ subject: 'AGENT', subjectId: agentId, maxExecutions: -1 }, 'maxExecutions'],
      [{ subject: 'AGENT', subjectId: agentId, maxExecutions: 1_000_000_001 }, 'maxExecutions'],
      [{ subject: 'AGENT', subjectId: agentId, maxTokens: -5 }, 'maxTokens'],
      [{ subject: 'AGENT', subjectId: agentId, maxTokens: 1.5 }, 'maxTokens'],
      [{ subject: 'AGENT', subjectId: agentId, maxTokens: 1e13 }, 'maxTokens'],
      [{ subject: 'AGENT', subjectId: agentId }, 'maxExecutions'],
      [{ subject: 'USER', maxExecutions: 5 }, 'subjectId'],
    ]
    for (const [input, path] of bad) {
      const r = await setBudget(owner, input)
      expect(codeOf(r), JSON.stringify(input)).toBe('VALIDATION_FAILED')
      expect(fields(r), JSON.stringify(input)).toEqual(expect.arrayContaining([expect.objectContaining({ path })]))
    }
    // Another tenant's agent, user and key look exactly like missing ones.
    const foreignKey = await createApiKey(t, other.owner, ['EXECUTIONS_RUN'])
    expect(codeOf(await setBudget(owner, { subject: 'AGENT', subjectId: other.agentId, maxExecutions: 1 }))).toBe('NOT_FOUND')
    expect(codeOf(await setBudget(owner, { subject: 'USER', subjectId: other.owner.userId, maxExecutions: 1 }))).toBe('NOT_FOUND')
    expect(codeOf(await setBudget(owner, { subject: 'API_KEY', subjectId: foreignKey.id, maxExecutions: 1 }))).toBe('NOT_FOUND')
    expect(codeOf(await setBudget(owner, { subject: 'TENANT', subjectId: other.owner.tenantId, maxExecutions: 1 }))).toBe('NOT_FOUND')
    // An id of the wrong type for the subject is not found either.
    expect(codeOf(await setBudget(owner, { subject: 'USER', subjectId: agentId, maxExecutions: 1 }))).toBe('NOT_FOUND')
    const admin = await addMember(t, owner, 'ADMIN')
    expect(codeOf(await setBudget(admin, { subject: 'TENANT', maxExecutions: 1 }))).toBe('FORBIDDEN')
    expect(codeOf(await t.gql('{ budgets { totalCount } }', undefined, admin.headers))).toBe('FORBIDDEN')
    expect(await budgets(owner)).toEqual([])
    expect(await budgets(other.owner)).toEqual([])
  })

  it('creates, replaces and deletes a budget, audited; a foreign budget id is NOT_FOUND', async () => {
    const { owner, tenantId } = await newTenant()
    const other = await newTenant()
    const created = await setBudget(owner, { subject: 'TENANT', maxExecutions: 10 })
    expect(created.body.errors).toBeUndefined()
    const budget = created.body.data!.setBudget.budget
    expect(budget).toMatchObject({ subject: 'TENANT', subjectId: owner.tenantId, maxExecutions: 10, maxTokens: null, usedExecutions: 0, resetAt: '2026-04-01T00:00:00.000Z' })
    const replaced = (await setBudget(owner, { subject: 'TENANT', maxTokens: 5000 })).body.data!.setBudget.budget
    expect(replaced).toMatchObject({ id: budget.id, maxExecutions: null, maxTokens: 5000 })
    expect(codeOf(await deleteBudget(other.owner, budget.id))).toBe('NOT_FOUND')
    expect((await deleteBudget(owner, budget.id)).body.data!.deleteBudget.deletedId).toBe(budget.id)
    expect(codeOf(await deleteBudget(owner, budget.id))).toBe('NOT_FOUND')
    const audit = await t.app.deps.db.forTenant(tenantId).client.auditLog.findMany({ where: { action: { startsWith: 'budget.' } }, orderBy: { id: 'asc' } })
    expect(audit.map((a) => a.action)).toEqual(['budget.set', 'budget.set', 'budget.delete'])
    expect(audit[1]!.changes).toMatchObject({ before: { maxExecutions: 10, maxTokens: null }, after: { maxExecutions: null, maxTokens: 5000 } })
  })
})

describe('enforcement', () => {
  it('refuses the run of a subject whose budget is used up, and only that subject', async () => {
    const { owner, agentId } = await newTenant()
    const otherAgent = await seedAgent(t, owner)
    const developer = await addMember(t, owner, 'DEVELOPER')
    const key = await createApiKey(t, owner, ['EXECUTIONS_RUN'])
    await setBudget(owner, { subject: 'AGENT', subjectId: agentId, maxExecutions: 2 })
    await setBudget(owner, { subject: 'USER', subjectId: developer.userId, maxExecutions: 1 })
    await setBudget(owner, { subject: 'API_KEY', subjectId: key.id, maxExecutions: 1 })

    for (let i = 0; i < 2; i++) expect((await tryRun(owner, { agentId, prompt: `a${i}` })).body.errors).toBeUndefined()
    const refused = await tryRun(owner, { agentId, prompt: 'a3' })
    expect(refused.body.errors![0]!.extensions).toMatchObject({
      code: 'BUDGET_EXCEEDED', scope: 'AGENT', subjectId: agentId, metric: 'executions', limit: 2, used: 2, resetAt: '2026-04-01T00:00:00.000Z',
    })
    expect(await executionCount(owner)).toBe(2)

    expect((await tryRun(developer, { agentId: otherAgent, prompt: 'd1' })).body.errors).toBeUndefined()
    expect(refusedScope(await tryRun(developer, { agentId: otherAgent, prompt: 'd2' }))).toBe('USER')
    expect((await tryRun(key, { agentId: otherAgent, prompt: 'k1' })).body.errors).toBeUndefined()
    expect(refusedScope(await tryRun(key, { agentId: otherAgent, prompt: 'k2' }))).toBe('API_KEY')
    expect((await tryRun(owner, { agentId: otherAgent, prompt: 'o1' })).body.errors).toBeUndefined()

    await setBudget(owner, { subject: 'TENANT', maxExecutions: 5 })
    expect(refusedScope(await tryRun(owner, { agentId: otherAgent, prompt: 'o2' }))).toBe('TENANT')
    expect(await executionCount(owner)).toBe(5)
    const bySubject = Object.fromEntries((await budgets(owner)).map((b) => [b.subject, b.usedExecutions]))
    expect(bySubject).toEqual({ TENANT: 5, AGENT: 2, USER: 1, API_KEY: 1 })
  })

  it('admits exactly the budget when runs start concurrently', async () => {
    const { owner, agentId } = await newTenant()
    await setBudget(owner, { subject: 'AGENT', subjectId: agentId, maxExecutions: 3 })
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => tryRun(owner, { agentId, prompt: `race ${i}` })))
    expect(results.filter((r) => !r.body.errors)).toHaveLength(3)
    expect(results.filter((r) => codeOf(r) === 'BUDGET_EXCEEDED')).toHaveLength(7)
    expect(await executionCount(owner)).toBe(3)
    expect((await budgets(owner))[0]!.usedExecutions).toBe(3)
  })

  it('counts tokens when runs end, refuses once they are used up, and starts again next month', async () => {
    const { owner, agentId } = await newTenant()
    const first = await run(t, owner, { agentId, prompt: 'count my tokens', wait: true })
    expect(first.status).toBe('SUCCEEDED')
    const tokens = first.usage.totalTokens
    expect(tokens).toBeGreaterThan(0)
    // Usage was counted before the budget existed: a budget set mid-month sees the whole month.
    const set = await setBudget(owner, { subject: 'USER', subjectId: owner.userId, maxTokens: tokens })
    expect(set.body.data!.setBudget.budget).toMatchObject({ usedExecutions: 1, usedTokens: tokens })
    const refused = await tryRun(owner, { agentId, prompt: 'more' })
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'BUDGET_EXCEEDED', scope: 'USER', metric: 'tokens', limit: tokens, used: tokens })

    clock.t = Date.parse('2026-04-01T00:00:01.000Z')
    try {
      const april = await run(t, owner, { agentId, prompt: 'a new month', wait: true })
      expect(april.status).toBe('SUCCEEDED')
      expect((await budgets(owner))[0]).toMatchObject({ usedExecutions: 1, usedTokens: april.usage.totalTokens, resetAt: '2026-05-01T00:00:00.000Z' })
    } finally {
      clock.t = march
    }
  })

  it('announces 80 % and 100 % once each, as a tenant event and a webhook', async () => {
    const { owner, tenantId, agentId } = await newTenant()
    const hook = await t.gql<{ createWebhook: { webhook: { id: string } } }>(
      'mutation { createWebhook(input: { url: "https://hooks.example.test/budgets", events: ["budget.*"] }) { webhook { id } } }', undefined, owner.headers)
    expect(hook.body.errors).toBeUndefined()
    const budget = (await setBudget(owner, { subject: 'AGENT', subjectId: agentId, maxExecutions: 5 })).body.data!.setBudget.budget
    for (let i = 0; i < 3; i++) await tryRun(owner, { agentId, prompt: `t${i}` })
    expect(await thresholdEvents(tenantId)).toHaveLength(0)
    await tryRun(owner, { agentId, prompt: 't3' })
    await tryRun(owner, { agentId, prompt: 't4' })
    expect(codeOf(await tryRun(owner, { agentId, prompt: 't5' }))).toBe('BUDGET_EXCEEDED')
    const events = await thresholdEvents(tenantId)
    expect(events.map((e) => e.data)).toEqual([
      expect.objectContaining({ budgetId: budget.id, subject: 'AGENT', subjectId: agentId, metric: 'executions', threshold: 80, limit: 5, used: 4 }),
      expect.objectContaining({ budgetId: budget.id, metric: 'executions', threshold: 100, limit: 5, used: 5 }),
    ])
    expect(events.every((e) => e.resourceType === 'Budget' && e.resourceId === rawId(budget.id))).toBe(true)
    const deliveries = await t.gql<{ webhook: { deliveries: { edges: { node: { type: string } }[] } } }>(
      'query($id: ID!) { webhook(id: $id) { deliveries(first: 10) { edges { node { type } } } } }', { id: hook.body.data!.createWebhook.webhook.id }, owner.headers)
    expect(deliveries.body.data!.webhook.deliveries.edges.map((e) => e.node.type)).toEqual(['budget.threshold', 'budget.threshold'])
    // Raising the limit announces again against the new one.
    await setBudget(owner, { subject: 'AGENT', subjectId: agentId, maxExecutions: 6 })
    await tryRun(owner, { agentId, prompt: 't6' })
    expect((await thresholdEvents(tenantId)).map((e) => (e.data as { threshold: number }).threshold)).toEqual([80, 100, 100])
  })
})

const refusedScope = (r: { body: { errors?: { extensions: Record<string, unknown> }[] } }) =>
  r.body.errors?.[0]?.extensions.code === 'BUDGET_EXCEEDED' ? r.body.errors[0]!.extensions.scope : JSON.stringify(r.body.errors ?? 'admitted')

