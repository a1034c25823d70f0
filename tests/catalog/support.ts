// Catalog helpers: create tools, agents and threads through the public API, and read the audit log directly.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { TestApp } from '../helpers/app.ts'
import type { Session } from '../helpers/tenants.ts'

export const toolFields = 'id name description kind handler url inputSchema version createdAt updatedAt'
export const agentFields = 'id name role description systemPrompt model temperature maxTokens timeoutSeconds maxConcurrentExecutions maxToolCalls version tools { id name }'

export const unique = (label: string) => `${label} ${randomUUID().slice(0, 8)}`
export const rawId = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!

type Headers = Record<string, string>
const auth = (s: Session | Headers): Headers => ('headers' in s ? (s as Session).headers : (s as Headers))

export interface ToolData {
  id: string
  name: string
  version: number
  [k: string]: unknown
}
export interface AgentData {
  id: string
  name: string
  version: number
  tools: { id: string; name: string }[]
  [k: string]: unknown
}

/** createTool; returns the raw response (for error assertions). */
export const createToolRaw = (t: TestApp, s: Session | Headers, input: Record<string, unknown>, headers: Headers = {}) =>
  t.gql<{ createTool: { tool: ToolData } }>(`mutation($input: CreateToolInput!) { createTool(input: $input) { tool { ${toolFields} } } }`, { input }, { ...auth(s), ...headers })

/** Creates an echo tool (or what `input` says) and returns it. */
export async function createTool(t: TestApp, s: Session | Headers, input: Record<string, unknown> = {}): Promise<ToolData> {
  const r = await createToolRaw(t, s, { name: unique('tool'), description: 'Echoes its input.', kind: 'BUILTIN', handler: 'echo', ...input })
  expect(r.body.errors).toBeUndefined()
  return r.body.data!.createTool.tool
}

export const createAgentRaw = (t: TestApp, s: Session | Headers, input: Record<string, unknown>, headers: Headers = {}) =>
  t.gql<{ createAgent: { agent: AgentData } }>(`mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { ${agentFields} } } }`, { input }, { ...auth(s), ...headers })

/** Creates an agent on mock-1 (or what `input` says) and returns it. */
export async function createAgent(t: TestApp, s: Session | Headers, input: Record<string, unknown> = {}): Promise<AgentData> {
  const r = await createAgentRaw(t, s, { name: unique('agent'), model: 'mock-1', ...input })
  expect(r.body.errors).toBeUndefined()
  return r.body.data!.createAgent.agent
}

/** Creates a thread and returns its id. */
export async function createThread(t: TestApp, s: Session | Headers, title?: string): Promise<string> {
  const r = await t.gql<{ createThread: { thread: { id: string } } }>('mutation($input: CreateThreadInput!) { createThread(input: $input) { thread { id } } }', { input: { title } }, auth(s))
  expect(r.body.errors).toBeUndefined()
  return r.body.data!.createThread.thread.id
}

/** Audit rows of a tenant, oldest first, read directly from the database (not through the API under test). */
export const auditRows = (t: TestApp, s: Session, where: Record<string, unknown> = {}) =>
  t.app.deps.db.forTenant(rawId(s.tenantId)).client.auditLog.findMany({ where, orderBy: { id: 'asc' } })

/** The field paths of a VALIDATION_FAILED (or other) error. */
export const fieldsOf = (r: { body: { errors?: { extensions: Record<string, unknown> }[] } }) =>
  ((r.body.errors?.[0]?.extensions.fields ?? []) as { path: string }[]).map((f) => f.path).sort()
