// API keys: shown once, hashed, scoped to a subset of the creator's scopes, accepted three ways, revocable,
// expiring, rotatable with a grace period.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { addMember, codeOf, createApiKey, signUp, type Session } from '../helpers/tenants.ts'
import { connectWs } from '../helpers/ws.ts'

let t: TestApp
let owner: Session
beforeAll(async () => {
  t = await startApp({}, { listen: true })
  owner = await signUp(t)
})

const viewer = (headers: Record<string, string>) =>
  t.gql<{ viewer: { principal: { kind: string; id: string }; scopes: string[]; user: null } }>('{ viewer { principal { kind id } scopes user { id } } }', undefined, headers)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('API keys', () => {
  it('are returned once with a recognisable prefix and work as Bearer and X-API-Key', async () => {
    const key = await createApiKey(t, owner, ['TOOLS_READ', 'AGENTS_READ'])
    expect(key.secret).toMatch(/^apk_[A-Za-z0-9_-]{43}$/)
    expect(key.secret.startsWith(key.prefix)).toBe(true)
    for (const headers of [key.headers, { 'x-api-key': key.secret }]) {
      const r = await viewer(headers)
      expect(r.body.data!.viewer).toEqual({ principal: { kind: 'API_KEY', id: key.id }, scopes: ['AGENTS_READ', 'TOOLS_READ'], user: null })
    }
    const listed = await t.gql<{ apiKeys: { edges: { node: Record<string, unknown> }[] } }>('{ apiKeys(first: 50) { edges { node { id prefix lastUsedAt } } } }', undefined, owner.headers)
    const node = listed.body.data!.apiKeys.edges.find((e) => e.node.id === key.id)!.node
    expect(JSON.stringify(listed.body)).not.toContain(key.secret)
    expect(node.lastUsedAt).not.toBeNull()
  })

  it('are accepted in graphql-ws connectionParams', async () => {
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const ws = connectWs(t.port!, { apiKey: key.secret })
    const [r] = await ws.collect<{ viewer: { principal: { kind: string } } }>('{ viewer { principal { kind } } }')
    expect(r!.data!.viewer.principal.kind).toBe('API_KEY')
    await ws.client.dispose()
  })

  it('cannot exceed the scopes of their creator, and their own scopes bound what they can do', async () => {
    const dev = await addMember(t, owner, 'DEVELOPER')
    const r = await t.gql('mutation { createApiKey(input: { name: "too much", scopes: [AUDIT_READ] }) { secret } }', undefined, dev.headers)
    expect(r.status).toBe(403)
    expect(codeOf(r)).toBe('FORBIDDEN')
    const readOnly = await createApiKey(t, dev, ['TOOLS_READ'])
    const denied = await t.gql('mutation { createApiKey(input: { name: "k", scopes: [TOOLS_READ] }) { secret } }', undefined, readOnly.headers)
    expect(codeOf(denied)).toBe('FORBIDDEN')
  })

  it('stop working when revoked, expired, rotated past the grace period, or truncated', async () => {
    const revoked = await createApiKey(t, owner, ['TOOLS_READ'])
    const r = await t.gql<{ revokeApiKey: { apiKey: { revokedAt: string } } }>('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { revokedAt } } }', { id: revoked.id }, owner.headers)
    expect(r.body.data!.revokeApiKey.apiKey.revokedAt).not.toBeNull()

    const expiring = await createApiKey(t, owner, ['TOOLS_READ'], { expiresAt: new Date(Date.now() + 1_500).toISOString() })
    expect((await viewer(expiring.headers)).status).toBe(200)

    const rotating = await createApiKey(t, owner, ['TOOLS_READ'])
    const rotated = await t.gql<{ rotateApiKey: { secret: string; apiKey: { prefix: string } } }>(
      'mutation($id: ID!) { rotateApiKey(input: { id: $id, gracePeriodSeconds: 1 }) { secret apiKey { prefix } } }', { id: rotating.id }, owner.headers)
    const fresh = rotated.body.data!.rotateApiKey
    expect(fresh.secret).not.toBe(rotating.secret)
    expect((await viewer(rotating.headers)).status).toBe(200) // old secret, within the grace period
    expect((await viewer({ authorization: `Bearer ${fresh.secret}` })).status).toBe(200)

    await sleep(1_700)
    for (const headers of [revoked.headers, expiring.headers, rotating.headers, { authorization: `Bearer ${fresh.secret.slice(0, -1)}` }, { 'x-api-key': '' }]) {
      const res = await viewer(headers)
      expect(res.status).toBe(401)
      expect(codeOf(res)).toBe('UNAUTHENTICATED')
    }
    expect((await viewer({ authorization: `Bearer ${fresh.secret}` })).status).toBe(200)
  })

  it("another tenant's key is NOT_FOUND for revoke and rotate, exactly like a missing one", async () => {
    const other = await signUp(t)
    const theirs = await createApiKey(t, other, ['TOOLS_READ'])
    const missing = Buffer.from('ApiKey:00000000-0000-7000-8000-000000000000').toString('base64')
    for (const id of [theirs.id, missing]) {
      const r = await t.gql('mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }', { id }, owner.headers)
      expect(r.body.errors![0]).toMatchObject({ message: 'API key not found.', extensions: { code: 'NOT_FOUND' } })
    }
    expect((await viewer(theirs.headers)).status).toBe(200)
  })

  it('refuses a request that carries two credentials', async () => {
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const r = await viewer({ ...owner.headers, 'x-api-key': key.secret })
    expect(r.status).toBe(401)
  })
})
