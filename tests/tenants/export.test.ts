// Tenant export, end to end over a real socket: exportTenantData queues one background job per tenant at a time, a
// worker writes every tenant-owned record as NDJSON (secrets excluded) in keyset batches and chunks, and GET
// downloadUrl streams it to a TENANT_ADMIN credential of the same tenant only.
import { beforeAll, describe, expect, it } from 'vitest'
import { excludedTables, exportedTables } from '../../src/services/exports/records.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { finishedExport, requestExport } from '../helpers/exports.ts'
import { seedTenant } from '../helpers/seed.ts'
import { addMember, createApiKey, signUp, type Session } from '../helpers/tenants.ts'
import { rawId } from '../catalog/support.ts'

let t: TestApp
beforeAll(async () => {
  // Tiny batches: every table with more than three rows is read over several keyset pages.
  t = await startApp({ EXPORT_BATCH_ROWS: '3' }, { listen: true })
})

const download = (path: string, headers: Record<string, string> = {}) => fetch(`http://127.0.0.1:${t.port}${path}`, { headers })
type Line = { type: string; data: Record<string, unknown> }
const parse = (text: string): Line[] => text.trimEnd().split('\n').map((l) => JSON.parse(l) as Line)

/** Rows per table of the tenant, read directly: what the export must contain. */
async function tableCounts(tenantId: string): Promise<Record<string, number>> {
  return t.app.deps.db.forTenant(tenantId).tx(async (tx) => {
    const out: Record<string, number> = {}
    for (const spec of exportedTables) {
      const column = spec.table === 'tenants' ? 'id' : 'tenant_id'
      const [row] = await tx.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${spec.table}" WHERE ${column} = $1::uuid`, tenantId)
      out[spec.type] = Number(row!.n)
    }
    return out
  })
}

describe('exportTenantData', () => {
  it('classifies every tenant table as exported or deliberately excluded', async () => {
    const tables = await t.app.deps.db.forTenant(rawId((await signUp(t)).tenantId)).tx((tx) => tx.$queryRaw<{ name: string }[]>`
      SELECT c.table_name::text AS name FROM information_schema.columns c
        JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
       WHERE c.table_schema = current_schema() AND c.column_name = 'tenant_id' AND tb.table_type = 'BASE TABLE'`)
    const classified = new Set([...exportedTables.map((s) => s.table), ...Object.keys(excludedTables)])
    expect(tables.map((r) => r.name).filter((n) => !classified.has(n))).toEqual([])
  })

  it('writes every record of the tenant, none of a neighbour and no secret; downloads with the same tenant credential', async () => {
    const victim = await seedTenant(t)
    const neighbour = await seedTenant(t)
    const tenantId = rawId(victim.owner.tenantId)
    // seedTenant already exported once; export again so the first export's own rows exist and are left out.
    const job = await finishedExport(t, victim.owner, (await requestExport(t, victim.owner)).id)
    expect(job).toMatchObject({ status: 'SUCCEEDED', error: null })
    expect(job.downloadUrl).toMatch(/^\/exports\/[^/]+\/download$/)

    const res = await download(job.downloadUrl!, victim.owner.headers)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8')
    const text = await res.text()
    expect(Buffer.byteLength(text)).toBe(job.bytes)
    const lines = parse(text)
    expect(lines[0]).toEqual({ type: 'Export', data: expect.objectContaining({ id: rawId(job.id), tenantId, format: 'agent-platform-export/1' }) })
    expect(lines.length - 1).toBe(job.records)

    const perType: Record<string, number> = {}
    for (const l of lines.slice(1)) perType[l.type] = (perType[l.type] ?? 0) + 1
    const expected = await tableCounts(tenantId)
    // The audit log also holds this download's own entry now; everything else is exactly what the tables hold.
    expect({ ...perType, AuditLogEntry: expected.AuditLogEntry }).toEqual(Object.fromEntries(Object.entries(expected).filter(([, n]) => n > 0)))
    expect(perType.AuditLogEntry).toBe(expected.AuditLogEntry! - 1)
    for (const [type, n] of Object.entries(expected)) expect(n, `${type} rows seeded`).toBeGreaterThan(0)
    // Keyset paging in small batches neither repeats nor skips a record.
    const keys = lines.slice(1).map((l) => `${l.type}:${JSON.stringify(l.data.id ?? [l.data.userId, l.data.agentId, l.data.toolId, l.data.executionId, l.data.seq, l.data.subject, l.data.subjectId, l.data.periodStart])}`)
    expect(new Set(keys).size).toBe(keys.length)

    const members = lines.filter((l) => l.type === 'Member').map((l) => l.data)
    expect(members.map((m) => m.email)).toEqual(expect.arrayContaining([victim.owner.email]))
    // No secret and nothing of the neighbour: planted secrets, the stored hashes and sealed values, and every mark.
    const db = t.app.deps.db.forTenant(tenantId)
    const hashes = [
      ...(await db.client.apiKey.findMany({ select: { secretHash: true } })).map((k) => k.secretHash),
      ...(await db.client.invitation.findMany({ select: { tokenHash: true } })).map((i) => i.tokenHash),
      ...(await db.client.refreshToken.findMany({ select: { tokenHash: true } })).map((r) => r.tokenHash),
      ...(await db.client.mcpServer.findMany({ select: { headersSealed: true } })).flatMap((m) => (m.headersSealed ? [m.headersSealed] : [])),
      ...(await db.client.webhook.findMany({ select: { secret: true } })).map((w) => w.secret),
    ]
    const passwordHashes = await t.app.deps.db.prisma.$queryRaw<{ h: string }[]>`SELECT password_hash AS h FROM users WHERE email = ${victim.owner.email}`
    expect(hashes.length).toBeGreaterThan(3)
    for (const secret of [...hashes, ...passwordHashes.map((p) => p.h), victim.owner.password, victim.marks.at(-1)!, victim.marks.at(-2)!, victim.marks.at(-4)!]) {
      expect(text, 'a secret in the export').not.toContain(secret)
    }
    for (const mark of neighbour.marks) expect(text, `the neighbour's ${mark}`).not.toContain(mark)
    expect(text).toContain(victim.marks[0])
  }, 180_000)

  it('answers 404 to another tenant, 401 without credentials, 403 without TENANT_ADMIN', async () => {
    const owner = await signUp(t)
    const job = await finishedExport(t, owner, (await requestExport(t, owner)).id)
    expect(job.status).toBe('SUCCEEDED')
    const stranger = await signUp(t)
    const strangerKey = await createApiKey(t, stranger, ['TENANT_ADMIN'])
    const readOnlyKey = await createApiKey(t, owner, ['TOOLS_READ'])
    const admin: Session = await addMember(t, owner, 'ADMIN')
    const status = async (path: string, headers?: Record<string, string>) => {
      const r = await download(path, headers)
      return [r.status, ((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code]
    }
    expect(await status(job.downloadUrl!, stranger.headers)).toEqual([404, 'NOT_FOUND'])
    expect(await status(job.downloadUrl!, strangerKey.headers)).toEqual([404, 'NOT_FOUND'])
    expect(await status('/exports/bm9wZQ/download', owner.headers)).toEqual([404, 'NOT_FOUND'])
    expect(await status(job.downloadUrl!)).toEqual([401, 'UNAUTHENTICATED'])
    expect(await status(job.downloadUrl!, readOnlyKey.headers)).toEqual([403, 'FORBIDDEN'])
    expect(await status(job.downloadUrl!, admin.headers)).toEqual([403, 'FORBIDDEN'])
    // The stranger cannot read its status either: a foreign id is a missing one.
    const seen = await t.gql('query($id: ID!) { tenantExport(id: $id) { id } }', { id: job.id }, stranger.headers)
    expect(seen.body.errors![0]!.extensions.code).toBe('NOT_FOUND')
    // An API key of the tenant with TENANT_ADMIN downloads it like the owner's session.
    const ownerKey = await createApiKey(t, owner, ['TENANT_ADMIN'])
    expect((await download(job.downloadUrl!, ownerKey.headers)).status).toBe(200)
  }, 120_000)

  it('streams a large tenant in several chunks', async () => {
    const owner = await signUp(t)
    const tenantId = rawId(owner.tenantId)
    // ~1.2 MB of audit entries: several 256 KiB chunks, hundreds of keyset batches.
    const filler = 'x'.repeat(1000)
    await t.app.deps.db.forTenant(tenantId).tx((tx) => tx.$executeRaw`
      INSERT INTO audit_log (id, tenant_id, actor_type, action, outcome, metadata)
      SELECT gen_random_uuid(), ${tenantId}::uuid, 'SYSTEM', 'bulk.fill', 'SUCCESS', jsonb_build_object('n', n, 'filler', ${filler}::text)
        FROM generate_series(1, 1200) AS n`)
    const job = await finishedExport(t, owner, (await requestExport(t, owner)).id, 200_000)
    expect(job.status).toBe('SUCCEEDED')
    expect(job.bytes).toBeGreaterThan(1_000_000)
    const chunks = await t.app.deps.db.forTenant(tenantId).client.tenantExportChunk.count()
    expect(chunks).toBeGreaterThanOrEqual(4)
    const lines = parse(await (await download(job.downloadUrl!, owner.headers)).text())
    const fills = lines.filter((l) => l.data.action === 'bulk.fill').map((l) => (l.data.metadata as { n: number }).n)
    expect(fills).toHaveLength(1200)
    expect(new Set(fills).size).toBe(1200)
  }, 240_000)
})

describe('exportTenantData without workers', () => {
  let idle: TestApp
  beforeAll(async () => {
    // No worker: requests stay PENDING, so concurrent requests meet an export in progress.
    idle = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0' }, { listen: true })
  })

  it('creates one job for concurrent requests, and refuses to download it before it is done', async () => {
    const owner = await signUp(idle)
    const jobs = await Promise.all(Array.from({ length: 6 }, () => requestExport(idle, owner)))
    expect(new Set(jobs.map((j) => j.id)).size).toBe(1)
    expect(jobs[0]).toMatchObject({ status: 'PENDING', downloadUrl: null })
    const rows = await idle.app.deps.db.forTenant(rawId(owner.tenantId)).client.tenantExport.count()
    expect(rows).toBe(1)
    const path = `/exports/${encodeURIComponent(jobs[0]!.id)}/download`
    const r = await fetch(`http://127.0.0.1:${idle.port}${path}`, { headers: owner.headers })
    expect(r.status).toBe(409)
    expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('CONFLICT')
  })
})
