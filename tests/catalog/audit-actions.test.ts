// Every mutation declares its audit action. The table below is the contract: renaming a mutation, adding one or
// changing an action fails here, and each action is checked against what the mutation records when it succeeds.
import { randomUUID } from 'node:crypto'
import SchemaBuilder from '@pothos/core'
import { beforeAll, describe, expect, it } from 'vitest'
import AuditActionPlugin from '../../src/graphql/audit-actions.ts'
import { schema } from '../../src/graphql/index.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { createApiKey, password, signUp, uniqueEmail } from '../helpers/tenants.ts'
import { createAgent, rawId } from './support.ts'
import { toolApprovalInterrupt } from '../../src/services/runs/interrupts.ts'

const auditActions: Record<string, string> = {
  acceptInvitation: 'member.join',
  addMember: 'member.add',
  cancelTenantDeletion: 'tenant.cancel_deletion',
  cancelExecution: 'execution.cancel',
  changePassword: 'auth.password_change',
  createAgent: 'agent.create',
  createApiKey: 'api_key.create',
  createThread: 'thread.create',
  createMcpServer: 'mcp_server.create',
  createTool: 'tool.create',
  createWebhook: 'webhook.create',
  deleteAgent: 'agent.delete',
  deleteBudget: 'budget.delete',
  deleteTenant: 'tenant.delete',
  deleteMcpServer: 'mcp_server.delete',
  deleteThread: 'thread.delete',
  deleteTool: 'tool.delete',
  deleteWebhook: 'webhook.delete',
  exportTenantData: 'tenant.export',
  inviteMember: 'member.invite',
  login: 'auth.login',
  logout: 'auth.logout',
  redeliverWebhook: 'webhook.redeliver',
  refreshMcpServer: 'mcp_server.refresh',
  refreshToken: 'auth.refresh',
  removeMember: 'member.remove',
  resumeExecution: 'execution.resume',
  retryExecution: 'execution.retry',
  revokeApiKey: 'api_key.revoke',
  revokeInvitation: 'member.invite_revoke',
  rotateApiKey: 'api_key.rotate',
  rotateWebhookSecret: 'webhook.rotate_secret',
  runAgent: 'agent.run',
  setBudget: 'budget.set',
  signUp: 'auth.signup',
  updateAgent: 'agent.update',
  updateMemberRole: 'member.role_change',
  updateTenant: 'tenant.update',
  updateThread: 'thread.update',
  updateTool: 'tool.update',
  updateWebhook: 'webhook.update',
}

// Where the entry a successful call writes differs from the declared (DENIED) action, and why it may.
const recordedOnSuccess: Record<string, string> = {
  runAgent: 'execution.create', // a started run is an execution; refusals have always been audited as agent.run
  resumeExecution: 'interrupt.approve', // one entry per decision (interrupt.approve / interrupt.reject), on the interrupted run
}

describe('declared audit actions', () => {
  it('names one for every mutation of the schema', () => {
    const declared = Object.values(schema.getMutationType()!.getFields()).map((field) => [field.name, field.extensions.auditAction])
    expect(Object.fromEntries(declared)).toEqual(auditActions)
  })

  it('refuses to build a schema with a mutation that has none, or a malformed one', () => {
    const build = (options: object) => {
      // Only this plugin: the app's other plugins would demand their options.
      const builder = new SchemaBuilder<{ Context: object }>({ plugins: [AuditActionPlugin] } as never)
      builder.queryType({ fields: (t) => ({ ok: t.boolean({ resolve: () => true }) }) })
      builder.mutationType({ fields: (t) => ({ doThing: t.boolean({ ...options, resolve: () => true } as never) }) })
      return () => builder.toSchema()
    }
    expect(build({})).toThrow("Mutation.doThing needs an auditAction like 'tool.create' (got undefined).")
    expect(build({ auditAction: 'Thing.Do' })).toThrow(/Mutation\.doThing needs an auditAction/)
    expect(build({ auditAction: 'thing.do' })).not.toThrow()
  })
})

describe('what successful mutations record', () => {
  let t: TestApp
  beforeAll(async () => {
    // Runs stay QUEUED (so the run below can be cancelled) and no dispatcher holds the webhook delivery redelivered
    // below; the MCP server below is a closed loopback port.
    t = await startApp({ ...(await isolatedDatabaseEnv()), WORKERS: '0', MCP_ALLOW_PRIVATE_NETWORKS: 'true', MCP_ALLOW_INSECURE: 'true' })
  })

  const recorded = new Map<string, string[]>()

  /** Runs one mutation that must succeed and notes the actions its request wrote to `tenantId`'s log. */
  async function succeed<T>(tenantId: string | ((data: T) => string), query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const requestId = `req-${randomUUID()}`
    const r = await t.gql<Record<string, T>>(query, variables, { ...headers, 'x-request-id': requestId })
    expect(r.body.errors, query).toBeUndefined()
    const [field, data] = Object.entries(r.body.data!)[0]!
    const tenant = rawId(typeof tenantId === 'string' ? tenantId : tenantId(data))
    const rows = await t.app.deps.db.forTenant(tenant).client.auditLog.findMany({ where: { requestId, outcome: 'SUCCESS' } })
    recorded.set(field, rows.map((row) => row.action))
    return data
  }

  it('records the declared action (or its listed success action) for each mutation', async () => {
    const email = uniqueEmail('owner')
    const auth = 'accessToken refreshToken tenant { id }'
    type Auth = { accessToken: string; refreshToken: string; tenant: { id: string } }
    const signedUp = await succeed<Auth>((d) => d.tenant.id, `mutation($i: SignUpInput!) { signUp(input: $i) { ${auth} } }`, { i: { tenantName: 'Audit actions', email, password } })
    const tenant = signedUp.tenant.id
    const loggedIn = await succeed<Auth>(tenant, `mutation($i: LoginInput!) { login(input: $i) { ${auth} } }`, { i: { email, password } })
    const owner = { authorization: `Bearer ${loggedIn.accessToken}` }
    await succeed(tenant, `mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { accessToken } }`, { i: { refreshToken: loggedIn.refreshToken } })

    const key = await succeed<{ apiKey: { id: string } }>(tenant, 'mutation { createApiKey(input: { name: "k", scopes: [TOOLS_READ] }) { apiKey { id } } }', {}, owner)
    await succeed(tenant, 'mutation($id: ID!) { rotateApiKey(input: { id: $id }) { secret } }', { id: key.apiKey.id }, owner)
    await succeed(tenant, 'mutation($id: ID!) { revokeApiKey(input: { id: $id }) { apiKey { id } } }', { id: key.apiKey.id }, owner)

    const invite = (role: string) => succeed<{ invitation: { id: string }; token: string }>(tenant, 'mutation($i: InviteMemberInput!) { inviteMember(input: $i) { invitation { id } token } }', { i: { email: uniqueEmail(role), role } }, owner)
    const joined = await succeed<Auth>(tenant, `mutation($i: AcceptInvitationInput!) { acceptInvitation(input: $i) { ${auth} } }`, { i: { token: (await invite('VIEWER')).token, password } })
    await succeed(tenant, 'mutation($id: ID!) { revokeInvitation(input: { id: $id }) { invitation { id } } }', { id: (await invite('DEVELOPER')).invitation.id }, owner)
    await succeed(tenant, 'mutation($c: String!) { changePassword(input: { currentPassword: $c, newPassword: "another long passphrase" }) { accessToken } }', { c: password }, { authorization: `Bearer ${joined.accessToken}` })

    const other = await signUp(t)
    await succeed(tenant, 'mutation($e: String!) { addMember(input: { email: $e, role: VIEWER }) { member { role } } }', { e: other.email }, owner)
    await succeed(tenant, 'mutation($id: ID!) { updateMemberRole(input: { id: $id, role: DEVELOPER }) { member { role } } }', { id: other.userId }, owner)
    await succeed(tenant, 'mutation($id: ID!) { removeMember(input: { id: $id }) { removedId } }', { id: other.userId }, owner)

    const hook = await succeed<{ webhook: { id: string } }>(tenant, 'mutation { createWebhook(input: { url: "https://hooks.example.com/in", events: ["tool.create"] }) { webhook { id } } }', {}, owner)
    await succeed(tenant, 'mutation($id: ID!) { updateWebhook(input: { id: $id, events: ["tool.*"] }) { webhook { id } } }', { id: hook.webhook.id }, owner)
    await succeed(tenant, 'mutation($id: ID!) { rotateWebhookSecret(input: { id: $id }) { secret } }', { id: hook.webhook.id }, owner)
    const tool = await succeed<{ tool: { id: string } }>(tenant, 'mutation { createTool(input: { name: "t", description: "", kind: BUILTIN, handler: "echo" }) { tool { id } } }', {}, owner)
    await succeed(tenant, 'mutation($id: ID!) { updateTool(input: { id: $id, description: "d" }) { tool { id } } }', { id: tool.tool.id }, owner)
    const sent = await t.gql<{ webhook: { deliveries: { edges: { node: { id: string } }[] } } }>('query($id: ID!) { webhook(id: $id) { deliveries(first: 1) { edges { node { id } } } } }', { id: hook.webhook.id }, owner)
    await succeed(tenant, 'mutation($id: ID!) { redeliverWebhook(input: { deliveryId: $id }) { delivery { id } } }', { id: sent.body.data!.webhook.deliveries.edges[0]!.node.id }, owner)
    await succeed(tenant, 'mutation($id: ID!) { deleteWebhook(input: { id: $id }) { deletedId } }', { id: hook.webhook.id }, owner)
    const agent = await succeed<{ agent: { id: string } }>(tenant, 'mutation { createAgent(input: { name: "a", model: "mock-1" }) { agent { id } } }', {}, owner)
    await succeed(tenant, 'mutation($id: ID!) { updateAgent(input: { id: $id, description: "d" }) { agent { id } } }', { id: agent.agent.id }, owner)
    const thread = await succeed<{ thread: { id: string } }>(tenant, 'mutation { createThread(input: { title: "T" }) { thread { id } } }', {}, owner)
    await succeed(tenant, 'mutation($id: ID!) { updateThread(input: { id: $id, title: "U" }) { thread { id } } }', { id: thread.thread.id }, owner)
    const run = await succeed<{ execution: { id: string } }>(tenant, 'mutation($a: ID!, $t: ID!) { runAgent(input: { agentId: $a, threadId: $t, prompt: "hi" }) { execution { id } } }', { a: agent.agent.id, t: thread.thread.id }, owner)
    await succeed(tenant, 'mutation($id: ID!) { cancelExecution(input: { id: $id }) { execution { status } } }', { id: run.execution.id }, owner)
    await succeed(tenant, 'mutation($id: ID!) { retryExecution(input: { id: $id }) { execution { id } } }', { id: run.execution.id }, owner)
    // No worker here: the run is moved to INTERRUPTED by hand, as a worker would leave it after a held-back call.
    const held = await succeed<{ execution: { id: string } }>(tenant, 'mutation($a: ID!, $t: ID!) { runAgent(input: { agentId: $a, threadId: $t, prompt: "hold" }) { execution { id } } }', { a: agent.agent.id, t: thread.thread.id }, owner)
    const interrupt = toolApprovalInterrupt({ id: 'call_1', name: 't', arguments: '{}' }, { type: 'object' }, 600)
    const rows = t.app.deps.db.forTenant(rawId(tenant)).client.execution
    await rows.update({ where: { id: rawId(held.execution.id) }, data: { status: 'RUNNING' } })
    await rows.update({ where: { id: rawId(held.execution.id) }, data: { status: 'INTERRUPTED', interrupts: [interrupt] as never } })
    await succeed(tenant, 'mutation($input: ResumeExecutionInput!) { resumeExecution(input: $input) { execution { id } } }', { input: { executionId: held.execution.id, resume: [{ interruptId: interrupt.id, status: 'RESOLVED' }] } }, owner)
    await succeed(tenant, 'mutation($id: ID!) { deleteThread(input: { id: $id }) { deletedId } }', { id: thread.thread.id }, owner)
    await succeed(tenant, 'mutation($id: ID!) { deleteAgent(input: { id: $id }) { deletedId } }', { id: agent.agent.id }, owner)
    await succeed(tenant, 'mutation($id: ID!) { deleteTool(input: { id: $id }) { deletedId } }', { id: tool.tool.id }, owner)
    const mcp = await succeed<{ mcpServer: { id: string } }>(tenant, 'mutation { createMcpServer(input: { name: "m", url: "http://127.0.0.1:9/mcp" }) { mcpServer { id } } }', {}, owner)
    await succeed(tenant, 'mutation($id: ID!) { refreshMcpServer(input: { id: $id }) { mcpServer { id } } }', { id: mcp.mcpServer.id }, owner)
    await succeed(tenant, 'mutation($id: ID!) { deleteMcpServer(input: { id: $id }) { deletedId } }', { id: mcp.mcpServer.id }, owner)
    const budget = await succeed<{ budget: { id: string } }>(tenant, 'mutation { setBudget(input: { subject: TENANT, maxExecutions: 100 }) { budget { id } } }', {}, owner)
    await succeed(tenant, 'mutation($id: ID!) { deleteBudget(input: { id: $id }) { deletedId } }', { id: budget.budget.id }, owner)
    await succeed(tenant, 'mutation { exportTenantData { export { id } } }', {}, owner)
    await succeed(tenant, 'mutation { updateTenant(input: { name: "Audit actions" }) { tenant { id } } }', {}, owner)
    await succeed(tenant, 'mutation { deleteTenant(input: { confirmName: "Audit actions" }) { deletionScheduledAt } }', {}, owner)
    await succeed(tenant, 'mutation { cancelTenantDeletion { tenant { id } } }', {}, owner)
    await succeed(tenant, 'mutation { logout { success } }', {}, owner)

    expect([...recorded.keys()].sort()).toEqual(Object.keys(auditActions).sort())
    for (const [field, actions] of recorded) expect(actions, field).toEqual([recordedOnSuccess[field] ?? auditActions[field]])
  })

  it('audits a refusal under the declared action, not one derived from the field name', async () => {
    const owner = await signUp(t)
    const agent = await createAgent(t, owner)
    const readOnly = await createApiKey(t, owner, ['AGENTS_READ'])
    const requestId = `req-${randomUUID()}`
    await t.gql('mutation($a: ID!) { runAgent(input: { agentId: $a, prompt: "hi" }) { execution { id } } }', { a: agent.id }, { ...readOnly.headers, 'x-request-id': requestId })
    const rows = await t.app.deps.db.forTenant(rawId(owner.tenantId)).client.auditLog.findMany({ where: { requestId } })
    expect(rows.map((row) => [row.action, row.outcome])).toEqual([[auditActions.runAgent, 'DENIED']])
  })
})
