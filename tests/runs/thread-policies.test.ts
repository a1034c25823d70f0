// Thread policies (multitaskStrategy) with several worker slots: runs of one thread never overlap and never lose a
// message, whatever the strategy.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { eventLog, until } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let s: Session
let agentId: string
beforeAll(async () => {
  t = await startApp({ WORKERS: '4', WORKER_POLL_MS: '100' })
  s = await signUp(t)
  agentId = await seedAgent(t, s)
})

type Run = { id: string; status: string; thread: { id: string } }
const RUN = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id status thread { id } } } }'
const submit = async (input: Record<string, unknown>) => {
  const r = await t.gql<{ runAgent: { execution: Run } }>(RUN, { input: { agentId, ...input } }, s.headers)
  return r.body
}
const ok = async (input: Record<string, unknown>): Promise<Run> => {
  const body = await submit(input)
  expect(body.errors, JSON.stringify(body.errors)).toBeUndefined()
  return body.data!.runAgent.execution
}
const messages = async (threadId: string) => {
  const r = await t.gql<{ thread: { messages: { role: string; content: string | null }[] } }>('query($id: ID!) { thread(id: $id) { messages { role content } } }', { id: threadId }, s.headers)
  return r.body.data!.thread.messages
}
const timesOf = async (ids: string[]) => {
  const r = await t.gql<{ executions: { edges: { node: { id: string; startedAt: string; finishedAt: string } }[] } }>(
    'query { executions(first: 100) { edges { node { id startedAt finishedAt } } } }', {}, s.headers)
  return r.body.data!.executions.edges.map((e) => e.node).filter((n) => ids.includes(n.id))
}
const slow = (text: string) => `${text} [[mock:delay=40]] please answer at some length about rivers and seas`

describe('multitaskStrategy', () => {
  it('ENQUEUE (default): concurrent runs on one thread run one at a time, each seeing the whole history', async () => {
    const first = await ok({ prompt: 'start the thread' })
    await until(t, s, first.id, ['SUCCEEDED'])
    const threadId = first.thread.id
    const runs = await Promise.all(['one', 'two', 'three', 'four'].map((w) => ok({ threadId, prompt: slow(`message ${w}`) })))
    for (const r of runs) expect((await until(t, s, r.id, ['SUCCEEDED', 'FAILED'])).status).toBe('SUCCEEDED')
    const history = await messages(threadId)
    expect(history.filter((m) => m.role === 'user')).toHaveLength(5)
    expect(history.map((m) => m.role)).toEqual(Array.from({ length: 5 }, () => ['user', 'assistant']).flat())
    // Never overlapping: each started after the one before it finished.
    const times = (await timesOf(runs.map((r) => r.id))).sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    for (let i = 1; i < times.length; i++) expect(times[i]!.startedAt >= times[i - 1]!.finishedAt).toBe(true)
    // The last run's snapshot held all the earlier exchanges.
    const last = (await eventLog(t, s, times.at(-1)!.id)).find((e) => e.type === 'MESSAGES_SNAPSHOT')!
    expect((last.event.messages as unknown[]).length).toBe(9)
  })

  it('REJECT: THREAD_BUSY while a run is active, and nothing is created', async () => {
    const first = await ok({ prompt: slow('a slow first run') })
    const refused = await submit({ threadId: first.thread.id, prompt: 'me too', multitaskStrategy: 'REJECT' })
    expect(refused.errors?.[0]?.extensions.code).toBe('THREAD_BUSY')
    expect(refused.errors?.[0]?.extensions.retryAfter).toBe(1)
    await until(t, s, first.id, ['SUCCEEDED'])
    const r = await t.gql<{ thread: { executions: { totalCount: number } } }>('query($id: ID!) { thread(id: $id) { executions(first: 5) { totalCount } } }', { id: first.thread.id }, s.headers)
    expect(r.body.data!.thread.executions.totalCount).toBe(1)
    // Idle again: accepted.
    const next = await ok({ threadId: first.thread.id, prompt: 'now it is my turn', multitaskStrategy: 'REJECT', wait: true })
    expect(next.status).toBe('SUCCEEDED')
  })

  it('INTERRUPT: cancels the active run, keeps its partial reply, then runs', async () => {
    const first = await ok({ prompt: `tell a long story [[mock:delay=150]] ${'about the sea '.repeat(20)}` })
    await until(t, s, first.id, ['RUNNING'])
    await new Promise((r) => setTimeout(r, 600))
    const second = await ok({ threadId: first.thread.id, prompt: 'stop, answer this instead', multitaskStrategy: 'INTERRUPT' })
    expect((await until(t, s, first.id, ['CANCELLED', 'SUCCEEDED'])).status).toBe('CANCELLED')
    expect((await until(t, s, second.id, ['SUCCEEDED', 'FAILED'])).status).toBe('SUCCEEDED')
    const history = await messages(first.thread.id)
    expect(history.map((m) => m.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    expect(history[0]!.content).toContain('tell a long story')
    expect(history[1]!.content!.length).toBeGreaterThan(0)
    expect(history[2]!.content).toBe('stop, answer this instead')
  })

  it('ROLLBACK: cancels the active run and removes its messages', async () => {
    const first = await ok({ prompt: 'the first exchange', wait: true })
    const second = await ok({ threadId: first.thread.id, prompt: `a run to roll back [[mock:delay=150]] ${'words '.repeat(30)}` })
    await until(t, s, second.id, ['RUNNING'])
    await new Promise((r) => setTimeout(r, 400))
    const third = await ok({ threadId: first.thread.id, prompt: 'instead, this', multitaskStrategy: 'ROLLBACK' })
    expect((await until(t, s, second.id, ['CANCELLED', 'SUCCEEDED'])).status).toBe('CANCELLED')
    expect((await until(t, s, third.id, ['SUCCEEDED', 'FAILED'])).status).toBe('SUCCEEDED')
    const history = await messages(first.thread.id)
    expect(history.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['the first exchange', 'instead, this'])
    const r = await t.gql<{ execution: { rolledBackAt: string | null } }>('query($id: ID!) { execution(id: $id) { rolledBackAt } }', { id: second.id }, s.headers)
    expect(r.body.data!.execution.rolledBackAt).not.toBeNull()
  })
})
