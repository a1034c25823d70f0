// The audit log as a product feature: one entry per mutation in the mutation's transaction (none when it fails),
// DENIED entries for refused mutations, redaction, the auditLog query and the retention purge.
import { randomUUID } from 'node:crypto'
import { encodeGlobalID } from '@pothos/plugin-relay'
import { beforeAll, describe, expect, it } from 'vitest'
import { purgeAuditLog } from '../../src/services/audit-log.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { addMember, codeOf, createApiKey, signUp, type Session } from '../helpers/tenants.ts'
import { auditRows, createAgent, createThread, createTool, rawId, unique } from './support.ts'

let t: TestApp
beforeAll(async () => {
  t = await startApp({ TRUST_PROXY_HOPS: '1' })
})

const client = { 'user-agent': 'audit-test/1.0', 'x-forwarded-for': '203.0.113.7' }
const requestHeaders = () => ({ ...client, 'x-request-id': `req-${randomUUID()}` })
const rowsOf = (s: Session, requestId: string) => auditRows(t, s, { requestId })

describe('one entry per mutation', () => {
  it('records each catalog mutation once, with actor, resource, request and changes', async () => {
    const owner = await signUp(t)
    const run = async (query: string, variables: Record<string, unknown>) => {
      const headers = requestHeaders()
      const r = await t.gql<Record<string, Record<string, { id: string } | string>>>(query, variables, { ...owner.headers, ...headers })
      expect(r.body.errors).toBeUndefined()
      const rows = await rowsOf(owner, headers['x-request-id'])
      expect(rows, query).toHaveLength(1)
      return { data: r.body.data!, row: rows[0]! }
    }
    const tool = await run('mutation($n: String!) { createTool(input: { name: $n, description: "d", kind: BUILTIN, handler: "echo" }) { tool { id } } }', { n: unique('t') })
    const toolId = (tool.data.createTool!.tool as { id: string }).id
    expect(tool.row).toMatchObject({
      action: 'tool.create', outcome: 'SUCCESS', resourceType: 'Tool', resourceId: rawId(toolId), actorType: 'USER', actorId: rawId(owner.userId),
      actorLabel: owner.email, ipAddress: '203.0.113.7', userAgent: 'audit-test/1.0', tenantId: rawId(owner.tenantId),
    })
    expect(tool.row.changes).toMatchObject({ after: { kind: 'BUILTIN', handler: 'echo', description: 'd' } })
    expect(tool.row.changes).not.toHaveProperty('before')

    const updated = await run('mutation($id: ID!) { updateTool(input: { id: $id, description: "new" }) { tool { id } } }', { id: toolId })
    expect(updated.row).toMatchObject({ action: 'tool.update', resourceId: rawId(toolId), changes: { before: { description: 'd' }, after: { description: 'new' } }, metadata: { version: 2 } })

    const agent = await run('mutation($n: String!, $t: ID!) { createAgent(input: { name: $n, model: "mock-1", toolIds: [$t] }) { agent { id } } }', { n: unique('a'), t: toolId })
    const agentId = (agent.data.createAgent!.agent as { id: string }).id
    expect(agent.row).toMatchObject({ action: 'agent.create', resourceType: 'Agent', changes: { after: { model: 'mock-1', toolIds: [rawId(toolId)] } } })
    const agentUpdate = await run('mutation($id: ID!) { updateAgent(input: { id: $id, toolIds: [], maxToolCalls: 2 }) { agent { id } } }', { id: agentId })
    expect(agentUpdate.row.changes).toEqual({ before: { toolIds: [rawId(toolId)], maxToolCalls: 10 }, after: { toolIds: [], maxToolCalls: 2 } })
    expect((await run('mutation($id: ID!) { deleteAgent(input: { id: $id }) { deletedId } }', { id: agentId })).row).toMatchObject({ action: 'agent.delete', changes: { before: { name: expect.any(String) } } })
    expect((await run('mutation($id: ID!) { deleteTool(input: { id: $id }) { deletedId } }', { id: toolId })).row).toMatchObject({ action: 'tool.delete', resourceId: rawId(toolId) })

    const thread = await run('mutation { createThread(input: { title: "T" }) { thread { id } } }', {})
    const threadId = (thread.data.createThread!.thread as { id: string }).id
    expect(thread.row).toMatchObject({ action: 'thread.create', resourceType: 'Thread', changes: { after: { title: 'T' } } })
    expect((await run('mutation($id: ID!) { updateThread(input: { id: $id, title: "U" }) { thread { id } } }', { id: threadId })).row)
      .toMatchObject({ action: 'thread.update', changes: { before: { title: 'T' }, after: { title: 'U' } } })
    expect((await run('mutation($id: ID!) { deleteThread(input: { id: $id }) { deletedId } }', { id: threadId })).row).toMatchObject({ action: 'thread.delete', metadata: { executionsDeleted: 0 } })
  })

  it('records the API key as actor when a key makes the change', async () => {
    const owner = await signUp(t)
    const key = await createApiKey(t, owner, ['TOOLS_READ', 'TOOLS_WRITE'])
    const headers = requestHeaders()
    await createTool(t, { ...key.headers, ...headers })
    expect((await rowsOf(owner, headers['x-request-id']))[0]).toMatchObject({ actorType: 'API_KEY', actorId: rawId(key.id), action: 'tool.create' })
  })

  it('writes nothing when the mutation fails (its transaction rolls back)', async () => {
    const owner = await signUp(t)
    const tool = await createTool(t, owner)
    await createAgent(t, owner, { toolIds: [tool.id] })
    const failures: [string, Record<string, unknown>][] = [
      ['mutation($n: String!) { createTool(input: { name: $n, description: "", kind: BUILTIN, handler: "echo" }) { tool { id } } }', { n: tool.name }],
      ['mutation($id: ID!) { deleteTool(input: { id: $id }) { deletedId } }', { id: tool.id }],
      ['mutation($id: ID!) { updateTool(input: { id: $id, expectedVersion: 9, description: "x" }) { tool { id } } }', { id: tool.id }],
      ['mutation { createAgent(input: { name: "m", model: "not-allowed" }) { agent { id } } }', {}],
      ['mutation { createTool(input: { name: "", description: "", kind: HTTP }) { tool { id } } }', {}],
    ]
    for (const [query, variables] of failures) {
      const headers = requestHeaders()
      const r = await t.gql(query, variables, { ...owner.headers, ...headers })
      expect(r.body.errors, query).toBeDefined()
      expect(await rowsOf(owner, headers['x-request-id']), query).toEqual([])
    }
  })

  it('redacts secrets in URLs and never stores them', async () => {
    const owner = await signUp(t)
    const headers = requestHeaders()
    const tool = await createTool(t, { ...owner.headers, ...headers }, { kind: 'HTTP', handler: null, url: 'https://hooks.example.com/run?api_key=s3cr3t-value#frag' })
    const [row] = await rowsOf(owner, headers['x-request-id'])
    expect(row!.changes).toMatchObject({ after: { url: 'https://hooks.example.com/run?[REDACTED]#[REDACTED]' } })
    const upd = requestHeaders()
    await t.gql('mutation($id: ID!) { updateTool(input: { id: $id, url: "https://hooks.example.com/run?api_key=rotated-value" }) { tool { id } } }', { id: tool.id }, { ...owner.headers, ...upd })
    const [changed] = await rowsOf(owner, upd['x-request-id'])
    expect(changed!.changes).toEqual({ before: { url: 'https://hooks.example.com/run?[REDACTED]#[REDACTED]' }, after: { url: 'https://hooks.example.com/run?[REDACTED]' } })
    const all = JSON.stringify(await auditRows(t, owner))
    expect(all).not.toContain('s3cr3t-value')
    expect(all).not.toContain('rotated-value')
  })
})

describe('refused mutations', () => {
  it('records a DENIED entry for the principal, once per field however many aliases', async () => {
    const owner = await signUp(t)
    const viewer = await addMember(t, owner, 'VIEWER')
    const headers = requestHeaders()
    const r = await t.gql('mutation { a: createTool(input: { name: "x", description: "", kind: BUILTIN, handler: "echo" }) { tool { id } } b: createTool(input: { name: "y", description: "", kind: BUILTIN, handler: "echo" }) { tool { id } } }', undefined, { ...viewer.headers, ...headers })
    expect(codeOf(r)).toBe('FORBIDDEN')
    const rows = await rowsOf(owner, headers['x-request-id'])
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ action: 'tool.create', outcome: 'DENIED', actorType: 'USER', actorId: rawId(viewer.userId), metadata: { field: 'createTool', missing: ['TOOLS_WRITE'] }, userAgent: 'audit-test/1.0' })
  })

  it('audits refusals of API keys and of identity mutations too, but not refused queries', async () => {
    const owner = await signUp(t)
    const key = await createApiKey(t, owner, ['TOOLS_READ'])
    const dev = await addMember(t, owner, 'DEVELOPER')
    const cases: [Record<string, string>, string, string][] = [
      [key.headers, 'mutation($id: ID!) { deleteTool(input: { id: $id }) { deletedId } }', 'tool.delete'],
      [key.headers, 'mutation { changePassword(input: { currentPassword: "a long password", newPassword: "another long password" }) { accessToken } }', 'auth.password_change'],
      [dev.headers, 'mutation { addMember(input: { email: "someone@example.test", role: VIEWER }) { member { role } } }', 'member.add'],
      [dev.headers, 'mutation($id: ID!) { updateMemberRole(input: { id: $id, role: VIEWER }) { member { role } } }', 'member.role_change'],
    ]
    for (const [auth, query, action] of cases) {
      const headers = requestHeaders()
      const r = await t.gql(query, { id: encodeGlobalID('Tool', randomUUID()) }, { ...auth, ...headers })
      expect(codeOf(r), action).toBe('FORBIDDEN')
      expect(await rowsOf(owner, headers['x-request-id']), action).toMatchObject([{ action, outcome: 'DENIED' }])
    }
    const headers = requestHeaders()
    expect(codeOf(await t.gql('{ auditLog { totalCount } }', undefined, { ...dev.headers, ...headers }))).toBe('FORBIDDEN')
    expect(await rowsOf(owner, headers['x-request-id'])).toEqual([])
  })
})

describe('auditLog query', () => {
  it('lists the tenant’s entries newest first with filters, and needs AUDIT_READ', async () => {
    const owner = await signUp(t)
    const key = await createApiKey(t, owner, ['TOOLS_READ', 'TOOLS_WRITE'])
    const tool = await createTool(t, owner)
    await t.gql('mutation($id: ID!) { updateTool(input: { id: $id, description: "changed" }) { tool { id } } }', { id: tool.id }, owner.headers)
    const byKey = await createTool(t, key.headers)
    await createThread(t, owner)
    const q = async (filter: Record<string, unknown>, first = 50) => {
      const r = await t.gql<{ auditLog: { totalCount: number; edges: { node: Record<string, unknown> & { action: string; actor: { type: string; id: string; label: string } } }[] } }>(
        'query($f: AuditLogFilter, $first: Int) { auditLog(first: $first, filter: $f) { totalCount edges { node { id at action actor { type id label } resourceType resourceId outcome requestId ipAddress userAgent changes metadata } } } }',
        { f: filter, first }, owner.headers)
      expect(r.body.errors).toBeUndefined()
      return r.body.data!.auditLog
    }
    const all = await q({})
    const actions = all.edges.map((e) => e.node.action)
    expect(actions.slice(0, 5)).toEqual(['thread.create', 'tool.create', 'tool.update', 'tool.create', 'api_key.create'])
    expect(actions.slice(5)).toEqual(['auth.signup']) // sign-up: one mutation, one entry
    expect(all.totalCount).toBe(6)
    const ofTool = await q({ resourceId: tool.id })
    expect(ofTool.edges.map((e) => e.node.action)).toEqual(['tool.update', 'tool.create'])
    expect(ofTool.edges[0]!.node).toMatchObject({ resourceType: 'Tool', resourceId: tool.id, outcome: 'SUCCESS', actor: { type: 'USER', id: owner.userId, label: owner.email }, changes: { after: { description: 'changed' } } })
    expect((await q({ resourceId: rawId(tool.id) })).totalCount).toBe(2)
    expect((await q({ action: 'tool.*' })).totalCount).toBe(3)
    expect((await q({ action: 'tool.create', actorId: key.id })).edges.map((e) => e.node.resourceId)).toEqual([byKey.id])
    expect((await q({ resourceType: 'Thread' })).totalCount).toBe(1)
    const newest = all.edges[0]!.node.at as string
    expect((await q({ from: newest })).edges.map((e) => e.node.action)).toContain('thread.create')
    expect((await q({ to: '2000-01-01T00:00:00Z' })).totalCount).toBe(0)
    expect((await q({}, 2)).edges).toHaveLength(2)
    const node = await t.gql<{ node: { action: string } }>('query($id: ID!) { node(id: $id) { ... on AuditLogEntry { action } } }', { id: all.edges[0]!.node.id }, owner.headers)
    expect(node.body.data!.node.action).toBe('thread.create')

    const bad = await t.gql('{ auditLog(filter: { actorId: "nobody", from: "2030-01-01T00:00:00Z", to: "2020-01-01T00:00:00Z" }) { totalCount } }', undefined, owner.headers)
    expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'filter.actorId' }, { path: 'filter.to' }] })
    const dev = await addMember(t, owner, 'DEVELOPER')
    expect(codeOf(await t.gql('{ auditLog { totalCount } }', undefined, dev.headers))).toBe('FORBIDDEN')
  })
})

describe('append-only and retention', () => {
  it('refuses updates and deletes through the application’s connection', async () => {
    const owner = await signUp(t)
    const db = t.app.deps.db.forTenant(rawId(owner.tenantId))
    expect((await db.client.auditLog.count())).toBeGreaterThan(0)
    await expect(db.client.auditLog.updateMany({ data: { action: 'forged' } })).rejects.toThrow()
    await expect(db.client.auditLog.deleteMany({})).rejects.toThrow()
    expect(await db.client.auditLog.count({ where: { action: 'forged' } })).toBe(0)
  })

  it('purges only entries older than the retention period', async () => {
    const owner = await signUp(t)
    const tenantId = rawId(owner.tenantId)
    const db = t.app.deps.db.forTenant(tenantId)
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000)
    // Other suites may purge concurrently, but never entries younger than 30 days: assert on this tenant's rows only.
    await db.tx((tx) => tx.auditLog.createMany({
      data: [
        { tenantId, actorType: 'SYSTEM', action: 'test.ancient', outcome: 'SUCCESS', at: daysAgo(400) },
        { tenantId, actorType: 'SYSTEM', action: 'test.recent', outcome: 'SUCCESS', at: daysAgo(20) },
      ],
    }))
    const kept = await db.client.auditLog.count({ where: { action: { not: 'test.ancient' } } })
    expect(await purgeAuditLog(t.app.deps)).toBeGreaterThanOrEqual(0)
    expect(await db.client.auditLog.count({ where: { action: 'test.ancient' } })).toBe(0)
    expect(await db.client.auditLog.count()).toBe(kept)
    expect(t.app.deps.config.audit.retentionDays).toBe(365)
    await expect(purgeAuditLog(t.app.deps, 0)).rejects.toThrow()
  })
})
