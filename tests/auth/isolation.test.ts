// Tenant isolation, generated from the schema: tenant A (an OWNER, so every scope) calls every root field that takes
// an id with each of tenant B's real ids and with a missing id. Each call must fail exactly as for the missing id
// (same code and message), leak nothing of B, and leave every row of B unchanged. The suite runs with both isolation
// layers, and with each layer switched off in turn to prove the other holds on its own.
import { type GraphQLObjectType } from 'graphql'
import { beforeAll, describe, expect, it } from 'vitest'
import { schema } from '../../src/graphql/index.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { crossTenantProbes, type Probe } from '../helpers/cross-tenant.ts'
import { seedTenant, type Seeded } from '../helpers/seed.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs } from '../helpers/ws.ts'

const tables = ['memberships', 'invitations', 'api_keys', 'refresh_tokens', 'tools', 'agents', 'agent_tools', 'threads', 'executions', 'execution_events', 'audit_log', 'tenant_events', 'budgets', 'subject_usage', 'tenant_exports', 'tenant_export_chunks']
const raw = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!

/** Every row of tenant B, read directly (not through the API under test). */
async function snapshot(t: TestApp, tenantId: string) {
  return t.app.deps.db.forTenant(tenantId).tx(async (tx) => {
    const out: Record<string, unknown> = {}
    for (const table of ['tenants', ...tables]) {
      const column = table === 'tenants' ? 'id' : 'tenant_id'
      out[table] = await tx.$queryRawUnsafe(`SELECT to_jsonb(x) AS row FROM ${table} x WHERE ${column} = $1::uuid ORDER BY 1`, tenantId)
    }
    out.users = await tx.$queryRawUnsafe('SELECT to_jsonb(u) AS row FROM users u JOIN memberships m ON m.user_id = u.id WHERE m.tenant_id = $1::uuid ORDER BY 1', tenantId)
    return out
  })
}

const isPublic = (p: Probe) => {
  const root = p.operation === 'query' ? schema.getQueryType() : p.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType()
  const options = (root as GraphQLObjectType).getFields()[p.field]!.extensions?.pothosOptions as { authScopes?: { public?: boolean } }
  return options?.authScopes?.public === true
}

const modes = [
  { name: 'both layers', env: {}, database: {}, rls: true },
  { name: 'application filter alone (row-level security bypassed)', env: { DATABASE_ROLE: 'none' }, database: {}, rls: false },
  { name: 'row-level security alone (application filter off)', env: {}, database: { tenantFilter: false }, rls: true },
]

describe.each(modes)('cross-tenant isolation: $name', ({ env, database, rls }) => {
  let t: TestApp
  let victim: Seeded
  let attacker: Session
  beforeAll(async () => {
    t = await startApp(env, { listen: true, database })
    victim = await seedTenant(t)
    attacker = await signUp(t)
  })

  it('runs with the intended layers', async () => {
    const [row] = await t.app.deps.db.forTenant(raw(victim.owner.tenantId)).tx((tx) => tx.$queryRaw<{ active: boolean }[]>`SELECT row_security_active('tools') AS active`)
    expect(row!.active).toBe(rls)
  })

  it('every id-taking root field treats a foreign id exactly like a missing one and changes nothing', async () => {
    const before = await snapshot(t, raw(victim.owner.tenantId))
    const probes = crossTenantProbes(schema, victim.ids)
    expect(new Set(probes.map((p) => p.field)).size).toBeGreaterThanOrEqual(7) // the generator found the id-taking fields
    const ws = connectWs(t.port!, { authorization: `Bearer ${attacker.accessToken}` })
    const outcomes = new Map<string, string>()
    for (const p of probes) {
      let text: string
      let codes: string[]
      if (p.operation === 'subscription') {
        const err = await ws.collect(p.query, p.variables).then((r) => r, (e: unknown) => e)
        text = JSON.stringify(err)
        codes = ((Array.isArray(err) ? err : [err]) as { extensions?: { code?: string }; errors?: { extensions: { code: string } }[] }[])
          .flatMap((e) => e.errors?.map((x) => x.extensions.code) ?? [e.extensions?.code ?? 'none'])
      } else {
        const r = await t.gql(p.query, p.variables, attacker.headers)
        text = JSON.stringify(r.body)
        codes = (r.body.errors ?? []).map((e) => e.extensions.code)
        expect(r.body.data?.[p.field] ?? null, `${p.field} with ${p.variant} ${p.idType} returned data`).toBeNull()
      }
      const label = `${p.operation} ${p.field} with a ${p.variant} ${p.idType} id`
      expect(codes.length, `${label}: no error`).toBeGreaterThan(0)
      for (const c of codes) expect(isPublic(p) ? ['NOT_FOUND', 'UNAUTHENTICATED'] : ['NOT_FOUND'], label).toContain(c)
      for (const m of victim.marks) expect(text, `${label} leaked ${m}`).not.toContain(m)
      const shape = text.replace(/"requestId":"[^"]+"/g, '')
      const key = `${p.operation} ${p.field} ${p.idType}`
      if (p.variant === 'missing') outcomes.set(key, shape)
      else expect(shape, `${label} differs from a missing id`).toBe(outcomes.get(key))
    }
    await ws.client.dispose()
    expect(await snapshot(t, raw(victim.owner.tenantId))).toEqual(before)
  }, 120_000)

  it("lists never include another tenant's rows", async () => {
    const r = await t.gql('{ members { totalCount edges { node { id } } } apiKeys { totalCount } invitations { totalCount } viewer { tenant { id } } }', undefined, attacker.headers)
    expect(r.body.errors).toBeUndefined()
    expect(r.body.data).toMatchObject({ members: { totalCount: 1 }, apiKeys: { totalCount: 0 }, invitations: { totalCount: 0 }, viewer: { tenant: { id: attacker.tenantId } } })
    const catalog = await t.gql<{ auditLog: { edges: { node: { action: string } }[] } }>(`query($tool: String!, $agent: String!, $resource: String!, $actor: String!) {
      tools { totalCount } agents { totalCount } threads { totalCount }
      byAgent: tools(filter: { agentName: $agent }) { totalCount } byTool: agents(filter: { toolName: $tool }) { totalCount }
      byResource: auditLog(filter: { resourceId: $resource }) { totalCount } byActor: auditLog(filter: { actorId: $actor }) { totalCount }
      auditLog(first: 100) { edges { node { action } } }
    }`, { tool: `${victim.marks[0]} tool`, agent: `${victim.marks[0]} agent`, resource: victim.ids.Tool![0]!, actor: victim.owner.userId }, attacker.headers)
    expect(catalog.body.errors).toBeUndefined()
    expect(catalog.body.data).toMatchObject({
      tools: { totalCount: 0 }, agents: { totalCount: 0 }, threads: { totalCount: 0 }, byAgent: { totalCount: 0 }, byTool: { totalCount: 0 },
      byResource: { totalCount: 0 }, byActor: { totalCount: 0 },
    })
    const text = JSON.stringify(catalog.body)
    for (const m of victim.marks) expect(text).not.toContain(m)
  })
})
