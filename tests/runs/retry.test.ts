// retryExecution: a new execution with the same input for a run that ended badly; dead letters stay findable.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { run, until } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let s: Session
let other: Session
beforeAll(async () => {
  t = await startApp({ WORKER_MAX_ATTEMPTS: '2', WORKER_RETRY_BASE_MS: '20', WORKER_RETRY_MAX_MS: '50' })
  ;[s, other] = await Promise.all([signUp(t), signUp(t)])
})

const RETRY = 'mutation($id: ID!) { retryExecution(input: { id: $id }) { execution { id status input retryOf { id status } thread { id } } } }'
type Retried = { retryExecution: { execution: { id: string; status: string; input: { messages: { content: string }[] }; retryOf: { id: string; status: string }; thread: { id: string } } } }

describe('retryExecution', () => {
  it('re-runs a run that exhausted its attempts, found through the dead-letter view', async () => {
    const agentId = await seedAgent(t, s)
    const failed = await run(t, s, { agentId, prompt: 'hello [[mock:fail=transient]]', wait: true })
    expect(failed).toMatchObject({ status: 'FAILED', attempt: 2, error: { code: 'FAILED', attempt: 2 } })
    const dead = await t.gql<{ executions: { edges: { node: { id: string; attempt: number; error: { message: string } } }[] } }>(
      'query { executions(first: 10, filter: { status: FAILED }) { edges { node { id attempt error } } } }', {}, s.headers)
    expect(dead.body.data!.executions.edges.map((e) => e.node)).toEqual([expect.objectContaining({ id: failed.id, attempt: 2, error: expect.objectContaining({ message: expect.stringContaining('transient') }) })])

    const r = await t.gql<Retried>(RETRY, { id: failed.id }, s.headers)
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
    const retry = r.body.data!.retryExecution.execution
    expect(retry.id).not.toBe(failed.id)
    expect(retry.retryOf).toEqual({ id: failed.id, status: 'FAILED' })
    expect(retry.input.messages.map((m) => m.content)).toEqual(['hello [[mock:fail=transient]]'])
    // The directive fails it again: same input, same outcome.
    expect((await until(t, s, retry.id, ['FAILED', 'SUCCEEDED'])).status).toBe('FAILED')
  })

  it('replaces the exchange of the thread’s latest run, so the history holds it once', async () => {
    const agentId = await seedAgent(t, s, { timeoutSeconds: 1 })
    const timedOut = await run(t, s, { agentId, prompt: `too slow [[mock:delay=400]] ${'words '.repeat(10)}`, wait: true })
    expect(timedOut.status).toBe('TIMED_OUT')
    const r = await t.gql<Retried>(RETRY, { id: timedOut.id }, s.headers)
    const retry = r.body.data!.retryExecution.execution
    await until(t, s, retry.id, ['TIMED_OUT', 'SUCCEEDED', 'FAILED'])
    const q = await t.gql<{ thread: { messages: { role: string }[] } }>('query($id: ID!) { thread(id: $id) { messages { role } } }', { id: retry.thread.id }, s.headers)
    expect(q.body.data!.thread.messages.filter((m) => m.role === 'user')).toHaveLength(1)
  })

  it('refuses a run that succeeded and another tenant’s, creating nothing', async () => {
    const agentId = await seedAgent(t, s)
    const ok = await run(t, s, { agentId, prompt: 'fine', wait: true })
    const total = async () => (await t.gql<{ executions: { totalCount: number } }>('query { executions(first: 1) { totalCount } }', {}, s.headers)).body.data!.executions.totalCount
    const before = await total()
    const conflict = await t.gql(RETRY, { id: ok.id }, s.headers)
    expect(conflict.body.errors?.[0]?.extensions.code).toBe('CONFLICT')
    const foreign = await t.gql(RETRY, { id: ok.id }, other.headers)
    expect(foreign.body.errors?.[0]?.extensions.code).toBe('NOT_FOUND')
    expect(await total()).toBe(before)
  })
})
