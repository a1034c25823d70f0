// Monthly quotas: assertQuota refuses with QUOTA_EXCEEDED once executions or tokens are used up; recordUsage is an
// atomic upsert-increment of the current month; `tenant { usage }` reports it; months roll over by the app clock.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { beforeAll, describe, expect, it } from 'vitest'
import { systemTx } from '../../src/db/scope.ts'
import { AppError } from '../../src/errors.ts'
import { assertQuota, getUsage, periodStartOf, recordUsage } from '../../src/services/quota.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { signUp } from '../helpers/tenants.ts'

const clock = { t: Date.parse('2026-01-31T23:59:59.999Z'), now: () => clock.t }
let t: TestApp
beforeAll(async () => {
  t = await startApp({ QUOTA_FREE_EXECUTIONS_PER_MONTH: '3', QUOTA_FREE_TOKENS_PER_MONTH: '100', PLAN_CACHE_SECONDS: '0' }, { clock: clock.now })
})

const newTenant = async () => {
  const owner = await signUp(t)
  return { owner, id: decodeGlobalID(owner.tenantId).id }
}
const record = (tenantId: string, usage: { executions?: number; tokens?: number }, at = clock.t) =>
  t.app.deps.db.forTenant(tenantId).tx((tx) => recordUsage(tx, tenantId, usage, at))
const refusal = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e)

const usageQuery = '{ tenant { usage { executions tokens periodStart periodEnd limits { executionsPerMonth tokensPerMonth } } } }'

describe('quotas', () => {
  it('refuses a run with QUOTA_EXCEEDED once the month’s executions are used up', async () => {
    const { id } = await newTenant()
    await expect(assertQuota(t.app.deps, id)).resolves.toMatchObject({ executions: 0, tokens: 0 })
    await record(id, { executions: 2, tokens: 10 })
    await expect(assertQuota(t.app.deps, id)).resolves.toMatchObject({ executions: 2 })
    await record(id, { executions: 1 })
    const e = await refusal(assertQuota({ deps: t.app.deps }, id)) // a Session works as well as deps
    expect(e).toBeInstanceOf(AppError)
    expect(e).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'executions', limit: 3, used: 3, resetAt: '2026-02-01T00:00:00.000Z' } })
  })

  it('refuses once the month’s tokens are used up, even if a run went past the limit', async () => {
    const { id } = await newTenant()
    await record(id, { executions: 1, tokens: 99 })
    await expect(assertQuota(t.app.deps, id)).resolves.toBeTruthy()
    await record(id, { tokens: 57 })
    expect(await refusal(assertQuota(t.app.deps, id))).toMatchObject({ code: 'QUOTA_EXCEEDED', details: { quota: 'tokens', limit: 100, used: 156 } })
  })

  it('increments atomically under concurrency', async () => {
    const { id } = await newTenant()
    await Promise.all(Array.from({ length: 25 }, () => record(id, { executions: 1, tokens: 7 })))
    expect(await getUsage(t.app.deps, id)).toMatchObject({ executions: 25, tokens: 175 })
  })

  it('rejects usage recorded through another tenant’s transaction (row-level security)', async () => {
    const [a, b] = [await newTenant(), await newTenant()]
    await expect(t.app.deps.db.forTenant(a.id).tx((tx) => recordUsage(tx, b.id, { executions: 1 }))).rejects.toThrow()
    expect(await getUsage(t.app.deps, b.id)).toMatchObject({ executions: 0 })
    await expect(recordUsage(undefined as never, a.id, { executions: -1 })).rejects.toThrow(RangeError)
  })

  it('reports usage and limits through tenant { usage }', async () => {
    const { owner, id } = await newTenant()
    await record(id, { executions: 2, tokens: 42 })
    const r = await t.gql(usageQuery, undefined, owner.headers)
    expect(r.body).toEqual({
      data: { tenant: { usage: { executions: 2, tokens: 42, periodStart: '2026-01-01T00:00:00.000Z', periodEnd: '2026-02-01T00:00:00.000Z', limits: { executionsPerMonth: 3, tokensPerMonth: 100 } } } },
    })
  })

  it('starts every calendar month (UTC) from zero', async () => {
    const { owner, id } = await newTenant()
    await record(id, { executions: 3, tokens: 100 })
    expect(await refusal(assertQuota(t.app.deps, id))).toMatchObject({ code: 'QUOTA_EXCEEDED' })
    clock.t = Date.parse('2026-02-01T00:00:00.000Z')
    try {
      await expect(assertQuota(t.app.deps, id)).resolves.toMatchObject({ executions: 0, tokens: 0, periodStart: new Date('2026-02-01T00:00:00.000Z') })
      const r = await t.gql<{ tenant: { usage: { executions: number; periodStart: string } } }>(usageQuery, undefined, owner.headers)
      expect(r.body.data!.tenant.usage).toMatchObject({ executions: 0, periodStart: '2026-02-01T00:00:00.000Z' })
      await record(id, { executions: 1 })
      expect(await getUsage(t.app.deps, id, Date.parse('2026-01-15T00:00:00Z'))).toMatchObject({ executions: 3 })
      expect(await getUsage(t.app.deps, id)).toMatchObject({ executions: 1 })
    } finally {
      clock.t = Date.parse('2026-01-31T23:59:59.999Z')
    }
  })

  it('sizes quotas by plan; ENTERPRISE is unlimited by default', async () => {
    const { owner, id } = await newTenant()
    await systemTx(t.app.deps.db.prisma, { tenantId: id }, (tx) => tx.tenant.update({ where: { id }, data: { plan: 'ENTERPRISE' } }))
    await record(id, { executions: 1_000, tokens: 10_000_000_000 })
    await expect(assertQuota(t.app.deps, id)).resolves.toMatchObject({ plan: 'ENTERPRISE', limits: { executionsPerMonth: null, tokensPerMonth: null } })
    const r = await t.gql<{ tenant: { usage: { tokens: number; limits: unknown } } }>(usageQuery, undefined, owner.headers)
    expect(r.body.data!.tenant.usage).toMatchObject({ tokens: 10_000_000_000, limits: { executionsPerMonth: null, tokensPerMonth: null } })
  })

  it('computes periods in UTC', () => {
    expect(periodStartOf(Date.parse('2026-03-31T23:30:00-02:00'))).toEqual(new Date('2026-04-01T00:00:00Z'))
    expect(periodStartOf(new Date('2026-12-31T23:59:59.999Z'))).toEqual(new Date('2026-12-01T00:00:00Z'))
  })
})
