// Several real server and worker processes sharing PostgreSQL and Redis: a subscriber on one process gets a run
// executed by another exactly once and in order, through a Redis restart, and through a worker killed mid-run.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { isolatedDatabaseEnv, services } from '../helpers/env.ts'
import { startServer, startWorker, type Proc } from '../helpers/processes.ts'
import { eventLog, expectGapless, verify, type LoggedEvent } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, eventually } from '../helpers/ws.ts'
import { startRedis, type Service } from '../setup/services.ts'

const EVENTS = 'subscription($id: ID!, $after: String) { executionEvents(executionId: $id, after: $after) { cursor seq type event } }'
const story = (words: number) => `tell me a story [[mock:delay=60]] ${'about rivers and mountains '.repeat(words)}`

describe.skipIf(!services.postgresAdminUrl || !services.redisBin)('runs across processes', () => {
  let redis: Service
  let env: Record<string, string | undefined>
  let admin: TestApp
  let owner: Session
  let agentId: string
  const procs: Proc[] = []
  const spawnServer = async (extra: Record<string, string>) => {
    const p = await startServer({ ...env, ...extra })
    procs.push(p)
    return p
  }

  beforeAll(async () => {
    redis = await startRedis(services.redisBin!)
    env = {
      ...(await isolatedDatabaseEnv({ postgres: true })), REDIS_URL: redis.url, NODE_ENV: 'test', JWT_SECRET: 'multi-process-secret-multi-process-secret',
      WORKER_STALE_MS: '1500', WORKER_HEARTBEAT_MS: '300', WORKER_POLL_MS: '200', SUBSCRIPTION_POLL_MS: '300',
      AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000', SHUTDOWN_TIMEOUT_MS: '500',
    }
    admin = await startApp({ ...env, WORKERS: '0' })
    owner = await signUp(admin)
    agentId = await seedAgent(admin, owner)
  })
  // Each test has its own processes: a worker left over from another test could claim its runs.
  afterEach(async () => {
    for (const p of procs.splice(0)) p.kill('SIGKILL')
  })
  afterAll(async () => {
    await redis?.stop()
  })

  const runOn = async (p: Proc, prompt: string) => {
    const r = await fetch(`http://127.0.0.1:${p.port}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.accessToken}` },
      body: JSON.stringify({ query: 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }', variables: { input: { agentId, prompt } } }),
    })
    return ((await r.json()) as { data: { runAgent: { execution: { id: string } } } }).data.runAgent.execution.id
  }
  const expectExactlyTheLog = async (id: string, received: LoggedEvent[]) => {
    const log = await eventLog(admin, owner, id)
    expectGapless(log)
    expect(received.map((e) => e.seq)).toEqual(log.map((e) => e.seq))
    expect(received.map((e) => e.event)).toEqual(log.map((e) => e.event))
    await verify(received.map((e) => e.event))
    return log
  }

  it('delivers a run executed by one process to a subscriber on another', async () => {
    const [a, b] = await Promise.all([spawnServer({ WORKERS: '0' }), spawnServer({ WORKERS: '1' })])
    const id = await runOn(b, story(4))
    const ws = connectWs(a.port!, { authorization: `Bearer ${owner.accessToken}` })
    const got = await ws.collect<{ executionEvents: LoggedEvent }>(EVENTS, { id })
    await expectExactlyTheLog(id, got.map((x) => x.data!.executionEvents))
    await ws.client.dispose()
  }, 60_000)

  it('loses and repeats nothing when Redis restarts during the stream', async () => {
    const [a, b] = await Promise.all([spawnServer({ WORKERS: '0' }), spawnServer({ WORKERS: '1' })])
    const id = await runOn(b, story(10))
    const ws = connectWs(a.port!, { authorization: `Bearer ${owner.accessToken}` })
    const live = ws.start<{ executionEvents: LoggedEvent }>(EVENTS, { id })
    await eventually(() => expect(live.results.length).toBeGreaterThan(5), 10_000)
    await redis.stop()
    await new Promise((r) => setTimeout(r, 800))
    redis = await startRedis(services.redisBin!, redis.port)
    await live.done
    const log = await expectExactlyTheLog(id, live.results.map((x) => x.data!.executionEvents))
    expect(log.at(-1)!.type).toBe('RUN_FINISHED')
    await ws.client.dispose()
  }, 60_000)

  it('recovers a run whose worker was killed with SIGKILL, without a gap or a duplicate in its log', async () => {
    const a = await spawnServer({ WORKERS: '0' })
    const doomed = await spawnServer({ WORKERS: '1' })
    const id = await runOn(doomed, story(12))
    const ws = connectWs(a.port!, { authorization: `Bearer ${owner.accessToken}` })
    const live = ws.start<{ executionEvents: LoggedEvent }>(EVENTS, { id })
    await eventually(() => expect(live.results.some((x) => x.data!.executionEvents.type === 'TEXT_MESSAGE_CONTENT')).toBe(true), 10_000)
    doomed.kill('SIGKILL')
    await doomed.exit
    const heir = await startWorker({ ...env, WORKERS: '1' })
    procs.push(heir)
    await live.done
    const log = await expectExactlyTheLog(id, live.results.map((x) => x.data!.executionEvents))
    expect(log.filter((e) => e.type === 'RUN_STARTED')).toHaveLength(1)
    expect(log.find((e) => e.type === 'CUSTOM')?.event).toMatchObject({ name: 'attempt', value: { attempt: 2 } })
    expect(log.at(-1)!.event).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } })
    expect(heir.lines.some((l) => l.msg === 'requeued an execution whose worker stopped heartbeating')).toBe(true)
    await ws.client.dispose()
  }, 60_000)
})
