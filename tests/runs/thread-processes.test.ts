// Two server processes with four worker slots each, on real PostgreSQL and Redis: runs sent at once on one thread
// still execute one at a time, in creation order, each from the whole history of the runs before it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { raw, seedAgent } from '../helpers/agents.ts'
import { isolatedDatabaseEnv, services } from '../helpers/env.ts'
import { startServer, type Proc } from '../helpers/processes.ts'
import { until } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { startRedis, type Service } from '../setup/services.ts'

describe.skipIf(!services.postgresAdminUrl || !services.redisBin)('thread runs across 2 processes × 4 slots', () => {
  let redis: Service
  let admin: TestApp
  let owner: Session
  const procs: Proc[] = []

  beforeAll(async () => {
    redis = await startRedis(services.redisBin!)
    const env = {
      ...(await isolatedDatabaseEnv({ postgres: true })), REDIS_URL: redis.url, NODE_ENV: 'test', JWT_SECRET: 'thread-processes-secret-thread-processes',
      WORKER_POLL_MS: '100', AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000', RATE_LIMIT_FREE_PER_MINUTE: '100000', FIELD_RATE_LIMITS: 'Mutation.runAgent=100000/1m',
    }
    admin = await startApp({ ...env, WORKERS: '0' })
    owner = await signUp(admin)
    procs.push(...(await Promise.all([startServer({ ...env, WORKERS: '4' }), startServer({ ...env, WORKERS: '4' })])))
  }, 60_000)
  afterAll(async () => {
    // A run that failed unexpectedly is explained in its process's log.
    for (const p of procs) for (const l of p.lines) if ((l.level as number) >= 50) console.error(JSON.stringify(l).slice(0, 2000))
    for (const p of procs) p.kill('SIGKILL')
    await redis?.stop()
  })

  const gql = async <T>(p: Proc, query: string, variables: Record<string, unknown>): Promise<T> => {
    const r = await fetch(`http://127.0.0.1:${p.port}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.accessToken}` }, body: JSON.stringify({ query, variables }),
    })
    const body = (await r.json()) as { data: T; errors?: unknown }
    expect(body.errors, JSON.stringify(body.errors)).toBeUndefined()
    return body.data
  }
  const RUN = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id thread { id } } } }'
  type Ran = { runAgent: { execution: { id: string; thread: { id: string } } } }

  it('never overlaps two runs of a thread and loses no message', async () => {
    const agentId = await seedAgent(admin, owner)
    const first = await gql<Ran>(procs[0]!, RUN, { input: { agentId, prompt: 'open the thread' } })
    const threadId = first.runAgent.execution.thread.id
    // Eight runs at once, alternating between the processes, while both have free slots.
    const prompts = Array.from({ length: 8 }, (_, i) => `message number ${i} [[mock:delay=15]] with a few more words`)
    const ran = await Promise.all(prompts.map((prompt, i) => gql<Ran>(procs[i % 2]!, RUN, { input: { agentId, threadId, prompt } })))
    const ids = [first.runAgent.execution.id, ...ran.map((r) => r.runAgent.execution.id)]
    for (const id of ids) {
      const r = await until(admin, owner, id, ['SUCCEEDED', 'FAILED'], 60_000)
      expect(r.status, JSON.stringify(r.error)).toBe('SUCCEEDED')
    }

    const q = await admin.gql<{ thread: { messages: { role: string; content: string }[]; executions: { edges: { node: { id: string; startedAt: string; finishedAt: string } }[] } } }>(
      'query($id: ID!) { thread(id: $id) { messages { role content } executions(first: 20) { edges { node { id startedAt finishedAt } } } } }', { id: threadId }, owner.headers)
    const thread = q.body.data!.thread
    const users = thread.messages.filter((m) => m.role === 'user').map((m) => m.content)
    expect(users).toHaveLength(9)
    expect(new Set(users).size).toBe(9)
    expect(thread.messages.map((m) => m.role)).toEqual(Array.from({ length: 9 }, () => ['user', 'assistant']).flat())
    // In creation order (execution ids are time-ordered), and never overlapping.
    const runs = thread.executions.edges.map((e) => e.node).reverse()
    expect(runs.map((r) => raw(r.id))).toEqual(runs.map((r) => raw(r.id)).sort())
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.startedAt >= runs[i - 1]!.finishedAt).toBe(true)
  }, 120_000)
})
