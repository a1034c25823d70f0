// "No field returns a secret", proven by walking the schema: a tenant with every kind of secret planted (password,
// tokens, an API key, HTTP tool header values and a key in a tool URL, and the stored hashes of them all) reads every
// field of every object type reachable from Query, and no planted secret appears anywhere in the answers. The walk
// is generated from the schema, so a field added later is read by this test without anyone extending it.
import {
  getNamedType, isEnumType, isInterfaceType, isNonNullType, isObjectType, isScalarType, isUnionType,
  type GraphQLField, type GraphQLNamedType, type GraphQLObjectType,
} from 'graphql'
import { beforeAll, describe, expect, it } from 'vitest'
import { schema } from '../../src/graphql/index.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { run } from '../helpers/runs.ts'
import { addMember, createApiKey, signUp, type Session } from '../helpers/tenants.ts'
import { json, startToolServer } from '../tools/tool-server.ts'
import { rawId } from '../catalog/support.ts'
import { finishedExport, requestExport } from '../helpers/exports.ts'

const MAX_DEPTH = 6

let t: TestApp
beforeAll(async () => {
  t = await startApp({
    HTTP_TOOLS_ALLOW_PRIVATE_NETWORKS: 'true', HTTP_TOOLS_ALLOW_INSECURE: 'true',
    QUERY_MAX_DEPTH: '40', QUERY_MAX_COST: '100000000', QUERY_MAX_TOKENS: '1000000', QUERY_MAX_ALIASES: '10000',
  })
})

/** Ids to pass to `x(id: ID!)` fields, by the named type the field returns. */
type Ids = Record<string, string>

/** A selection of every field of `type` (recursing into objects, interfaces and unions) up to MAX_DEPTH. */
function selectAll(type: GraphQLNamedType, ids: Ids, depth: number, seen: Set<string>, skipped: string[]): string {
  if (isScalarType(type) || isEnumType(type)) return ''
  if (depth >= MAX_DEPTH || seen.has(type.name)) return '{ __typename }'
  const inner = new Set(seen).add(type.name)
  if (isUnionType(type) || isInterfaceType(type)) {
    const possible = schema.getPossibleTypes(type)
    return `{ __typename ${possible.map((p) => `... on ${p.name} ${selectAll(p, ids, depth, seen, skipped)}`).join(' ')} }`
  }
  const fields = Object.values((type as GraphQLObjectType).getFields()).flatMap((f) => {
    const selection = fieldSelection(f, ids, depth + 1, inner, `${type.name}.${f.name}`, skipped)
    // Aliased per type: fragments on the members of a union may share a field name with different types.
    return selection === null ? [] : [`${type.name}_${f.name}: ${selection}`]
  })
  return `{ __typename ${fields.join(' ')} }`
}

function fieldSelection(f: GraphQLField<unknown, unknown>, ids: Ids, depth: number, seen: Set<string>, label: string, skipped: string[]): string | null {
  const args: string[] = []
  for (const a of f.args) {
    if (!isNonNullType(a.type)) continue
    const id = getNamedType(a.type).name === 'ID' ? ids[getNamedType(f.type).name] : undefined
    if (!id) {
      skipped.push(label)
      return null
    }
    args.push(`${a.name}: ${JSON.stringify(id)}`)
  }
  const named = getNamedType(f.type)
  return `${f.name}${args.length ? `(${args.join(', ')})` : ''} ${selectAll(named, ids, depth, seen, skipped)}`
}

/** Typenames present in a response, at any depth. */
function typenames(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => typenames(v, out))
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '__typename' && typeof v === 'string') out.add(v)
      else typenames(v, out)
    }
  }
  return out
}

/** Object types a query can reach from Query. */
function reachable(): Set<string> {
  const out = new Set<string>()
  const visit = (type: GraphQLNamedType) => {
    if (out.has(type.name) || !(isObjectType(type) || isInterfaceType(type) || isUnionType(type))) return
    if (isObjectType(type)) out.add(type.name)
    if (isUnionType(type) || isInterfaceType(type)) schema.getPossibleTypes(type).forEach(visit)
    else Object.values(type.getFields()).forEach((f) => visit(getNamedType(f.type)))
  }
  visit(schema.getQueryType()!)
  return out
}

interface Planted {
  owner: Session
  secrets: string[]
  ids: Ids
}

async function plant(): Promise<Planted> {
  const server = await startToolServer((_req, res) => json(res, 200, { ok: true }))
  const password = `pw-${crypto.randomUUID()}`
  const owner = await signUp(t, { password })
  const member = await addMember(t, owner, 'DEVELOPER')
  const key = await createApiKey(t, owner, ['TOOLS_READ'])
  const headerValue = `hdr-${crypto.randomUUID()}`
  const querySecret = `qs-${crypto.randomUUID()}`
  const tool = await t.gql<{ createTool: { tool: { id: string } } }>('mutation($input: CreateToolInput!) { createTool(input: $input) { tool { id } } }', {
    input: { name: 'lookup', description: 'Looks up.', kind: 'HTTP', url: `http://127.0.0.1:${server.port}/l?access_token=${querySecret}`, headers: [{ name: 'Authorization', value: `Bearer ${headerValue}` }] },
  }, owner.headers)
  expect(tool.body.errors).toBeUndefined()
  const toolId = tool.body.data!.createTool.tool.id
  // An update too, so the audit log holds a before/after pair of the tool.
  const updated = await t.gql('mutation($id: ID!) { updateTool(input: { id: $id, description: "Looks things up.", headers: [{ name: "Authorization", value: "Bearer rotated-secret-value" }] }) { tool { id } } }', { id: toolId }, owner.headers)
  expect(updated.body.errors).toBeUndefined()
  const webhook = await t.gql<{ createWebhook: { webhook: { id: string }; secret: string } }>('mutation { createWebhook(input: { url: "https://hooks.example.test/walk", events: ["execution.*"] }) { webhook { id } secret } }', undefined, owner.headers)
  expect(webhook.body.errors).toBeUndefined()
  const mcpSecret = `mcp-${crypto.randomUUID()}`
  const mcp = await t.gql<{ createMcpServer: { mcpServer: { id: string } } }>('mutation($v: String!) { createMcpServer(input: { name: "walk", url: "https://mcp.example.test/mcp", headers: [{ name: "Authorization", value: $v }] }) { mcpServer { id } } }', { v: `Bearer ${mcpSecret}` }, owner.headers)
  expect(mcp.body.errors).toBeUndefined()
  const agent = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($t: ID!) { createAgent(input: { name: "walker", model: "mock-1", toolIds: [$t] }) { agent { id } } }', { t: toolId }, owner.headers)
  const agentId = agent.body.data!.createAgent.agent.id
  const budget = await t.gql('mutation($a: ID!) { setBudget(input: { subject: AGENT, subjectId: $a, maxExecutions: 10 }) { budget { id } } }', { a: agentId }, owner.headers)
  expect(budget.body.errors).toBeUndefined()
  const execution = await run(t, owner, { agentId, prompt: 'Please lookup the answer', wait: true })
  expect(execution.status).toBe('SUCCEEDED')
  // Then the tool needs approval: a second run stops on it, so interrupts and their held-back calls are walked too.
  const guarded = await t.gql('mutation($id: ID!) { updateTool(input: { id: $id, requiresApproval: true }) { tool { id } } }', { id: toolId }, owner.headers)
  expect(guarded.body.errors).toBeUndefined()
  expect((await run(t, owner, { agentId, prompt: 'Please lookup the question', wait: true })).status).toBe('INTERRUPTED')
  const invite = await t.gql<{ inviteMember: { invitation: { id: string } } }>('mutation { inviteMember(input: { email: "walk@example.test", role: VIEWER }) { invitation { id } } }', undefined, owner.headers)
  const exported = await finishedExport(t, owner, (await requestExport(t, owner)).id)
  expect(exported.status).toBe('SUCCEEDED')
  // The stored hashes are secrets too (offline guessing): read them directly, then require they never surface.
  const db = t.app.deps.db.forTenant(rawId(owner.tenantId))
  const keys = await db.client.apiKey.findMany({ select: { secretHash: true } })
  const tokens = await db.client.refreshToken.findMany({ select: { tokenHash: true } })
  const invitations = await db.client.invitation.findMany({ select: { tokenHash: true } })
  const sealed = await db.client.tool.findMany({ select: { headersSealed: true } })
  const thread = await t.gql<{ execution: { thread: { id: string } } }>('query($id: ID!) { execution(id: $id) { thread { id } } }', { id: execution.id }, owner.headers)
  const audit = await t.gql<{ auditLog: { edges: { node: { id: string } }[] } }>('{ auditLog(first: 1) { edges { node { id } } } }', undefined, owner.headers)
  return {
    owner,
    secrets: [
      password, owner.refreshToken, member.refreshToken, member.accessToken, key.secret, headerValue, 'rotated-secret-value', querySecret,
      ...keys.map((k) => k.secretHash), ...tokens.map((r) => r.tokenHash), ...invitations.map((i) => i.tokenHash), ...sealed.flatMap((s) => (s.headersSealed ? [s.headersSealed] : [])),
      t.app.deps.config.auth.jwtSecret!, webhook.body.data!.createWebhook.secret, mcpSecret,
      ...(await db.client.mcpServer.findMany({ select: { headersSealed: true } })).flatMap((m) => (m.headersSealed ? [m.headersSealed] : [])),
    ],
    ids: {
      Tool: toolId, Agent: agentId, Execution: execution.id, Thread: thread.body.data!.execution.thread.id,
      Node: toolId, Webhook: webhook.body.data!.createWebhook.webhook.id, McpServer: mcp.body.data!.createMcpServer.mcpServer.id, Invitation: invite.body.data!.inviteMember.invitation.id, AuditLogEntry: audit.body.data!.auditLog.edges[0]!.node.id,
      TenantExport: exported.id,
    },
  }
}

describe('no field returns a secret', () => {
  it('reads every field of every type reachable from Query and finds none of the planted secrets', async () => {
    const planted = await plant()
    const skipped: string[] = []
    const root = schema.getQueryType()!
    const seen = new Set<string>()
    let text = ''
    for (const field of Object.values(root.getFields())) {
      const selection = fieldSelection(field, planted.ids, 0, new Set([root.name]), `Query.${field.name}`, skipped)
      if (selection === null) continue
      const r = await t.gql(`{ ${selection} }`, undefined, planted.owner.headers)
      expect(r.body.errors, `Query.${field.name}: ${JSON.stringify(r.body.errors)}`).toBeUndefined()
      typenames(r.body.data, seen)
      text += JSON.stringify(r.body)
    }
    for (const secret of planted.secrets) expect(text.includes(secret), `a planted secret (${secret.slice(0, 6)}…) was readable`).toBe(false)
    expect(skipped).toEqual([])
    // Every object type a query can reach was actually present in the answers (with data), so none went unread.
    const unread = [...reachable()].filter((n) => !seen.has(n) && n !== 'Query')
    expect(unread).toEqual([])
  })
})
