// The AG-UI client adapter (clients/agui-agent.ts) as @ag-ui/client drives it: through AbstractAgent.runAgent(), on a
// clone (CopilotKit clones the agent for every request), and resuming a detached run with connectAgent().
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import type { BaseEvent } from '@ag-ui/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AgentPlatformAgent } from '../../clients/agui-agent.ts'
import { createResumableClient } from '../../clients/ws.ts'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { eventLog, verify } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { eventually } from '../helpers/ws.ts'

let t: TestApp
let s: Session
let agentId: string
let ws: ReturnType<typeof createResumableClient>
beforeAll(async () => {
  t = await startApp({}, { listen: true })
  s = await signUp(t)
  agentId = await seedAgent(t, s, { tools: ['calculator'] })
  ws = createResumableClient({ url: `ws://127.0.0.1:${t.port}/graphql`, webSocketImpl: WebSocket, connectionParams: () => ({ authorization: `Bearer ${s.accessToken}` }) })
})
afterAll(() => ws.dispose())

const newAgent = () => new AgentPlatformAgent({ url: `http://127.0.0.1:${t.port}/graphql`, ws, token: s.accessToken, platformAgentId: agentId })

describe('AgentPlatformAgent', () => {
  it('runs on a clone, which keeps the thread and leaves the original untouched', async () => {
    const agent = newAgent()
    agent.addMessage({ id: randomUUID(), role: 'user', content: 'use calculator to compute 6 * 7' })
    await agent.runAgent()
    const before = agent.messages.length
    const copy = agent.clone()
    expect(copy).toBeInstanceOf(AgentPlatformAgent)
    copy.addMessage({ id: randomUUID(), role: 'user', content: 'and now tell me a story' })
    const seen: BaseEvent[] = []
    const result = await copy.runAgent({}, { onEvent: ({ event }) => void seen.push(event) })
    await verify(seen)
    expect(result.newMessages.some((m) => m.role === 'assistant')).toBe(true)
    expect(copy.threadId).toBe(agent.threadId)
    expect(agent.messages).toHaveLength(before)
    // The clone sent only the new message: the thread holds both user turns once each.
    const thread = await t.gql<{ node: { messages: { role: string }[] } }>('query($id: ID!) { node(id: $id) { ... on Thread { messages { role } } } }', { id: copy.threadId }, s.headers)
    expect(thread.body.data!.node.messages.filter((m) => m.role === 'user')).toHaveLength(2)
  })

  it('reconnects to a detached run with connectAgent(): the whole run, replayed then live, and the same messages', async () => {
    const agent = newAgent()
    agent.addMessage({ id: randomUUID(), role: 'user', content: 'tell me a long story [[mock:delay=30]]' })
    const first: BaseEvent[] = []
    const running = agent.runAgent({}, { onEvent: ({ event }) => void first.push(event) })
    await eventually(() => expect(first.length).toBeGreaterThan(4), 10_000)
    await agent.detachActiveRun()
    await running
    expect(first.at(-1)!.type).not.toBe('RUN_FINISHED')
    const rest: BaseEvent[] = []
    await agent.connectAgent({}, { onEvent: ({ event }) => void rest.push(event) })
    expect(rest.at(-1)!.type).toBe('RUN_FINISHED')
    const executionId = (await t.gql<{ executions: { edges: { node: { id: string } }[] } }>('{ executions(first: 1) { edges { node { id } } } }', undefined, s.headers)).body.data!.executions.edges[0]!.node.id
    const log = await eventLog(t, s, executionId)
    expect(rest).toEqual(log.map((e) => e.event))
    expect(first).toEqual(rest.slice(0, first.length))
    const thread = await t.gql<{ node: { messages: { id: string }[] } }>('query($id: ID!) { node(id: $id) { ... on Thread { messages { id } } } }', { id: agent.threadId }, s.headers)
    expect(agent.messages.map((m) => m.id)).toEqual(thread.body.data!.node.messages.map((m) => m.id))
    // Nothing left to resume once the run has finished.
    const after: BaseEvent[] = []
    await agent.connectAgent({}, { onEvent: ({ event }) => void after.push(event) })
    expect(after).toEqual([])
  })
})
