// Defects found by the first outside review, each pinned: the mock answers the same whatever ids the run generated,
// a cursor at the terminal event completes at once, events(last, before) page backwards, executionProgress on a
// finished run sends its final state once, and mock directives never reach the thread's history.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { eventLog, run, type LoggedEvent } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs } from '../helpers/ws.ts'

let t: TestApp
let s: Session
beforeAll(async () => {
  t = await startApp({}, { listen: true })
  s = await signUp(t)
})

const EVENTS = 'subscription($id: ID!, $after: String) { executionEvents(executionId: $id, after: $after) { cursor seq type } }'
const PROGRESS = 'subscription($id: ID!) { executionProgress(executionId: $id) { status step percent tokens } }'

describe('the mock is deterministic once a tool is called', () => {
  it('two runs of the same agent, prompt and tools answer the same text with the same usage', async () => {
    const agentId = await seedAgent(t, s, { tools: ['calculator'] })
    const prompt = 'use calculator to compute (7 + 5) * 3'
    const a = await run(t, s, { agentId, prompt, wait: true })
    const b = await run(t, s, { agentId, prompt, wait: true })
    expect(a.status).toBe('SUCCEEDED')
    expect(a.output).toContain('36')
    expect(b.output).toBe(a.output)
    expect(b.usage).toEqual(a.usage)
  })

  it('a retried attempt answers exactly like a first attempt', async () => {
    const agentId = await seedAgent(t, s, { tools: ['calculator'] })
    const plain = await run(t, s, { agentId, prompt: 'use calculator to compute 6 * 7', wait: true })
    const retried = await run(t, s, { agentId, prompt: 'use calculator to compute 6 * 7 [[mock:fail=transient-once]]', wait: true })
    expect(retried.status).toBe('SUCCEEDED')
    expect(retried.attempt).toBe(2)
    expect(retried.output).toBe(plain.output)
  })
})

describe('subscriptions around the end of a run', () => {
  it('executionEvents with the cursor of the terminal event completes at once, without an event', async () => {
    const r = await run(t, s, { agentId: await seedAgent(t, s), prompt: 'say something', wait: true })
    const log = await eventLog(t, s, r.id)
    const ws = connectWs(t.port!, { authorization: `Bearer ${s.accessToken}` })
    const started = Date.now()
    const results = await ws.collect(EVENTS, { id: r.id, after: log.at(-1)!.cursor })
    expect(results).toEqual([])
    expect(Date.now() - started).toBeLessThan(2_000)
    // One before the end still gets exactly the terminal event.
    const last = await ws.collect<{ executionEvents: LoggedEvent }>(EVENTS, { id: r.id, after: log.at(-2)!.cursor })
    expect(last.map((x) => x.data!.executionEvents.type)).toEqual(['RUN_FINISHED'])
    await ws.client.dispose()
  })

  it('executionProgress on a finished run sends its final state once and completes', async () => {
    const r = await run(t, s, { agentId: await seedAgent(t, s), prompt: 'tell me a story', wait: true })
    const ws = connectWs(t.port!, { authorization: `Bearer ${s.accessToken}` })
    const results = await ws.collect<{ executionProgress: Record<string, unknown> }>(PROGRESS, { id: r.id })
    expect(results.map((x) => x.data!.executionProgress)).toEqual([{ status: 'SUCCEEDED', step: 'done', percent: 100, tokens: r.usage.totalTokens }])
    await ws.client.dispose()
  })
})

describe('Execution.events(after, before, first, last)', () => {
  const page = async (id: string, args: Record<string, unknown>) => {
    const r = await t.gql<{ execution: { events: { edges: { node: { seq: number } }[]; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean } } } }>(
      'query($id: ID!, $first: Int, $last: Int, $after: String, $before: String) { execution(id: $id) { events(first: $first, last: $last, after: $after, before: $before) { edges { node { seq } } pageInfo { hasNextPage hasPreviousPage } } } }',
      { id, ...args }, s.headers)
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
    const e = r.body.data!.execution.events
    return { seqs: e.edges.map((x) => x.node.seq), ...e.pageInfo }
  }

  it('honours last and before', async () => {
    const r = await run(t, s, { agentId: await seedAgent(t, s), prompt: 'write a long answer about rivers and lakes', wait: true })
    const log = await eventLog(t, s, r.id)
    const n = log.length
    expect(await page(r.id, { last: 3 })).toEqual({ seqs: [n - 2, n - 1, n], hasNextPage: false, hasPreviousPage: true })
    expect(await page(r.id, { last: 2, before: log[4]!.cursor })).toEqual({ seqs: [3, 4], hasNextPage: true, hasPreviousPage: true })
    expect(await page(r.id, { last: 10, before: log[2]!.cursor })).toEqual({ seqs: [1, 2], hasNextPage: true, hasPreviousPage: false })
    expect(await page(r.id, { first: 2, after: log[0]!.cursor, before: log[2]!.cursor })).toEqual({ seqs: [2], hasNextPage: false, hasPreviousPage: true })
  })
})

describe('mock directives', () => {
  it('never reach the stored thread history, nor its snapshot events', async () => {
    const r = await run(t, s, { agentId: await seedAgent(t, s), prompt: 'hello there [[mock:delay=1]]', wait: true })
    const q = await t.gql<{ execution: { thread: { messages: { role: string; content: string }[] } } }>('query($id: ID!) { execution(id: $id) { thread { messages { role content } } } }', { id: r.id }, s.headers)
    const messages = q.body.data!.execution.thread.messages
    expect(messages[0]).toEqual({ role: 'user', content: 'hello there' })
    expect(JSON.stringify(await eventLog(t, s, r.id))).not.toContain('[[mock:')
  })
})
