// Agents and tools for run tests, created through the API.
import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { TestApp } from './app.ts'
import type { Session } from './tenants.ts'

export const raw = (globalId: string) => Buffer.from(globalId, 'base64').toString().split(':')[1]!

export interface AgentOptions {
  tools?: ('echo' | 'calculator' | 'current_time')[]
  timeoutSeconds?: number
  maxConcurrentExecutions?: number
  maxToolCalls?: number
  systemPrompt?: string
}

/** The built-in tool named after its handler (so a prompt naming it makes the mock call it), created once per tenant. */
async function builtinTool(t: TestApp, s: Session, handler: string): Promise<string> {
  const created = await t.gql<{ createTool: { tool: { id: string } } }>(
    'mutation($h: String!) { createTool(input: { name: $h, description: $h, kind: BUILTIN, handler: $h }) { tool { id } } }', { h: handler }, s.headers)
  if (!created.body.errors) return created.body.data!.createTool.tool.id
  expect(created.body.errors[0]!.extensions.code).toBe('CONFLICT')
  const found = await t.gql<{ tools: { edges: { node: { id: string; name: string } }[] } }>('query($q: String!) { tools(first: 10, filter: { search: $q }) { edges { node { id name } } } }', { q: handler }, s.headers)
  return found.body.data!.tools.edges.find((e) => e.node.name === handler)!.node.id
}

/** An agent on the mock model with the given built-in tools; returns its global id. */
export async function seedAgent(t: TestApp, s: Session, o: AgentOptions = {}): Promise<string> {
  const toolIds = []
  for (const handler of o.tools ?? []) toolIds.push(await builtinTool(t, s, handler))
  const r = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
    input: {
      name: `agent ${randomUUID().slice(0, 8)}`, model: 'mock-1', systemPrompt: o.systemPrompt ?? 'You are helpful.', toolIds,
      timeoutSeconds: o.timeoutSeconds ?? 60, maxConcurrentExecutions: o.maxConcurrentExecutions ?? 5, maxToolCalls: o.maxToolCalls ?? 5,
    },
  }, s.headers)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.createAgent.agent.id
}
