// AG-UI human in the loop as @ag-ui/client drives it: AbstractAgent.runAgent() ends on an interrupt outcome (the
// agent's pendingInterrupts), and runAgent({ resume }) continues with a new run; through the graphql-ws adapter in
// clients/ and through an unmodified HttpAgent against POST /agui/agents/:agentId. Every stream passes verifyEvents.
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { HttpAgent, type AbstractAgent, type BaseEvent } from '@ag-ui/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AgentPlatformAgent } from '../../clients/agui-agent.ts'
import { createResumableClient } from '../../clients/ws.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { verify } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let s: Session
let agentId: string
let ws: ReturnType<typeof createResumableClient>
beforeAll(async () => {
  t = await startApp({}, { listen: true })
  s = await signUp(t)
  const tool = await t.gql<{ createTool: { tool: { id: string } } }>('mutation { createTool(input: { name: "deploy", description: "Deploys.", kind: BUILTIN, handler: "echo", requiresApproval: true }) { tool { id } } }', {}, s.headers)
  const agent = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
    input: { name: 'hitl', model: 'mock-1', systemPrompt: 'You are careful.', toolIds: [tool.body.data!.createTool.tool.id], timeoutSeconds: 30 },
  }, s.headers)
  agentId = agent.body.data!.createAgent.agent.id
  ws = createResumableClient({ url: `ws://127.0.0.1:${t.port}/graphql`, webSocketImpl: WebSocket, connectionParams: () => ({ authorization: `Bearer ${s.accessToken}` }) })
})
afterAll(() => ws.dispose())

/** Runs until the interrupt, answers it with `status`, and checks both streams and what the agent holds. */
async function interruptAndResume(agent: AbstractAgent, status: 'resolved' | 'cancelled') {
  agent.addMessage({ id: randomUUID(), role: 'user', content: 'please deploy the site' })
  const first: BaseEvent[] = []
  let outcome: string | undefined
  await agent.runAgent({ runId: randomUUID() }, { onEvent: ({ event }) => void first.push(event), onRunFinishedEvent: (p) => void (outcome = p.outcome) })
  await verify(first)
  expect(outcome).toBe('interrupt')
  expect(agent.pendingInterrupts).toEqual([expect.objectContaining({ reason: 'tool_approval', toolCallId: expect.any(String), expiresAt: expect.any(String) })])
  const [interrupt] = agent.pendingInterrupts
  // AbstractAgent refuses a new run that leaves an interrupt unanswered, before any request.
  await expect(agent.runAgent({ runId: randomUUID() })).rejects.toThrow(/pending interrupt/)

  const second: BaseEvent[] = []
  const runId = randomUUID()
  const result = await agent.runAgent({ runId, resume: [{ interruptId: interrupt!.id, status }] }, { onEvent: ({ event }) => void second.push(event) })
  await verify(second)
  expect(second[0]).toMatchObject({ type: 'RUN_STARTED', runId })
  expect(second.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } })
  expect(agent.pendingInterrupts).toEqual([])
  const toolMessage = agent.messages.find((m) => m.role === 'tool' && m.toolCallId === interrupt!.toolCallId)
  expect(toolMessage).toBeDefined()
  expect(result.newMessages.some((m) => m.role === 'assistant')).toBe(true)
  answered.push(interrupt!.id)
  return String(toolMessage!.content)
}
const answered: string[] = []

describe('AG-UI interrupts', () => {
  it('AgentPlatformAgent (graphql-ws adapter): interrupt, then approve', async () => {
    const agent = new AgentPlatformAgent({ url: `http://127.0.0.1:${t.port}/graphql`, ws, token: s.accessToken, platformAgentId: agentId })
    expect(await interruptAndResume(agent, 'resolved')).toContain('the site')
  })

  it('AgentPlatformAgent on a clone: interrupt, then reject', async () => {
    const agent = new AgentPlatformAgent({ url: `http://127.0.0.1:${t.port}/graphql`, ws, token: s.accessToken, platformAgentId: agentId }).clone()
    expect(await interruptAndResume(agent, 'cancelled')).toContain('refused')
  })

  it('an unmodified HttpAgent against POST /agui/agents/:agentId: interrupt, then approve', async () => {
    const agent = new HttpAgent({ url: `http://127.0.0.1:${t.port}/agui/agents/${encodeURIComponent(agentId)}`, headers: { authorization: `Bearer ${s.accessToken}` } })
    expect(await interruptAndResume(agent, 'resolved')).toContain('the site')
  })

  it('HttpAgent: a resume the server refuses is a typed error (already answered: 409 CONFLICT; unknown: 404)', async () => {
    const agent = new HttpAgent({ url: `http://127.0.0.1:${t.port}/agui/agents/${encodeURIComponent(agentId)}`, headers: { authorization: `Bearer ${s.accessToken}` } })
    await interruptAndResume(agent, 'resolved')
    const r = await fetch(`http://127.0.0.1:${t.port}/agui/agents/${encodeURIComponent(agentId)}`, {
      method: 'POST', headers: { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ threadId: agent.threadId, runId: randomUUID(), messages: [], tools: [], context: [], resume: [{ interruptId: answered.at(-1), status: 'resolved' }] }),
    })
    expect(r.status).toBe(409)
    expect(((await r.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('CONFLICT')
    const unknown = await fetch(`http://127.0.0.1:${t.port}/agui/agents/${encodeURIComponent(agentId)}`, {
      method: 'POST', headers: { authorization: `Bearer ${s.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ threadId: agent.threadId, runId: randomUUID(), messages: [], tools: [], context: [], resume: [{ interruptId: randomUUID(), status: 'resolved' }] }),
    })
    expect(unknown.status).toBe(404)
  })
})
