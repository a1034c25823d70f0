// Client (frontend) tools: the model's call of one ends the run SUCCEEDED with the call pending
// (RUN_FINISHED.outcome.pendingToolCallIds); the client answers with a tool message naming the call and the thread
// continues. Over HTTP, graphql-ws and AG-UI's HttpAgent; a name shared with an agent tool is VALIDATION_FAILED.
import { randomUUID } from 'node:crypto'
import { HttpAgent, type BaseEvent } from '@ag-ui/client'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { eventLog, run, verify, type LoggedEvent } from '../helpers/runs.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'
import { connectWs } from '../helpers/ws.ts'

let t: TestApp
let s: Session
let agentId: string
beforeAll(async () => {
  t = await startApp({}, { listen: true })
  s = await signUp(t)
  agentId = await seedAgent(t, s, { tools: ['echo'] })
})

const pickColor = { name: 'pick_color', description: 'Asks the user to pick a color.', parameters: { type: 'object', properties: { color: { type: 'string' } } } }
const finished = (log: LoggedEvent[]) => log.at(-1)!.event as unknown as { type: string; outcome: { type: string; pendingToolCallIds?: string[] } }
const totalRuns = async () => (await t.gql<{ executions: { totalCount: number } }>('query { executions(first: 1) { totalCount } }', {}, s.headers)).body.data!.executions.totalCount

describe('client tools', () => {
  it('a call ends the run with it pending; a tool message answers it and the thread goes on', async () => {
    const first = await run(t, s, { agentId, prompt: 'what is my favourite color? [[mock:call=pick_color]]', clientTools: [pickColor], wait: true })
    expect(first.status).toBe('SUCCEEDED')
    const log = await eventLog(t, s, first.id)
    await verify(log.map((e) => e.event))
    const call = log.find((e) => e.type === 'TOOL_CALL_START')!.event as unknown as { toolCallId: string; toolCallName: string }
    expect(call.toolCallName).toBe('pick_color')
    expect(finished(log).outcome).toEqual({ type: 'success', pendingToolCallIds: [call.toolCallId] })
    expect(log.some((e) => e.type === 'TOOL_CALL_RESULT')).toBe(false) // the server never runs a client tool

    const q = await t.gql<{ execution: { thread: { id: string } } }>('query($id: ID!) { execution(id: $id) { thread { id } } }', { id: first.id }, s.headers)
    const threadId = q.body.data!.execution.thread.id
    const second = await run(t, s, { agentId, threadId, messages: [{ role: 'tool', toolCallId: call.toolCallId, content: '{"color":"teal"}' }], clientTools: [pickColor], wait: true })
    expect(second.status).toBe('SUCCEEDED')
    const log2 = await eventLog(t, s, second.id)
    await verify(log2.map((e) => e.event))
    expect(finished(log2).outcome).toEqual({ type: 'success' })
    const thread = await t.gql<{ thread: { messages: { role: string; content: string | null; toolCallId: string | null }[] } }>(
      'query($id: ID!) { thread(id: $id) { messages { role content toolCallId } } }', { id: threadId }, s.headers)
    const messages = thread.body.data!.thread.messages
    expect(messages.map((m) => m.role)).toEqual(['user', 'assistant', 'tool', 'assistant'])
    expect(messages[2]).toEqual({ role: 'tool', content: '{"color":"teal"}', toolCallId: call.toolCallId })
  })

  it('a client tool named like an agent tool, or a tool message without toolCallId: VALIDATION_FAILED, nothing queued', async () => {
    const before = await totalRuns()
    const collision = await t.gql('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }',
      { input: { agentId, prompt: 'hi', clientTools: [{ name: 'echo', description: 'mine' }, pickColor, { ...pickColor }] } }, s.headers)
    expect(codeOf(collision)).toBe('VALIDATION_FAILED')
    expect(collision.body.errors![0]!.extensions.fields).toEqual([
      { path: 'clientTools.0.name', message: 'is already the name of a tool of this agent' },
      { path: 'clientTools.2.name', message: 'is listed twice' },
    ])
    const noCall = await t.gql('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }',
      { input: { agentId, messages: [{ role: 'tool', content: 'x' }] } }, s.headers)
    expect([codeOf(noCall), noCall.body.errors![0]!.extensions.fields]).toEqual(['VALIDATION_FAILED', [{ path: 'messages.0.toolCallId', message: 'is required for a tool message' }]])
    const badSchema = await t.gql('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }',
      { input: { agentId, prompt: 'hi', clientTools: [{ name: 'x', parameters: { type: 'string' } }] } }, s.headers)
    expect(codeOf(badSchema)).toBe('VALIDATION_FAILED')
    expect(await totalRuns()).toBe(before)
  })

  it('over graphql-ws: the run and its event stream carry the pending call', async () => {
    const ws = connectWs(t.port!, { authorization: `Bearer ${s.accessToken}` })
    try {
      const [r] = await ws.collect<{ runAgent: { execution: { id: string } } }>('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }',
        { input: { agentId, prompt: 'pick one [[mock:call=pick_color]]', clientTools: [pickColor] } })
      const events = await ws.collect<{ executionEvents: { event: BaseEvent & Record<string, unknown> } }>('subscription($id: ID!) { executionEvents(executionId: $id) { event } }', { id: r!.data!.runAgent.execution.id })
      const stream = events.map((e) => e.data!.executionEvents.event)
      await verify(stream)
      const call = stream.find((e) => e.type === 'TOOL_CALL_START')!
      expect(stream.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success', pendingToolCallIds: [call.toolCallId] } })
    } finally {
      await ws.client.dispose()
    }
  })

  it('an unmodified HttpAgent: its frontend tools are client tools, and its tool message continues the thread', async () => {
    const agent = new HttpAgent({ url: `http://127.0.0.1:${t.port}/agui/agents/${encodeURIComponent(agentId)}`, headers: { authorization: `Bearer ${s.accessToken}` } })
    agent.addMessage({ id: randomUUID(), role: 'user', content: 'choose for me [[mock:call=pick_color]]' })
    let pending: string[] = []
    let threadId: string | undefined
    await agent.runAgent({ runId: randomUUID(), tools: [pickColor] }, {
      onRunStartedEvent: ({ event }) => void (threadId = event.threadId),
      onRunFinishedEvent: (p) => void (pending = p.outcome === 'success' ? p.pendingToolCallIds : []),
    })
    expect(pending).toHaveLength(1)
    agent.threadId = threadId!
    agent.addMessage({ id: randomUUID(), role: 'tool', toolCallId: pending[0]!, content: 'teal' })
    const seen: BaseEvent[] = []
    const result = await agent.runAgent({ runId: randomUUID(), tools: [pickColor] }, { onEvent: ({ event }) => void seen.push(event) })
    await verify(seen)
    expect(seen.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } })
    expect(result.newMessages.some((m) => m.role === 'assistant')).toBe(true)
  })
})
