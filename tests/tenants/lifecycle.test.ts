// Tenant lifecycle: rename, delete with confirmation and grace (credentials refused at once, an owner may cancel),
// and the purge, proven complete by counting the rows of every tenant_id table (found in the catalogue) for the
// deleted tenant and for an untouched neighbour.
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { purgeDueTenants } from '../../src/services/tenants.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { services, testEnv } from '../helpers/env.ts'
import { seedTenant } from '../helpers/seed.ts'
import { addMember, codeOf, createApiKey, signUp, type Session } from '../helpers/tenants.ts'
import { auditRows, rawId } from '../catalog/support.ts'

const tenantQuery = '{ tenant { id name plan deletionRequestedAt deletionScheduledAt } }'
const rename = (t: TestApp, s: { headers: Record<string, string> }, name: unknown) =>
  t.gql<{ updateTenant: { tenant: { name: string } } }>('mutation($n: String) { updateTenant(input: { name: $n }) { tenant { name } } }', { n: name }, s.headers)
const del = (t: TestApp, s: { headers: Record<string, string> }, confirmName: string) =>
  t.gql<{ deleteTenant: { deletionScheduledAt: string } }>('mutation($c: String!) { deleteTenant(input: { confirmName: $c }) { deletionScheduledAt } }', { c: confirmName }, s.headers)
const cancel = (t: TestApp, s: { headers: Record<string, string> }) =>
  t.gql<{ cancelTenantDeletion: { tenant: { deletionScheduledAt: string | null } } }>('mutation { cancelTenantDeletion { tenant { deletionScheduledAt } } }', undefined, s.headers)
const tenantName = async (t: TestApp, s: Session) => (await t.gql<{ tenant: { name: string } }>(tenantQuery, undefined, s.headers)).body.data!.tenant.name

/** Rows per table of the tenant: every base table with a tenant_id column, plus the tenant itself and its members' users. */
async function rowCounts(t: TestApp, tenantId: string, userIds: string[]): Promise<Record<string, number>> {
  return t.app.deps.db.forTenant(tenantId).tx(async (tx) => {
    const tables = await tx.$queryRaw<{ name: string }[]>`
      SELECT c.table_name::text AS name FROM information_schema.columns c
        JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE' ORDER BY 1`
    const out: Record<string, number> = {}
    for (const { name } of tables) {
      const [row] = await tx.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${name}" WHERE tenant_id = $1::uuid`, tenantId)
      out[name] = Number(row!.n)
    }
    const [tenants] = await tx.$queryRawUnsafe<{ n: bigint }[]>('SELECT count(*) AS n FROM tenants WHERE id = $1::uuid', tenantId)
    out.tenants = Number(tenants!.n)
    // Users are global: counted with RLS off for them only through their own id (self visibility).
    let users = 0
    for (const id of userIds) {
      await tx.$executeRaw`SELECT set_config('app.user_id', ${id}, true)`
      users += Number((await tx.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM users WHERE id = ${id}::uuid`)[0]!.n)
    }
    out.users = users
    return out
  })
}

describe('tenant lifecycle with a grace period', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startApp({ TENANT_DELETION_GRACE_SECONDS: '3600' })
  })

  it('renames the tenant (TENANT_ADMIN), audited; refuses bad names and members without the scope', async () => {
    const owner = await signUp(t)
    const r = await rename(t, owner, '  Acme Research  ')
    expect(r.body.errors).toBeUndefined()
    expect(r.body.data!.updateTenant.tenant.name).toBe('Acme Research')
    expect(codeOf(await rename(t, owner, 'x'.repeat(101)))).toBe('VALIDATION_FAILED')
    expect(codeOf(await rename(t, owner, 'two\nlines'))).toBe('VALIDATION_FAILED')
    const viewer = await addMember(t, owner, 'VIEWER')
    expect(codeOf(await rename(t, viewer, 'Mine now'))).toBe('FORBIDDEN')
    expect(await tenantName(t, owner)).toBe('Acme Research')
    const [entry] = await auditRows(t, owner, { action: 'tenant.update', outcome: 'SUCCESS' })
    expect(entry!.changes).toMatchObject({ after: { name: 'Acme Research' } })
  })

  it('refuses a wrong confirmation and non-owners, changing nothing', async () => {
    const owner = await signUp(t)
    const name = await tenantName(t, owner)
    const wrong = await del(t, owner, `${name} `)
    expect(codeOf(wrong)).toBe('VALIDATION_FAILED')
    expect(wrong.body.errors![0]!.extensions.fields).toEqual([{ path: 'confirmName', message: "does not match the tenant's name" }])
    const admin = await addMember(t, owner, 'ADMIN')
    expect(codeOf(await del(t, admin, name))).toBe('FORBIDDEN')
    const key = await createApiKey(t, owner, ['TENANT_ADMIN'])
    expect(codeOf(await del(t, key, name))).toBe('FORBIDDEN')
    const tenant = await t.gql<{ tenant: { deletionScheduledAt: string | null } }>(tenantQuery, undefined, owner.headers)
    expect(tenant.body.data!.tenant.deletionScheduledAt).toBeNull()
  })

  it('refuses every credential from the moment deletion is scheduled, lets an owner cancel, then works again', async () => {
    const owner = await signUp(t)
    const member = await addMember(t, owner, 'DEVELOPER')
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const name = await tenantName(t, owner)
    // Each credential is now in the principal cache: scheduling the deletion must drop it there too.
    for (const s of [key, member, owner]) expect((await t.gql('{ tools { edges { node { id } } } }', undefined, s.headers)).body.errors).toBeUndefined()
    const before = Date.now()
    const r = await del(t, owner, name)
    expect(r.body.errors).toBeUndefined()
    const at = Date.parse(r.body.data!.deleteTenant.deletionScheduledAt)
    expect(at).toBeGreaterThanOrEqual(before + 3_600_000 - 1_000)
    expect(at).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1_000)
    for (const s of [key, member, owner]) {
      const tools = await t.gql('{ tools { edges { node { id } } } }', undefined, s.headers)
      expect(codeOf(tools)).toBe('FORBIDDEN')
      expect(tools.body.errors![0]!.message).toContain('scheduled for deletion')
    }
    expect(codeOf(await t.gql('{ viewer { __typename } }', undefined, member.headers))).toBe('FORBIDDEN')
    expect(codeOf(await cancel(t, member))).toBe('FORBIDDEN')
    expect(codeOf(await del(t, owner, name))).toBe('FORBIDDEN') // only cancel remains
    // A fresh login is refused the same way.
    const again = await t.gql('mutation($i: LoginInput!) { login(input: $i) { accessToken user { id } } }', { i: { email: member.email, password: member.password } })
    expect(codeOf(again)).toBe('FORBIDDEN')
    const seen = await t.gql<{ tenant: { deletionScheduledAt: string } }>(tenantQuery, undefined, owner.headers)
    expect(Date.parse(seen.body.data!.tenant.deletionScheduledAt)).toBe(at)
    // The sweep leaves it alone during the grace period.
    await purgeDueTenants(t.app.deps)
    expect((await cancel(t, owner)).body.data!.cancelTenantDeletion.tenant.deletionScheduledAt).toBeNull()
    for (const s of [key, member, owner]) expect((await t.gql('{ tools { edges { node { id } } } }', undefined, s.headers)).body.errors).toBeUndefined()
    const actions = (await auditRows(t, owner)).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['tenant.delete', 'tenant.cancel_deletion']))
    expect(codeOf(await cancel(t, owner))).toBe('CONFLICT')
  })

  it('the worker sweep purges a tenant once its grace period is over', async () => {
    const owner = await signUp(t)
    const r = await del(t, owner, await tenantName(t, owner))
    expect(r.body.errors).toBeUndefined()
    const id = rawId(owner.tenantId)
    await t.app.deps.db.forTenant(id).client.tenant.updateMany({ data: { deletionScheduledAt: new Date(Date.now() - 1_000) } })
    expect(await purgeDueTenants(t.app.deps)).toBeGreaterThanOrEqual(1)
    expect((await rowCounts(t, id, [rawId(owner.userId)])).tenants).toBe(0)
  })
})

describe('tenant purge', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startApp({ TENANT_DELETION_GRACE_SECONDS: '0' })
  })

  it('deletes every row of the tenant in every table and nothing of its neighbour', async () => {
    const victim = await seedTenant(t)
    const neighbour = await seedTenant(t)
    // Someone in both tenants keeps their account; people only in the victim lose theirs.
    const shared = await addMember(t, neighbour.owner, 'VIEWER')
    const joined = await t.gql('mutation($e: String!) { addMember(input: { email: $e, role: VIEWER }) { member { id } } }', { e: shared.email }, victim.owner.headers)
    const victimId = rawId(victim.owner.tenantId)
    const neighbourId = rawId(neighbour.owner.tenantId)
    const victimUsers = victim.ids.User!.map(rawId)
    const neighbourUsers = [...neighbour.ids.User!.map(rawId), rawId(shared.userId)]
    const before = await rowCounts(t, victimId, victimUsers)
    const neighbourBefore = await rowCounts(t, neighbourId, neighbourUsers)
    // The seed touches every table, so "0 after" below proves something for each of them.
    for (const [table, n] of Object.entries(before)) expect(n, `victim rows in ${table} before`).toBeGreaterThan(0)
    expect(joined.body.errors, JSON.stringify(joined.body.errors)).toBeUndefined()

    const r = await del(t, victim.owner, `${victim.marks[0]} tenant`)
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()

    const after = await rowCounts(t, victimId, victimUsers)
    expect(after).toEqual(Object.fromEntries(Object.keys(before).map((k) => [k, 0])))
    expect(await rowCounts(t, neighbourId, neighbourUsers)).toEqual(neighbourBefore)
    expect(codeOf(await t.gql('{ tenant { id } }', undefined, victim.owner.headers))).toBe('UNAUTHENTICATED')
    expect((await t.gql('{ tenant { id } }', undefined, shared.headers)).body.errors).toBeUndefined()
  })
})

describe.skipIf(services.databaseTarget !== 'postgres')('npm run tenant -- plan', () => {
  const t = { app: undefined as unknown as TestApp }
  beforeAll(async () => {
    t.app = await startApp()
  })

  it('changes the plan and audits it as the system; refuses bad arguments', async () => {
    const owner = await signUp(t.app)
    const env = { ...process.env, ...testEnv({ REDIS_URL: undefined }) } as NodeJS.ProcessEnv
    const run = promisify(execFile)
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/cli/tenant.ts', 'plan', rawId(owner.tenantId), 'PRO'], { env })
    expect(JSON.parse(stdout)).toEqual({ tenantId: rawId(owner.tenantId), plan: 'PRO' })
    const tenant = await t.app.gql<{ tenant: { plan: string } }>(tenantQuery, undefined, owner.headers)
    expect(tenant.body.data!.tenant.plan).toBe('PRO')
    const [entry] = await auditRows(t.app, owner, { action: 'tenant.plan_change' })
    expect(entry).toMatchObject({ actorType: 'SYSTEM', changes: { before: { plan: 'FREE' }, after: { plan: 'PRO' } } })
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli/tenant.ts', 'plan', rawId(owner.tenantId), 'GOLD'], { env })).rejects.toMatchObject({ stderr: expect.stringContaining('plan must be one of') })
    await expect(run(process.execPath, ['--import', 'tsx', 'src/cli/tenant.ts', 'plan', '00000000-0000-4000-8000-000000000000', 'PRO'], { env })).rejects.toMatchObject({ stderr: expect.stringContaining('No tenant') })
  })
})
