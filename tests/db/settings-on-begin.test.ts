// A transaction's row-level security settings travel in the same message as its BEGIN on PostgreSQL (one round trip
// fewer per transaction), and a connection never passes settings on to a checkout they were not meant for.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { beginWithSettings, sendSettingsWithBegin } from '../../src/db/settings-on-begin.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { services } from '../helpers/env.ts'
import { signUp } from '../helpers/tenants.ts'

describe.skipIf(!services.postgresUrl)('settings sent with BEGIN (PostgreSQL)', () => {
  let t: TestApp
  let statements: string[] | undefined
  let pool: pg.Pool
  beforeAll(async () => {
    // Row-level security alone: a transaction whose settings went missing would see nothing.
    t = await startApp({ WORKERS: '0' }, { database: { tenantFilter: false, onQuery: (sql) => statements?.push(sql) } })
    pool = sendSettingsWithBegin(new pg.Pool({ connectionString: services.postgresUrl, max: 1, options: '-c role=agent_platform_app' }))
  })
  afterAll(() => pool?.end())

  it('applies a tenant transaction’s settings without a statement of their own', async () => {
    const tenantId = Buffer.from((await signUp(t)).tenantId, 'base64').toString().split(':')[1]!
    statements = []
    const seen = await t.app.deps.db.forTenant(tenantId).tx((tx) =>
      tx.$queryRaw<{ tenant: string; tenants: number }[]>`SELECT current_setting('app.tenant_id', true) AS tenant, (SELECT count(*)::int FROM tenants) AS tenants`)
    const sent = statements
    statements = undefined
    expect(seen).toEqual([{ tenant: tenantId, tenants: 1 }])
    expect(sent.filter((sql) => /set_config/.test(sql))).toEqual([])
  })

  it('reads of a query operation share one read-only transaction that carries the tenant', async () => {
    const owner = await signUp(t)
    const tenantId = Buffer.from(owner.tenantId, 'base64').toString().split(':')[1]!
    await t.gql('mutation { createTool(input: { name: "shared", description: "Reads.", kind: BUILTIN, handler: "echo" }) { tool { id } } }', {}, owner.headers)
    const query = '{ viewer { tenant { name } } tools(first: 5) { edges { node { name } } } }'
    await t.gql(query, undefined, owner.headers) // the credential is then served from its cache
    statements = []
    const r = await t.gql<{ viewer: { tenant: { name: string } }; tools: { edges: { node: { name: string } }[] } }>(query, undefined, owner.headers)
    const sent = statements
    statements = undefined
    // Row-level security alone: both reads saw the tenant's rows, so the settings reached their transaction.
    expect(r.body.errors).toBeUndefined()
    expect(r.body.data!.viewer.tenant.name).toBeTruthy()
    expect(r.body.data!.tools.edges.map((e) => e.node.name)).toEqual(['shared'])
    expect(sent.filter((sql) => /^\s*COMMIT/i.test(sql))).toHaveLength(1)
    expect(sent.filter((sql) => /set_config/.test(sql))).toEqual([])
    // And that transaction is read-only: a write inside it fails instead of committing half an operation.
    const write = t.app.deps.db.shareReads(tenantId, () => t.app.deps.db.forTenant(tenantId).tx((tx) => tx.$executeRaw`UPDATE tools SET name = 'renamed'`))
    await expect(write).rejects.toThrow(/read-only transaction/)
  })

  it('drops settings a checkout did not begin a transaction with, and escapes their values', async () => {
    const quote = "it's; SELECT 1 --"
    const unused = await beginWithSettings({ 'app.tenant_id': quote }, async (sent) => {
      const client = await pool.connect()
      await client.query('SELECT 1')
      client.release()
      return sent()
    })
    expect(unused).toBe(false)
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      expect((await client.query("SELECT current_setting('app.tenant_id', true) AS v")).rows[0].v ?? '').toBe('')
      await client.query('COMMIT')
    } finally {
      client.release()
    }
    const value = await beginWithSettings({ 'app.tenant_id': quote }, async (sent) => {
      const c = await pool.connect()
      try {
        await c.query('BEGIN')
        const v = (await c.query("SELECT current_setting('app.tenant_id', true) AS v")).rows[0].v as string
        await c.query('COMMIT')
        return { v, sent: sent() }
      } finally {
        c.release()
      }
    })
    expect(value).toEqual({ v: quote, sent: true })
  })
})
