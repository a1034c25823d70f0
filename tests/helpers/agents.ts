// Agents and tools for run tests.
import { encodeGlobalID } from '@pothos/plugin-relay'
import { randomUUID } from 'node:crypto'
import { builtinHandlers } from '../../src/tools/builtin.ts'
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

/** An agent on the mock model with the given built-in tools; returns its global id. */
export async function seedAgent(t: TestApp, s: Session, o: AgentOptions = {}): Promise<string> {
  const tenantId = raw(s.tenantId)
  const agent = await t.app.deps.db.forTenant(tenantId).tx(async (tx) => {
    const tools = []
    for (const handler of o.tools ?? []) {
      // Named after the handler, so a prompt that names it makes the mock model call it.
      const existing = await tx.tool.findFirst({ where: { name: handler } })
      tools.push(existing ?? await tx.tool.create({ data: { tenantId, name: handler, description: builtinHandlers.get(handler)!.description, kind: 'BUILTIN', handler, inputSchema: builtinHandlers.get(handler)!.inputSchema as object } }))
    }
    return tx.agent.create({
      data: {
        tenantId, name: `agent-${randomUUID().slice(0, 8)}`, model: 'mock-1', systemPrompt: o.systemPrompt ?? 'You are helpful.',
        timeoutSeconds: o.timeoutSeconds ?? 60, maxConcurrentExecutions: o.maxConcurrentExecutions ?? 5, maxToolCalls: o.maxToolCalls ?? 5,
        agentTools: { create: tools.map((tool, position) => ({ toolId: tool.id, position })) },
      },
    })
  })
  return encodeGlobalID('Agent', agent.id)
}
