// runAgent end to end: validation, the deterministic mock, tool calls, idempotency, the state machine, cancellation,
// timeouts, retries and per-agent concurrency. Every run's event log must pass the AG-UI verifier.
import { beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { isolatedDatabaseEnv } from '../helpers/env.ts'
import { raw, seedAgent } from '../helpers/agents.ts'
import { eventLog, execution, expectGapless, run, until, verify } from '../helpers/runs.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'

let t: TestApp
let s: Session
beforeAll(async () => {
  t = await startApp({ WORKERS: '2', WORKER_MAX_ATTEMPTS: '2', WORKER_RETRY_BASE_MS: '50', PROMPT_MAX_CHARS: '2000' })
  s = await signUp(t)
})

const runQuery = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id status } } }'

describe('runAgent', () => {
  it('returns the finished run with wait, deterministically for the mock model', async () => {
    const agentId = await seedAgent(t, s)
    const a = await run(t, s, { agentId, prompt: 'Tell me about the weather in Lisbon', wait: true })
    const b = await run(t, s, { agentId, prompt: 'Tell me about the weather in Lisbon', wait: true })
    expect(a.status).toBe('SUCCEEDED')
    expect(a.output).toBeTruthy()
    expect(b.output).toBe(a.output)
    expect(a.usage.totalTokens).toBeGreaterThan(0)
    const [ea, eb] = [await eventLog(t, s, a.id), await eventLog(t, s, b.id)]
    expect(eb.map((e) => e.type)).toEqual(ea.map((e) => e.type))
    expect(ea.filter((e) => e.type === 'TEXT_MESSAGE_CONTENT').length).toBeGreaterThan(2)
    expectGapless(ea)
    await verify(ea.map((e) => e.event))
    for (const e of ea) {
      expect(typeof e.event.timestamp).toBe('number')
      expect(JSON.stringify(e.event)).not.toContain('null')
    }
    const longer = await run(t, s, { agentId, prompt: 'Tell me about the weather in Lisbon, and also in Porto, Faro, Coimbra and Braga, in detail please', wait: true })
    expect(longer.output!.length).toBeGreaterThan(a.output!.length)
  })

  it('calls a tool the prompt names, feeds the result back, and answers with it', async () => {
    const agentId = await seedAgent(t, s, { tools: ['calculator'] })
    const r = await run(t, s, { agentId, prompt: 'use calculator to compute 2 + 3 * 4', wait: true })
    expect(r.status).toBe('SUCCEEDED')
    expect(r.output).toContain('14')
    const log = await eventLog(t, s, r.id)
    expect(log.map((e) => e.type)).toEqual(expect.arrayContaining(['TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'TOOL_CALL_RESULT']))
    expect(log.find((e) => e.type === 'TOOL_CALL_RESULT')!.event.content).toBe('{"result":14}')
    expect(log.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' }, usage: [expect.objectContaining({ totalTokens: r.usage.totalTokens })] })
    await verify(log.map((e) => e.event))
  })

  it('continues a thread: the next run sees the history', async () => {
    const agentId = await seedAgent(t, s)
    const first = await t.gql<{ runAgent: { execution: { id: string } } }>('mutation($a: ID!) { runAgent(input: { agentId: $a, prompt: "first question", wait: true }) { execution { id } } }', { a: agentId }, s.headers)
    const threadId = (await t.app.deps.db.forTenant(raw(s.tenantId)).client.execution.findUniqueOrThrow({ where: { id: raw(first.body.data!.runAgent.execution.id) } })).threadId
    const second = await run(t, s, { agentId, prompt: 'second question', threadId: Buffer.from(`Thread:${threadId}`).toString('base64'), wait: true })
    const snapshot = (await eventLog(t, s, second.id)).find((e) => e.type === 'MESSAGES_SNAPSHOT')!.event.messages as { role: string; content: string }[]
    expect(snapshot.map((m) => m.role)).toEqual(['user', 'assistant', 'user'])
    expect(snapshot[0]!.content).toBe('first question')
  })

  it.each([
    ['an unknown agent', () => ({ agentId: Buffer.from('Agent:00000000-0000-7000-8000-000000000000').toString('base64'), prompt: 'x' }), 'NOT_FOUND'],
    ['a model not allowed', (a: string) => ({ agentId: a, prompt: 'x', model: 'gpt-9' }), 'INVALID_MODEL'],
    ['a prompt over the limit', (a: string) => ({ agentId: a, prompt: 'x'.repeat(2001) }), 'PROMPT_TOO_LONG'],
    ['both prompt and messages', (a: string) => ({ agentId: a, prompt: 'x', messages: [{ role: 'user', content: 'y' }] }), 'VALIDATION_FAILED'],
    ['neither prompt nor messages', (a: string) => ({ agentId: a }), 'VALIDATION_FAILED'],
    ['an unknown thread', (a: string) => ({ agentId: a, prompt: 'x', threadId: Buffer.from('Thread:00000000-0000-7000-8000-000000000000').toString('base64') }), 'NOT_FOUND'],
  ])('refuses %s', async (_n, input, code) => {
    const agentId = await seedAgent(t, s)
    expect(codeOf(await t.gql(runQuery, { input: input(agentId) }, s.headers))).toBe(code)
  })
})

describe('idempotency', () => {
  it('20 concurrent identical requests create exactly one execution', async () => {
    const agentId = await seedAgent(t, s)
    const runId = `run-${Date.now()}-${Math.random()}`
    const results = await Promise.all(Array.from({ length: 20 }, () => t.gql<{ runAgent: { execution: { id: string } } }>(runQuery, { input: { agentId, prompt: 'hello', runId } }, s.headers)))
    const ids = new Set(results.map((r) => r.body.data?.runAgent.execution.id))
    expect(results.flatMap((r) => r.body.errors ?? [])).toEqual([])
    expect(ids.size).toBe(1)
    expect(await t.app.deps.db.forTenant(raw(s.tenantId)).client.execution.count({ where: { runId } })).toBe(1)
    expect(await t.app.deps.db.forTenant(raw(s.tenantId)).client.thread.count({ where: { executions: { some: { runId } } } })).toBe(1)
  })

  it('refuses the same key with a different payload, and keys never collide across tenants', async () => {
    const agentId = await seedAgent(t, s)
    const key = `key-${Math.random()}`
    const first = await run(t, s, { agentId, prompt: 'one', idempotencyKey: key })
    expect((await run(t, s, { agentId, prompt: 'one', idempotencyKey: key })).id).toBe(first.id)
    expect(codeOf(await t.gql(runQuery, { input: { agentId, prompt: 'two', idempotencyKey: key } }, s.headers))).toBe('IDEMPOTENCY_KEY_REUSED')
    const other = await signUp(t)
    const theirs = await run(t, other, { agentId: await seedAgent(t, other), prompt: 'one', idempotencyKey: key })
    expect(theirs.id).not.toBe(first.id)
  })
})

describe('lifecycle', () => {
  it('enforces the state machine in the database', async () => {
    const r = await run(t, s, { agentId: await seedAgent(t, s), prompt: 'hi', wait: true })
    await expect(t.app.deps.db.forTenant(raw(s.tenantId)).client.execution.update({ where: { id: raw(r.id) }, data: { status: 'RUNNING' } }))
      .rejects.toThrow(/invalid execution status transition SUCCEEDED -> RUNNING/)
  })

  it('cancels a running run within about a second, ending it with RUN_FINISHED (cancelled)', async () => {
    const agentId = await seedAgent(t, s)
    const r = await run(t, s, { agentId, prompt: 'slow please [[mock:delay=300]] tell me a long story about many things' })
    await until(t, s, r.id, ['RUNNING'])
    await new Promise((res) => setTimeout(res, 400))
    const c = await t.gql<{ cancelExecution: { execution: { status: string } } }>('mutation($id: ID!) { cancelExecution(input: { id: $id }) { execution { status } } }', { id: r.id }, s.headers)
    expect(c.body.errors).toBeUndefined()
    const asked = Date.now()
    const done = await until(t, s, r.id, ['CANCELLED', 'SUCCEEDED'])
    expect(done.status).toBe('CANCELLED')
    expect(Date.now() - asked).toBeLessThan(1_500)
    const log = await eventLog(t, s, r.id)
    expect(log.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'cancelled' } })
    await verify(log.map((e) => e.event))
  })

  it('cancels a queued run at once', async () => {
    const idle = await startApp({ WORKERS: '0', ...(await isolatedDatabaseEnv()) })
    const owner = await signUp(idle)
    const r = await run(idle, owner, { agentId: await seedAgent(idle, owner), prompt: 'never runs' })
    await idle.gql('mutation($id: ID!) { cancelExecution(input: { id: $id }) { execution { status } } }', { id: r.id }, owner.headers)
    expect((await execution(idle, owner, r.id)).status).toBe('CANCELLED')
    const log = await eventLog(idle, owner, r.id)
    expect(log.map((e) => e.type)).toEqual(['RUN_STARTED', 'RUN_FINISHED'])
    await verify(log.map((e) => e.event))
    expect(codeOf(await idle.gql('mutation($id: ID!) { cancelExecution(input: { id: $id }) { execution { status } } }', { id: r.id }, owner.headers))).toBeUndefined()
  })

  it('times out per the agent policy (TIMED_OUT, RUN_ERROR)', async () => {
    const agentId = await seedAgent(t, s, { timeoutSeconds: 1 })
    const r = await run(t, s, { agentId, prompt: 'take your time [[mock:delay=400]] with a long long answer about everything', wait: true })
    expect(r.status).toBe('TIMED_OUT')
    const log = await eventLog(t, s, r.id)
    expect(log.at(-1)!.event).toMatchObject({ type: 'RUN_ERROR', code: 'TIMED_OUT' })
    await verify(log.map((e) => e.event))
  })

  it('retries a transient model failure with backoff and succeeds', async () => {
    const r = await run(t, s, { agentId: await seedAgent(t, s), prompt: 'flaky [[mock:fail=transient-once]]', wait: true })
    expect(r).toMatchObject({ status: 'SUCCEEDED', attempt: 2 })
    const log = await eventLog(t, s, r.id)
    expect(log.filter((e) => e.type === 'CUSTOM').map((e) => e.event.name)).toEqual(['retry', 'attempt'])
    expect(log.filter((e) => e.type === 'RUN_STARTED')).toHaveLength(1)
    expectGapless(log)
    await verify(log.map((e) => e.event))
  })

  it('fails after the last attempt and shows up in the dead-letter view; permanent errors do not retry', async () => {
    const agentId = await seedAgent(t, s)
    const transient = await run(t, s, { agentId, prompt: 'always failing [[mock:fail=transient]]', wait: true })
    expect(transient).toMatchObject({ status: 'FAILED', attempt: 2, error: expect.objectContaining({ code: 'FAILED' }) })
    const permanent = await run(t, s, { agentId, prompt: 'broken [[mock:fail=permanent]]', wait: true })
    expect(permanent).toMatchObject({ status: 'FAILED', attempt: 1 })
    await verify((await eventLog(t, s, transient.id)).map((e) => e.event))
    const dead = await t.gql<{ executions: { edges: { node: { id: string } }[] } }>('{ executions(first: 100, filter: { status: FAILED }) { edges { node { id } } } }', undefined, s.headers)
    expect(dead.body.data!.executions.edges.map((e) => e.node.id)).toEqual(expect.arrayContaining([transient.id, permanent.id]))
  })

  it('respects maxConcurrentExecutions: excess runs wait in the queue', async () => {
    const agentId = await seedAgent(t, s, { maxConcurrentExecutions: 1 })
    const runs = await Promise.all([1, 2, 3].map((i) => run(t, s, { agentId, prompt: `queued ${i} [[mock:delay=40]] some words to stream` })))
    const db = t.app.deps.db.forTenant(raw(s.tenantId)).client
    let maxRunning = 0
    const ids = runs.map((r) => raw(r.id))
    for (let i = 0; i < 200; i++) {
      const statuses = await db.execution.findMany({ where: { id: { in: ids } }, select: { status: true } })
      maxRunning = Math.max(maxRunning, statuses.filter((x) => x.status === 'RUNNING').length)
      if (statuses.every((x) => x.status === 'SUCCEEDED')) break
      await new Promise((res) => setTimeout(res, 25))
    }
    expect(maxRunning).toBe(1)
    for (const r of runs) expect((await execution(t, s, r.id)).status).toBe('SUCCEEDED')
  })
})
