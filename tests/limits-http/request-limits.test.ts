// Request rate limits through the real pipeline: exactly L admitted per principal, tenant and client IP; 429 with
// RATE_LIMITED, retryAfter and Retry-After; X-RateLimit-* on every response; sign-up and login never count; window
// boundaries with an injected clock. Shared store: Redis when the harness has one, else memory.
import { decodeGlobalID } from '@pothos/plugin-relay'
import { beforeAll, describe, expect, it } from 'vitest'
import { systemTx } from '../../src/db/scope.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { codeOf, createApiKey, login, signUp, type Session } from '../helpers/tenants.ts'
import { manualClock } from '../limits/support.ts'
import { burst, count, fromIp, gqlAs, rateHeaders, uniqueIp } from './support.ts'

const L = 5
const clock = manualClock()
let t: TestApp

beforeAll(async () => {
  t = await startApp({
    RATE_LIMIT_FREE_PER_MINUTE: String(L),
    RATE_LIMIT_PRO_PER_MINUTE: '8',
    RATE_LIMIT_TENANT_MULTIPLIER: '2',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '4',
    PLAN_CACHE_SECONDS: '0',
    TRUST_PROXY_HOPS: '1',
  }, { clock: clock.now })
})

/** A new tenant signed up from a fresh IP (sign-up never counts against the request budget). */
const tenant = () => signUp(t)

const setPlan = (s: Session, plan: 'FREE' | 'PRO' | 'ENTERPRISE') => {
  const tenantId = decodeGlobalID(s.tenantId).id
  return systemTx(t.app.deps.db.prisma, { tenantId }, (tx) => tx.tenant.update({ where: { id: tenantId }, data: { plan } }))
}

describe('request rate limits', () => {
  it('admits exactly L of many concurrent requests of one principal and refuses the rest with 429', async () => {
    const owner = await tenant()
    const statuses = await burst(40, () => gqlAs(t, owner.headers))
    expect(count(statuses, 200)).toBe(L)
    expect(count(statuses, 429)).toBe(40 - L)

    const refused = await gqlAs(t, owner.headers)
    expect(refused.status).toBe(429)
    expect(refused.body.data ?? null).toBeNull()
    expect(refused.body.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'RATE_LIMITED', retryAfter: 60, requestId: expect.any(String) }) })])
    expect(refused.headers.get('retry-after')).toBe('60')
    expect(rateHeaders(refused.headers)).toEqual({ limit: String(L), remaining: '0', reset: '60' })
  })

  it('puts X-RateLimit-* on every response, counted or not', async () => {
    const owner = await tenant()
    const ok = await gqlAs(t, owner.headers)
    expect(ok.status).toBe(200)
    expect(rateHeaders(ok.headers)).toEqual({ limit: String(L), remaining: String(L - 1), reset: '60' })

    const invalid = await gqlAs(t, { ...owner.headers, accept: 'application/graphql-response+json' }, '{ nope }')
    expect(invalid.status).toBe(400)
    expect(rateHeaders(invalid.headers)).toEqual({ limit: String(L), remaining: String(L - 2), reset: '60' })

    // Not JSON: refused before the parameters are known, so not counted, but reported.
    const malformed = await t.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...owner.headers }, body: '{"query":' })
    expect(malformed.status).toBe(400)
    expect(rateHeaders(malformed.headers).limit).toBe(String(L))

    const ip = uniqueIp()
    const anonymous = await t.gql('{ serverInfo { mode } }', undefined, fromIp(ip))
    expect(rateHeaders(anonymous.headers)).toEqual({ limit: '4', remaining: '3', reset: '60' })
    const badCredential = await t.gql('{ serverInfo { mode } }', undefined, fromIp(ip, { authorization: 'Bearer apk_nope' }))
    expect(badCredential.status).toBe(401)
    expect(rateHeaders(badCredential.headers)).toEqual({ limit: '4', remaining: '2', reset: '60' })
  })

  it('limits tenants independently', async () => {
    const [a, b] = await Promise.all([tenant(), tenant()])
    const statuses = await burst(30, (i) => gqlAs(t, (i % 2 ? a : b).headers))
    expect(count(statuses, 200)).toBe(2 * L)
  })

  it("counts every principal of a tenant against the tenant's budget (plan limit × RATE_LIMIT_TENANT_MULTIPLIER)", async () => {
    const owner = await tenant()
    const keys = await Promise.all([createApiKey(t, owner, ['TOOLS_READ']), createApiKey(t, owner, ['TOOLS_READ'])])
    // createApiKey spent 2 of the owner's 5; the tenant has 10 - 2 left.
    const statuses = await burst(30, (i) => gqlAs(t, [owner.headers, keys[0].headers, keys[1].headers][i % 3]!))
    expect(count(statuses, 200)).toBe(2 * L - 2)
    const refused = await gqlAs(t, keys[1].headers)
    expect(codeOf(refused)).toBe('RATE_LIMITED')
  })

  it('sizes the limit by the tenant plan', async () => {
    const owner = await tenant()
    await setPlan(owner, 'PRO')
    const statuses = await burst(20, () => gqlAs(t, owner.headers))
    expect(count(statuses, 200)).toBe(8)
    await setPlan(owner, 'ENTERPRISE') // 10,000 by default
    expect((await gqlAs(t, owner.headers)).status).toBe(200)
  })

  it('limits anonymous callers per client IP', async () => {
    const [ip1, ip2] = [uniqueIp(), uniqueIp()]
    const statuses = await burst(20, (i) => t.gql('{ serverInfo { mode } }', undefined, fromIp(i % 2 ? ip1 : ip2)))
    expect(count(statuses, 200)).toBe(8)
  })

  it('never counts sign-up and login against the request budget (they have their own per-IP budget)', async () => {
    const ip = uniqueIp()
    const sessions = []
    for (let i = 0; i < 6; i++) {
      const r = await t.gql<{ signUp: { accessToken: string } }>(
        'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }',
        { i: { tenantName: `t${i}`, email: `anon-${ip}-${i}@example.test`, password: 'correct horse battery staple' } },
        fromIp(ip),
      )
      expect(r.status).toBe(200)
      expect(rateHeaders(r.headers)).toEqual({ limit: '4', remaining: '4', reset: '0' })
      sessions.push(r)
    }
    const owner = await tenant()
    for (let i = 0; i < 3; i++) await login(t, owner.email)
    expect(rateHeaders((await gqlAs(t, owner.headers)).headers).remaining).toBe(String(L - 1))
    const statuses = await burst(6, () => t.gql('{ serverInfo { mode } }', undefined, fromIp(ip)))
    expect(count(statuses, 200)).toBe(4)
  })

  it('slides the window exactly: a hit counts for 60 s and not one millisecond longer', async () => {
    const owner = await tenant()
    clock.at(0)
    expect(count(await burst(3, () => gqlAs(t, owner.headers)), 200)).toBe(3)
    clock.at(30_000)
    expect(count(await burst(2, () => gqlAs(t, owner.headers)), 200)).toBe(2)

    clock.at(59_999)
    const early = await gqlAs(t, owner.headers)
    expect(early.status).toBe(429)
    expect(early.body.errors?.[0]?.extensions.retryAfter).toBe(1)

    clock.at(60_000)
    const statuses = await burst(5, () => gqlAs(t, owner.headers))
    expect(count(statuses, 200)).toBe(3)
    const next = await gqlAs(t, owner.headers)
    expect(next.headers.get('retry-after')).toBe('30')
    clock.at(0)
  })
})
