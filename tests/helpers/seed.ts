// A tenant with one of everything the API can create, and the ids of it all by GraphQL type: the victim of the
// cross-tenant suite. Extend it whenever a new type of tenant-owned object appears.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { TestApp } from './app.ts'
import { addMember, createApiKey, signUp, uniqueEmail, type Session } from './tenants.ts'
import { run } from './runs.ts'
import { finishedExport, requestExport } from './exports.ts'

export interface Seeded {
  owner: Session
  /** Global ids by GraphQL type name. */
  ids: Record<string, string[]>
  /** Strings that only this tenant's data contains (names, emails, secrets): must never appear elsewhere. */
  marks: string[]
}

export async function seedTenant(t: TestApp): Promise<Seeded> {
  const mark = `victim-${randomUUID().slice(0, 8)}`
  const owner = await signUp(t, { tenantName: `${mark} tenant` })
  const member = await addMember(t, owner, 'DEVELOPER')
  const key = await createApiKey(t, owner, ['TOOLS_READ'], { name: `${mark} key` })
  const invite = await t.gql<{ inviteMember: { invitation: { id: string } } }>(
    'mutation($e: String!) { inviteMember(input: { email: $e, role: VIEWER }) { invitation { id } } }', { e: uniqueEmail(mark) }, owner.headers)
  expect(invite.body.errors).toBeUndefined()
  const members = await t.gql<{ members: { edges: { node: { id: string } }[] } }>('{ members { edges { node { id } } } }', undefined, owner.headers)
  const catalog = await t.gql<{ createTool: { tool: { id: string } } }>(
    'mutation($name: String!) { createTool(input: { name: $name, description: "", kind: BUILTIN, handler: "echo" }) { tool { id } } }', { name: `${mark} tool` }, owner.headers)
  expect(catalog.body.errors).toBeUndefined()
  const toolId = catalog.body.data!.createTool.tool.id
  const agent = await t.gql<{ createAgent: { agent: { id: string } } }>(
    'mutation($name: String!, $tool: ID!) { createAgent(input: { name: $name, model: "mock-1", systemPrompt: $name, toolIds: [$tool] }) { agent { id } } }', { name: `${mark} agent`, tool: toolId }, owner.headers)
  expect(agent.body.errors).toBeUndefined()
  const thread = await t.gql<{ createThread: { thread: { id: string } } }>(
    'mutation($title: String!) { createThread(input: { title: $title }) { thread { id } } }', { title: `${mark} thread` }, owner.headers)
  expect(thread.body.errors).toBeUndefined()
  // Subscribed before the run, so the run's outcome leaves a delivery (its address never resolves: it stays pending).
  const webhook = await t.gql<{ createWebhook: { webhook: { id: string }; secret: string } }>(
    'mutation($d: String!) { createWebhook(input: { url: "https://hooks.example.test/in", events: ["execution.*"], description: $d }) { webhook { id } secret } }', { d: `${mark} webhook` }, owner.headers)
  expect(webhook.body.errors).toBeUndefined()
  // An MCP server whose address never resolves (status ERROR), with a write-only header.
  const mcp = await t.gql<{ createMcpServer: { mcpServer: { id: string } } }>(
    'mutation($n: String!, $v: String!) { createMcpServer(input: { name: $n, url: "https://mcp.example.test/mcp", headers: [{ name: "Authorization", value: $v }] }) { mcpServer { id } } }',
    { n: `${mark}-mcp`, v: `Bearer ${mark}-mcp-secret` }, owner.headers)
  expect(mcp.body.errors).toBeUndefined()
  const budget = await t.gql<{ setBudget: { budget: { id: string } } }>(
    'mutation($a: ID!) { setBudget(input: { subject: AGENT, subjectId: $a, maxExecutions: 1000 }) { budget { id } } }', { a: agent.body.data!.createAgent.agent.id }, owner.headers)
  expect(budget.body.errors).toBeUndefined()
  const audit = await t.gql<{ auditLog: { edges: { node: { id: string } }[] } }>('{ auditLog(first: 2) { edges { node { id } } } }', undefined, owner.headers)
  expect(audit.body.errors).toBeUndefined()
  const execution = await run(t, owner, { agentId: agent.body.data!.createAgent.agent.id, threadId: thread.body.data!.createThread.thread.id, prompt: `${mark} please echo this`, wait: true })
  const deliveries = await t.gql<{ webhook: { deliveries: { edges: { node: { id: string } }[] } } }>(
    'query($id: ID!) { webhook(id: $id) { deliveries(first: 5) { edges { node { id } } } } }', { id: webhook.body.data!.createWebhook.webhook.id }, owner.headers)
  expect(deliveries.body.data!.webhook.deliveries.edges.length).toBeGreaterThan(0)
  // Last, so the export holds everything above; finished, so its content exists too.
  const exported = await finishedExport(t, owner, (await requestExport(t, owner)).id)
  expect(exported.status).toBe('SUCCEEDED')
  return {
    owner,
    ids: {
      Tenant: [owner.tenantId],
      User: [owner.userId, member.userId],
      Member: members.body.data!.members.edges.map((e) => e.node.id),
      ApiKey: [key.id],
      Invitation: [invite.body.data!.inviteMember.invitation.id],
      Tool: [toolId],
      Agent: [agent.body.data!.createAgent.agent.id],
      Thread: [thread.body.data!.createThread.thread.id],
      Execution: [execution.id],
      AuditLogEntry: audit.body.data!.auditLog.edges.map((e) => e.node.id),
      Webhook: [webhook.body.data!.createWebhook.webhook.id],
      McpServer: [mcp.body.data!.createMcpServer.mcpServer.id],
      Budget: [budget.body.data!.setBudget.budget.id],
      TenantExport: [exported.id],
      WebhookDelivery: deliveries.body.data!.webhook.deliveries.edges.map((e) => e.node.id),
    },
    marks: [mark, owner.email, member.email, key.secret, key.prefix, webhook.body.data!.createWebhook.secret, `${mark}-mcp-secret`],
  }
}
