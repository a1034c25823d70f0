// Monthly quotas, end to end: runAgent counts an execution when it creates one and refuses with QUOTA_EXCEEDED (no
// execution created) once the month's executions or tokens are used up; the worker adds each run's tokens; `tenant
// { usage }` reports it; months roll over by the app clock; recordUsage is atomic and row-level secured.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { beforeAll, describe, expect, it } from 'vitest'
import { systemTx } from '../../src/db/scope.ts'
import { getUsage, periodStartOf, recordUsage } from '../../src/services/quota.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { run } from '../helpers/runs.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'

const january = Date.parse('2026-01-31T23:59:59.000Z')
const clock = { t: january, now: () => clock.t }
let t: TestApp
beforeAll(async () => {
  // Its own database: runs are finished (and their tokens recorded by the app clock) by this app's worker only.
  t = await startApp({ ...(await isolatedDatabaseEnv()), QUOTA_FREE_EXECUTIONS_PER_MONTH: '3', QUOTA_FREE_TOKENS_PER_MONTH: '100', PLAN_CACHE_SECONDS: '0' }, { clock: clock.now })
})

const newTenant = async () => {
  const owner = await signUp(t)
  return { owner, id: decodeGlobalID(owner.tenantId).id, agentId: await seedAgent(t, owner, { tools: ['echo'] }) }
}
const record = (tenantId: string, usage: { executions?: number; tokens?: number }, at = clock.t) =>
  t.app.deps.db.forTenant(tenantId).tx((tx) => recordUsage(tx, tenantId, usage, at))

const runMutation = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }'
const tryRun = (s: Session, input: Record<string, unknown>) => t.gql<{ runAgent: { execution: { id: string } } }>(runMutation, { input }, s.headers)

const usageQuery = '{ tenant { usage { executions tokens periodStart periodEnd limits { executionsPerMonth tokensPerMonth } } } }'
type UsageData = { tenant: { usage: { executions: number; tokens: number; periodStart: string; periodEnd: string; limits: unknown } } }
const usageOf = async (s: Session) => (await t.gql<UsageData>(usageQuery, undefined, s.headers)).body.data!.tenant.usage
const executionCount = async (s: Session) =>
  (await t.gql<{ executions: { totalCount: number } }>('{ executions { totalCount } }', undefined, s.headers)).body.data!.executions.totalCount

describe('quotas', () => {
  it('counts each run when it is created and refuses the next one with QUOTA_EXCEEDED', async () => {
    const { owner, agentId } = await newTenant()
    for (let i = 0; i < 3; i++) await tryRun(owner, { agentId, prompt: `hello ${i}` }).then((r) => expect(r.body.errors).toBeUndefined())
    expect(await usageOf(owner)).toMatchObject({ executions: 3 })

    const refused = await tryRun(owner, { agentId, prompt: 'one more' })
    expect(refused.status).toBe(200)
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'executions', limit: 3, used: 3, resetAt: '2026-02-01T00:00:00.000Z' })
    expect(refused.body.errors![0]!.message).toMatch(/executions quota \(3\) is used up/)
    // Refused before the run existed: nothing queued, nothing counted.
    expect(await executionCount(owner)).toBe(3)
    expect(await usageOf(owner)).toMatchObject({ executions: 3 })
  })

  it('is exact when runs are started concurrently', async () => {
    const { owner, agentId } = await newTenant()
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => tryRun(owner, { agentId, prompt: `race ${i}` })))
    expect(results.filter((r) => !r.body.errors)).toHaveLength(3)
    expect(results.filter((r) => codeOf(r) === 'QUOTA_EXCEEDED')).toHaveLength(5)
    expect(await executionCount(owner)).toBe(3)
    expect(await usageOf(owner)).toMatchObject({ executions: 3 })
  })

  it('does not count a replayed request twice', async () => {
    const { owner, agentId } = await newTenant()
    const input = { agentId, prompt: 'once', idempotencyKey: 'quota-replay' }
    const [a, b] = [await tryRun(owner, input), await tryRun(owner, input)]
    expect(b.body.data!.runAgent.execution.id).toBe(a.body.data!.runAgent.execution.id)
    expect(await usageOf(owner)).toMatchObject({ executions: 1 })
  })

  it('adds the tokens each run reports, and refuses once they are used up even if a run went past the limit', async () => {
    const { owner, id, agentId } = await newTenant()
    // A tool call: two model turns, whose tokens add up in the run's usage.
    const done = await run(t, owner, { agentId, prompt: 'please echo the word quota', wait: true })
    expect(done.status).toBe('SUCCEEDED')
    expect(done.usage.totalTokens).toBeGreaterThan(0)
    expect(await usageOf(owner)).toMatchObject({ executions: 1, tokens: done.usage.totalTokens })

    await record(id, { tokens: 100 - done.usage.totalTokens + 7 })
    const refused = await tryRun(owner, { agentId, prompt: 'more' })
    expect(refused.body.errors![0]!.extensions).toMatchObject({ code: 'QUOTA_EXCEEDED', quota: 'tokens', limit: 100, used: 107 })
    expect(await usageOf(owner)).toMatchObject({ executions: 1, tokens: 107 })
  })

  it('counts a run that fails too, with the tokens it used', async () => {
    const { owner, agentId } = await newTenant()
    const failed = await run(t, owner, { agentId, prompt: 'no luck [[mock:fail=permanent]]', wait: true })
    expect(failed.status).toBe('FAILED')
    expect(await usageOf(owner)).toMatchObject({ executions: 1, tokens: failed.usage.totalTokens })
  })

  it('reports usage and limits through tenant { usage }', async () => {
    const { owner, id } = await newTenant()
    await record(id, { executions: 2, tokens: 42 })
    expect(await usageOf(owner)).toEqual({
      executions: 2, tokens: 42, periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-02-01T00:00:00.000Z', limits: { executionsPerMonth: 3, tokensPerMonth: 100 },
    })
  })

  it('starts every calendar month (UTC) from zero', async () => {
    const { owner, id, agentId } = await newTenant()
    await record(id, { executions: 3, tokens: 100 })
    expect(codeOf(await tryRun(owner, { agentId, prompt: 'january' }))).toBe('QUOTA_EXCEEDED')
    clock.t = Date.parse('2026-02-01T00:00:00.000Z')
    try {
      expect(await usageOf(owner)).toMatchObject({ executions: 0, tokens: 0, periodStart: '2026-02-01T00:00:00.000Z' })
      expect((await tryRun(owner, { agentId, prompt: 'february' })).body.errors).toBeUndefined()
      expect(await getUsage(t.app.deps, id, Date.parse('2026-01-15T00:00:00Z'))).toMatchObject({ executions: 3 })
      expect(await usageOf(owner)).toMatchObject({ executions: 1 })
    } finally {
      clock.t = january
    }
  })

  it('sizes quotas by plan; ENTERPRISE is unlimited by default', async () => {
    const { owner, id, agentId } = await newTenant()
    await systemTx(t.app.deps.db.prisma, { tenantId: id }, (tx) => tx.tenant.update({ where: { id }, data: { plan: 'ENTERPRISE' } }))
    await record(id, { executions: 1_000, tokens: 10_000_000_000 })
    expect((await tryRun(owner, { agentId, prompt: 'unlimited' })).body.errors).toBeUndefined()
    const usage = await usageOf(owner)
    expect(usage).toMatchObject({ executions: 1_001, limits: { executionsPerMonth: null, tokensPerMonth: null } })
    expect(usage.tokens).toBeGreaterThanOrEqual(10_000_000_000) // plus the run's own, if it has finished
  })

  it('increments atomically under concurrency', async () => {
    const { owner, id } = await newTenant()
    await Promise.all(Array.from({ length: 25 }, () => record(id, { executions: 1, tokens: 7 })))
    expect(await usageOf(owner)).toMatchObject({ executions: 25, tokens: 175 })
  })

  it('rejects usage recorded through another tenant’s transaction (row-level security)', async () => {
    const [a, b] = [await newTenant(), await newTenant()]
    await expect(t.app.deps.db.forTenant(a.id).tx((tx) => recordUsage(tx, b.id, { executions: 1 }))).rejects.toThrow()
    expect(await getUsage(t.app.deps, b.id)).toMatchObject({ executions: 0 })
    await expect(recordUsage(undefined as never, a.id, { executions: -1 })).rejects.toThrow(RangeError)
  })

  it('computes periods in UTC', () => {
    expect(periodStartOf(Date.parse('2026-03-31T23:30:00-02:00'))).toEqual(new Date('2026-04-01T00:00:00Z'))
    expect(periodStartOf(new Date('2026-12-31T23:59:59.999Z'))).toEqual(new Date('2026-12-01T00:00:00Z'))
  })
})
