// A run handed back to the queue (here by its worker's graceful shutdown; a database outage and a silent worker's
// requeue take the same path) keeps its place ahead of the runs queued after it, and its agent's timeout counts the
// time it ran over all its attempts, never the time it waited in the queue. Real worker processes on PostgreSQL.
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { seedAgent } from '../helpers/agents.ts'
import { isolatedDatabaseEnv, services } from '../helpers/env.ts'
import { startWorker, type Proc } from '../helpers/processes.ts'
import { eventLog, run, until, verify } from '../helpers/runs.ts'
import { signUp, type Session } from '../helpers/tenants.ts'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/** A mock run streaming a chunk every `delayMs`; its reply grows with `length` (15: 28 chunks, 20: 34, 60 on: 82). */
const prompt = (delayMs: number, length: number) => `tell me [[mock:delay=${delayMs}]] ${'about rivers '.repeat(length)}`

describe.skipIf(!services.postgresAdminUrl)('a run handed back to the queue', () => {
  let env: Record<string, string | undefined>
  let admin: TestApp
  let owner: Session
  const workers: Proc[] = []
  const startOneSlotWorker = async () => {
    const w = await startWorker({ ...env, WORKERS: '1' })
    workers.push(w)
    return w
  }
  /** SIGTERM: the worker gives its run a moment, then hands it back (`CUSTOM interrupted`) and exits. */
  const stopGracefully = async (w: Proc) => {
    w.kill('SIGTERM')
    expect(await w.exit).toBe(0)
  }
  const times = async (id: string) => {
    const r = await admin.gql<{ execution: { status: string; attempt: number; startedAt: string; finishedAt: string | null } }>(
      'query($id: ID!) { execution(id: $id) { status attempt startedAt finishedAt } }', { id }, owner.headers)
    return r.body.data!.execution
  }
  /** Once the run has streamed some text on its first worker. */
  const streaming = async (id: string) => {
    for (const end = Date.now() + 20_000; Date.now() < end; await sleep(50)) {
      if ((await eventLog(admin, owner, id)).some((e) => e.type === 'TEXT_MESSAGE_CONTENT')) return
    }
    throw new Error(`run ${id} did not start streaming`)
  }

  beforeAll(async () => {
    env = {
      ...(await isolatedDatabaseEnv({ postgres: true })), NODE_ENV: 'test', JWT_SECRET: 'hand-back-secret-hand-back-secret-hand-back',
      WORKER_POLL_MS: '100', WORKER_HEARTBEAT_MS: '300', SHUTDOWN_TIMEOUT_MS: '500', AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
    }
    admin = await startApp({ ...env, WORKERS: '0' })
    owner = await signUp(admin)
  })
  afterEach(async () => {
    for (const w of workers.splice(0)) w.kill('SIGKILL')
  })

  it('keeps its place ahead of the runs queued after it', async () => {
    const agentId = await seedAgent(admin, owner)
    const first = await startOneSlotWorker()
    const handedBack = await run(admin, owner, { agentId, prompt: prompt(100, 20) })
    await streaming(handedBack.id)
    const queuedAfter = [await run(admin, owner, { agentId, prompt: prompt(20, 3) }), await run(admin, owner, { agentId, prompt: prompt(20, 3) })]
    await stopGracefully(first)
    expect((await times(handedBack.id)).status).toBe('QUEUED')

    await startOneSlotWorker()
    const ended = await Promise.all([handedBack, ...queuedAfter].map((r) => until(admin, owner, r.id, ['SUCCEEDED', 'FAILED', 'TIMED_OUT'], 60_000)))
    expect(ended.map((e) => [e.status, e.attempt])).toEqual([['SUCCEEDED', 2], ['SUCCEEDED', 1], ['SUCCEEDED', 1]])
    // One slot: the handed-back run finished before either of the others started.
    const [h, ...others] = await Promise.all([handedBack, ...queuedAfter].map((r) => times(r.id)))
    for (const o of others) expect(Date.parse(o.startedAt)).toBeGreaterThanOrEqual(Date.parse(h!.finishedAt!))
  }, 90_000)

  it('does not count the time it waited in the queue against its timeout', async () => {
    const agentId = await seedAgent(admin, owner, { timeoutSeconds: 8 })
    const first = await startOneSlotWorker()
    const r = await run(admin, owner, { agentId, prompt: prompt(100, 15) })
    await streaming(r.id)
    await stopGracefully(first)
    // Back in the queue until well after its first start plus the agent's timeout.
    await sleep(Math.max(0, Date.parse((await times(r.id)).startedAt) + 9_000 - Date.now()))

    await startOneSlotWorker()
    const ended = await until(admin, owner, r.id, ['SUCCEEDED', 'FAILED', 'TIMED_OUT'], 60_000)
    expect([ended.status, ended.attempt]).toEqual(['SUCCEEDED', 2])
    const log = await eventLog(admin, owner, r.id)
    await verify(log.map((e) => e.event))
    expect(log.filter((e) => e.type === 'CUSTOM').map((e) => e.event.name)).toEqual(['interrupted', 'attempt'])
  }, 90_000)

  it('still times out once its attempts together ran for the timeout', async () => {
    const timeoutMs = 5_000
    const agentId = await seedAgent(admin, owner, { timeoutSeconds: timeoutMs / 1000 })
    const first = await startOneSlotWorker()
    const r = await run(admin, owner, { agentId, prompt: prompt(100, 200) })
    await streaming(r.id)
    await sleep(1_500)
    await stopGracefully(first)

    await startOneSlotWorker()
    const ended = await until(admin, owner, r.id, ['SUCCEEDED', 'FAILED', 'TIMED_OUT'], 60_000)
    expect([ended.status, ended.attempt]).toEqual(['TIMED_OUT', 2])
    // Each attempt's running time, by its own worker's clock: together about the timeout, not a timeout each.
    const log = await eventLog(admin, owner, r.id)
    const at = (match: (e: (typeof log)[number]) => boolean) => log.find(match)!.event.timestamp!
    const firstRan = at((e) => e.event.name === 'interrupted') - at((e) => e.type === 'RUN_STARTED')
    const secondRan = at((e) => e.type === 'RUN_ERROR') - at((e) => e.event.name === 'attempt')
    expect(firstRan).toBeGreaterThan(1_500)
    expect(firstRan + secondRan).toBeGreaterThan(timeoutMs - 1_000)
    expect(firstRan + secondRan).toBeLessThan(timeoutMs + 1_500)
  }, 90_000)
})
