// Row-level security as the database enforces it, independent of the application: every tenant-owned table is
// covered, the application's role cannot bypass it, and the audit log is append-only except for the retention purge.
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { services } from '../helpers/env.ts'

const appRole = 'agent_platform_app'

describe.skipIf(!services.postgresUrl)('row-level security (PostgreSQL)', () => {
  let admin: pg.Client
  let app: pg.Client
  beforeAll(async () => {
    admin = new pg.Client({ connectionString: services.postgresUrl })
    await admin.connect()
    app = new pg.Client({ connectionString: services.postgresUrl, options: `-c role=${appRole}` })
    await app.connect()
  })
  afterAll(async () => {
    await app?.end()
    await admin?.end()
  })

  it('covers every table that has a tenant_id, forced, with at least one policy', async () => {
    const { rows } = await admin.query<{ table: string; enabled: boolean; forced: boolean; policies: number }>(`
      SELECT c.relname AS table, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
             (SELECT count(*)::int FROM pg_policy p WHERE p.polrelid = c.oid) AS policies
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
        AND (EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
             OR c.relname IN ('tenants', 'users'))`)
    expect(rows.length).toBeGreaterThanOrEqual(13)
    for (const r of rows) expect(r, r.table).toMatchObject({ enabled: true, forced: true, policies: expect.any(Number) })
    for (const r of rows) expect(r.policies, r.table).toBeGreaterThan(0)
  })

  it('runs the application as a role that is neither superuser nor exempt from RLS', async () => {
    const { rows } = await app.query('SELECT current_user AS name, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user')
    expect(rows[0]).toEqual({ name: appRole, rolsuper: false, rolbypassrls: false })
  })

  it('shows no rows without a tenant, and only that tenant’s rows with one', async () => {
    const tenants = (await admin.query<{ id: string }>(`INSERT INTO tenants (id, name, updated_at) VALUES (gen_random_uuid(), 'rls a', now()), (gen_random_uuid(), 'rls b', now()) RETURNING id`)).rows
    for (const t of tenants) {
      await admin.query(`INSERT INTO tools (id, tenant_id, name, kind, updated_at) VALUES (gen_random_uuid(), $1, 'rls-' || gen_random_uuid(), 'BUILTIN', now())`, [t.id])
    }
    expect((await app.query('SELECT count(*)::int AS n FROM tools')).rows[0].n).toBe(0)
    expect((await app.query('SELECT count(*)::int AS n FROM tenants')).rows[0].n).toBe(0)
    await app.query('BEGIN')
    await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenants[0]!.id])
    const seen = (await app.query<{ tenant_id: string }>('SELECT DISTINCT tenant_id FROM tools')).rows
    await expect(app.query(`INSERT INTO tools (id, tenant_id, name, kind, updated_at) VALUES (gen_random_uuid(), $1, 'smuggled', 'BUILTIN', now())`, [tenants[1]!.id]))
      .rejects.toThrow(/row-level security/)
    await app.query('ROLLBACK')
    expect(seen).toEqual([{ tenant_id: tenants[0]!.id }])
  })

  it('refuses UPDATE and DELETE on the audit log, to the application and to the table owner', async () => {
    const { rows: [tenant] } = await admin.query<{ id: string }>(`INSERT INTO tenants (id, name, updated_at) VALUES (gen_random_uuid(), 'audit', now()) RETURNING id`)
    await admin.query(`INSERT INTO audit_log (id, tenant_id, actor_type, action, outcome, at) VALUES (gen_random_uuid(), $1, 'SYSTEM', 'test.recent', 'SUCCESS', now()),
      (gen_random_uuid(), $1, 'SYSTEM', 'test.old', 'SUCCESS', now() - interval '40 days')`, [tenant!.id])
    await app.query('BEGIN')
    await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenant!.id])
    await expect(app.query("UPDATE audit_log SET action = 'forged'")).rejects.toThrow(/permission denied/)
    await app.query('ROLLBACK')
    await app.query('BEGIN')
    await app.query("SELECT set_config('app.tenant_id', $1, true)", [tenant!.id])
    await expect(app.query('DELETE FROM audit_log')).rejects.toThrow(/permission denied/)
    await app.query('ROLLBACK')
    await expect(admin.query("UPDATE audit_log SET action = 'forged' WHERE tenant_id = $1", [tenant!.id])).rejects.toThrow(/append-only/)
    await expect(admin.query('DELETE FROM audit_log WHERE tenant_id = $1', [tenant!.id])).rejects.toThrow(/append-only/)
    await expect(admin.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/)
  })

  it('lets the application purge entries older than the retention period, and nothing else', async () => {
    const { rows: [tenant] } = await admin.query<{ id: string }>(`INSERT INTO tenants (id, name, updated_at) VALUES (gen_random_uuid(), 'purge', now()) RETURNING id`)
    await admin.query(`INSERT INTO audit_log (id, tenant_id, actor_type, action, outcome, at) VALUES (gen_random_uuid(), $1, 'SYSTEM', 'keep', 'SUCCESS', now() - interval '5 days'),
      (gen_random_uuid(), $1, 'SYSTEM', 'purge', 'SUCCESS', now() - interval '40 days')`, [tenant!.id])
    await expect(app.query('SELECT purge_audit_log(0)')).rejects.toThrow(/at least 1/)
    const purged = (await app.query<{ n: string }>('SELECT purge_audit_log(30) AS n')).rows[0]!.n
    expect(Number(purged)).toBeGreaterThanOrEqual(1)
    const left = (await admin.query<{ action: string }>('SELECT action FROM audit_log WHERE tenant_id = $1', [tenant!.id])).rows.map((r) => r.action)
    expect(left).toEqual(['keep'])
  })
})
