// AG-UI over HTTP: @ag-ui/client's HttpAgent, unmodified, runs an agent against POST /agui/agents/:agentId; the
// event stream carries cursors as SSE ids, and GET /agui/runs/:executionId/events resumes after Last-Event-ID.
import { randomUUID } from 'node:crypto'
import { HttpAgent, type BaseEvent } from '@ag-ui/client'
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { eventLog, until, verify } from '../helpers/runs.ts'
import { createApiKey, signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let s: Session
let agentId: string
beforeAll(async () => {
  t = await startApp({}, { listen: true })
  s = await signUp(t)
  agentId = await seedAgent(t, s, { tools: ['calculator'] })
})

const base = () => `http://127.0.0.1:${t.port}`

/** Reads a whole SSE response into frames of { id, data }. */
async function frames(r: Response) {
  const text = await r.text()
  return text.split('\n\n').filter((b) => b.includes('data:')).map((b) => ({
    id: /^id: (.*)$/m.exec(b)?.[1],
    event: JSON.parse(/^data: (.*)$/m.exec(b)![1]!) as BaseEvent & Record<string, unknown>,
  }))
}

describe('AG-UI over HTTP', () => {
  it('runs an agent through an unmodified HttpAgent, tool calls and all', async () => {
    const agent = new HttpAgent({ url: `${base()}/agui/agents/${encodeURIComponent(agentId)}`, headers: { authorization: `Bearer ${s.accessToken}` } })
    agent.addMessage({ id: randomUUID(), role: 'user', content: 'use calculator to compute 6 * 7' })
    const seen: BaseEvent[] = []
    const result = await agent.runAgent({ runId: randomUUID() }, { onEvent: ({ event }) => void seen.push(event) })
    expect(seen[0]!.type).toBe('RUN_STARTED')
    expect(seen.at(-1)!.type).toBe('RUN_FINISHED')
    expect(seen.map((e) => e.type)).toContain('TOOL_CALL_START')
    expect(result.newMessages.some((m) => m.role === 'assistant')).toBe(true)
    await verify(seen)
  })

  it('streams each event with its cursor as the SSE id, and resumes after Last-Event-ID or ?after=', async () => {
    const key = await createApiKey(t, s, ['EXECUTIONS_RUN', 'EXECUTIONS_READ', 'AGENTS_READ'])
    const r = await fetch(`${base()}/agui/agents/${encodeURIComponent(agentId)}`, {
      method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'x-api-key': key.secret },
      body: JSON.stringify({ threadId: randomUUID(), runId: randomUUID(), messages: [{ id: randomUUID(), role: 'user', content: 'hello there' }], tools: [], context: [], state: {}, forwardedProps: {} }),
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('content-type')).toContain('text/event-stream')
    const executionId = r.headers.get('x-execution-id')!
    const all = await frames(r)
    const log = await eventLog(t, s, executionId)
    expect(all.map((f) => f.id)).toEqual(log.map((e) => e.cursor))
    expect(all.map((f) => f.event)).toEqual(log.map((e) => e.event))

    const resumed = await fetch(`${base()}/agui/runs/${encodeURIComponent(executionId)}/events`, { headers: { 'x-api-key': key.secret, 'last-event-id': all[2]!.id! } })
    expect((await frames(resumed)).map((f) => f.id)).toEqual(all.slice(3).map((f) => f.id))
    const byQuery = await fetch(`${base()}/agui/runs/${encodeURIComponent(executionId)}/events?after=${encodeURIComponent(all.at(-2)!.id!)}`, { headers: { 'x-api-key': key.secret } })
    expect((await frames(byQuery)).map((f) => f.event.type)).toEqual(['RUN_FINISHED'])
  })

  it('continues a platform thread, sending the server only the messages it has not seen', async () => {
    const agent = new HttpAgent({ url: `${base()}/agui/agents/${encodeURIComponent(agentId)}`, headers: { authorization: `Bearer ${s.accessToken}` } })
    agent.addMessage({ id: randomUUID(), role: 'user', content: 'first question' })
    let threadId = ''
    await agent.runAgent({}, { onRunStartedEvent: ({ event }) => void (threadId = event.threadId) })
    agent.threadId = threadId
    agent.addMessage({ id: randomUUID(), role: 'user', content: 'second question' })
    await agent.runAgent()
    const thread = await t.gql<{ node: { messages: { role: string; content: string }[] } }>('query($id: ID!) { node(id: $id) { ... on Thread { messages { role content } } } }', { id: threadId }, s.headers)
    expect(thread.body.data!.node.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['first question', 'second question'])
  })

  it('refuses bad credentials, foreign or missing agents and runs, and malformed bodies with typed errors', async () => {
    const post = (path: string, headers: Record<string, string>, body: string) => fetch(`${base()}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
    const input = JSON.stringify({ threadId: 'x', runId: randomUUID(), messages: [{ id: '1', role: 'user', content: 'hi' }] })
    const noAuth = await post(`/agui/agents/${encodeURIComponent(agentId)}`, { authorization: 'Bearer nope' }, input)
    expect(noAuth.status).toBe(401)
    expect((await noAuth.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED')
    const other = await signUp(t)
    const foreign = await post(`/agui/agents/${encodeURIComponent(agentId)}`, other.headers, input)
    const missing = await post(`/agui/agents/${encodeURIComponent(Buffer.from(`Agent:${randomUUID()}`).toString('base64'))}`, other.headers, input)
    expect(foreign.status).toBe(404)
    expect(await foreign.json()).toEqual({ errors: [expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })] })
    expect(missing.status).toBe(foreign.status)
    const malformed = await post(`/agui/agents/${encodeURIComponent(agentId)}`, s.headers, '{"messages":')
    expect(malformed.status).toBe(400)
    expect((await malformed.json()).errors[0].extensions.code).toBe('VALIDATION_FAILED')

    const done = await until(t, s, (await t.gql<{ runAgent: { execution: { id: string } } }>('mutation($i: RunAgentInput!) { runAgent(input: $i) { execution { id } } }', { i: { agentId, prompt: 'hi' } }, s.headers)).body.data!.runAgent.execution.id, ['SUCCEEDED'])
    const foreignRun = await fetch(`${base()}/agui/runs/${encodeURIComponent(done.id)}/events`, { headers: other.headers })
    expect(foreignRun.status).toBe(404)
  })
})
