// Field-level limits through @envelop/rate-limiter on the atomic store, configured by field name
// (FIELD_RATE_LIMITS). Tested on an existing mutation, createApiKey; runAgent gets the same treatment by default.
import { beforeAll, describe, expect, it } from 'vitest'
import { loadConfig } from '../../src/config.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { addMember, codeOf, signUp, type Session } from '../helpers/tenants.ts'
import { connectWs } from '../helpers/ws.ts'
import { burst, count } from './support.ts'

const MAX = 3
let t: TestApp
beforeAll(async () => {
  t = await startApp({ FIELD_RATE_LIMITS: `Mutation.createApiKey=${MAX}/1m` }, { listen: true })
})

const create = (n: number) =>
  `mutation { ${Array.from({ length: n }, (_, i) => `k${i}: createApiKey(input: { name: "k-${i}-${Math.random()}", scopes: [TOOLS_READ] }) { secret }`).join(' ')} }`
const keyCount = async (s: Session) =>
  (await t.gql<{ apiKeys: { totalCount: number } }>('{ apiKeys { totalCount } }', undefined, s.headers)).body.data!.apiKeys.totalCount

describe('field-level rate limits', () => {
  it('limits runAgent to 10 per minute per principal by default', () => {
    expect(loadConfig({}).limits.fields).toEqual([{ type: 'Mutation', field: 'runAgent', max: 10, windowMs: 60_000 }])
  })

  it('admits exactly MAX concurrent calls per principal and refuses the rest with RATE_LIMITED and retryAfter', async () => {
    const owner = await signUp(t)
    const statuses = await burst(12, () => t.gql(create(1), undefined, owner.headers))
    expect(count(statuses, 200)).toBe(MAX)
    expect(await keyCount(owner)).toBe(MAX)

    const refused = await t.gql(create(1), undefined, owner.headers)
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toMatch(/^(59|60)$/)
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number), field: 'createApiKey' })
    expect(JSON.stringify(refused.body)).not.toMatch(/originalError|stack/)

    // Another principal of the same tenant has its own budget.
    const member = await addMember(t, owner, 'ADMIN')
    expect(codeOf(await t.gql(create(1), undefined, member.headers))).toBeUndefined()
  })

  it('counts each alias as a call, and refuses an operation before anything in it runs', async () => {
    const owner = await signUp(t)
    expect((await t.gql(create(2), undefined, owner.headers)).body.errors).toBeUndefined()
    expect(await keyCount(owner)).toBe(2)

    const over = await t.gql(create(2), undefined, owner.headers)
    expect(codeOf(over)).toBe('RATE_LIMITED')
    expect(over.body.data ?? null).toBeNull()
    expect(await keyCount(owner)).toBe(2) // nothing of the refused operation ran
    // The alias admitted before the refusal stays counted: limits never under-count.
    expect(codeOf(await t.gql(create(1), undefined, owner.headers))).toBe('RATE_LIMITED')

    const fresh = await signUp(t)
    expect(codeOf(await t.gql(create(MAX + 1), undefined, fresh.headers))).toBe('RATE_LIMITED')
    expect(await keyCount(fresh)).toBe(0)
  })

  it('applies over WebSocket too, counting against the same budget', async () => {
    const owner = await signUp(t)
    expect((await t.gql(create(MAX - 1), undefined, owner.headers)).body.errors).toBeUndefined()
    const ws = connectWs(t.port!, { authorization: owner.headers.authorization })
    const [ok] = await ws.collect(create(1))
    expect(ok!.errors).toBeUndefined()
    const [refused] = await ws.collect(create(1))
    expect(refused!.errors?.[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) })
    expect(JSON.stringify(refused)).not.toMatch(/originalError|stack|"http"/)
    await ws.client.dispose()
  })
})
