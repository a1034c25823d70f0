// viewer.tenant answers from the tenant columns read with the credential (src/auth/principal.ts, TenantSnapshot), so
// S1 (`{ viewer { principal { kind } tenant { id name } } tools(first: 10) { … } }`) sends no statement for the
// tenant; a rename reaches the next request at once, over HTTP and on an open WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { createApiKey, signUp } from '../helpers/tenants.ts'
import { connectWs } from '../helpers/ws.ts'

const S1 = '{ viewer { principal { kind } tenant { id name } } tools(first: 10) { edges { node { id name kind } } } }'
const everyField = 'id name redactPii createdAt deletionRequestedAt deletionScheduledAt plan'

let t: TestApp
let statements: string[] | undefined
beforeAll(async () => {
  // No worker polling, plans and principals cached longer than the test runs: only the request's statements count.
  t = await startApp({ WORKERS: '0', PLAN_CACHE_SECONDS: '3600', PRINCIPAL_CACHE_SECONDS: '300' }, { listen: true, database: { onQuery: (sql) => statements?.push(sql) } })
})
afterAll(() => t.stop())

/** The statements `query` sent, run once before unmeasured (the credential is then cached, as on most requests). */
async function statementsFor(query: string, headers: Record<string, string>) {
  await t.gql(query, undefined, headers)
  statements = []
  const r = await t.gql(query, undefined, headers)
  const sent = statements
  statements = undefined
  expect(r.body.errors).toBeUndefined()
  return sent
}
const readsTenant = (sql: string) => /from "public"\."tenants"/i.test(sql)

describe('viewer.tenant', () => {
  it('costs S1 no statement for the tenant (with an API key and with an access token)', async () => {
    const owner = await signUp(t)
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    for (const headers of [key.headers, owner.headers]) {
      const s1 = await statementsFor(S1, headers)
      expect(s1.filter(readsTenant)).toEqual([])
      // The page and COMMIT (BEGIN travels with its settings, unseen here); the tenant's row made it three.
      expect(s1, s1.join('\n')).toHaveLength(2)
      // A field the snapshot lacks (plan) reads the row: one statement more, and that is the difference.
      const withPlan = await statementsFor(S1.replace('tenant { id name }', 'tenant { id name plan }'), headers)
      expect(withPlan.filter(readsTenant)).toHaveLength(1)
      expect(withPlan.length).toBe(s1.length + 1)
    }
  })

  it('answers exactly what the row says, through fragments too', async () => {
    const owner = await signUp(t)
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const row = await t.gql<{ viewer: { tenant: object } }>(`{ viewer { tenant { ${everyField} } } }`, undefined, owner.headers)
    expect(row.body.errors).toBeUndefined()
    const { plan: _plan, ...expected } = row.body.data!.viewer.tenant as Record<string, unknown>
    for (const headers of [key.headers, owner.headers]) {
      await t.gql('{ viewer { principal { kind } } }', undefined, headers)
      const q = `{ viewer { tenant { __typename ...F ... on Tenant { createdAt } } } } fragment F on Tenant { ${everyField.replace(' plan', '')} }`
      const sent = await statementsFor(q, headers)
      expect(sent.filter(readsTenant)).toEqual([])
      const r = await t.gql<{ viewer: { tenant: object } }>(q, undefined, headers)
      expect(r.body.data!.viewer.tenant).toEqual({ __typename: 'Tenant', ...expected })
    }
  })

  it('shows a rename and a redaction change on the very next request, over HTTP and on an open WebSocket', async () => {
    const owner = await signUp(t)
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const ws = connectWs(t.port!, { apiKey: key.secret })
    const q = '{ viewer { tenant { name redactPii } } }'
    const viaWs = async () => ((await ws.collect<{ viewer: { tenant: object } }>(q))[0]!.data!.viewer.tenant)
    const viaHttp = async (headers: Record<string, string>) => (await t.gql<{ viewer: { tenant: object } }>(q, undefined, headers)).body.data!.viewer.tenant
    const before = await viaHttp(key.headers)
    expect(await viaHttp(owner.headers)).toEqual(before)
    expect(await viaWs()).toEqual(before)
    const updated = await t.gql('mutation { updateTenant(input: { name: "Renamed", redactPii: true }) { tenant { name } } }', undefined, owner.headers)
    expect(updated.body.errors).toBeUndefined()
    for (const headers of [key.headers, owner.headers]) expect(await viaHttp(headers)).toEqual({ name: 'Renamed', redactPii: true })
    expect(await viaWs()).toEqual({ name: 'Renamed', redactPii: true })
    await ws.client.dispose()
  })
})
