// A rolling restart under load, as a deploy does it: of two server processes, A gets SIGTERM and a new A' takes its
// place, then the same for B. Clients send each request to a running process and move to the next one when a
// connection is refused (what a load balancer does; a refused connection carried no request). Zero client requests
// may fail: no reset, no 5xx; the only refusal allowed is the documented SERVICE_UNAVAILABLE for a `wait: true` run
// still waiting at the drain's reserve, which the client retries with the same key; every run completes and both old
// processes exit 0.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { isolatedDatabaseEnv, testEnv } from '../helpers/env.ts'
import { startServer, type Proc } from '../helpers/processes.ts'
import { seedAgent } from '../helpers/agents.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { httpApp, loop, post, printFigures, sleep, Tally, uniqueKey } from './support.ts'

let env: Record<string, string | undefined>
const procs: Proc[] = []
beforeAll(async () => {
  // Only a draining process's hand-back may requeue a run here: a stale heartbeat is not noticed within the test.
  env = { ...testEnv(await isolatedDatabaseEnv({ postgres: true })), LOG_LEVEL: 'info', WORKERS: '2', SHUTDOWN_TIMEOUT_MS: '10000', WORKER_STALE_MS: '600000' }
  procs.push(...(await Promise.all([startServer(env), startServer(env)])))
}, 120_000)
afterAll(() => {
  for (const p of procs) p.kill('SIGKILL')
})

const runQuery = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id status } } }'
const countQuery = 'query($status: ExecutionStatus) { executions(first: 1, filter: { status: $status }) { totalCount } }'

it('restarts one process at a time under load with zero failed client requests', async () => {
  const up: Proc[] = [...procs]
  const owner: Session = await signUp(httpApp(up[0]!.port!))
  const agentId = await seedAgent(httpApp(up[0]!.port!), owner, { maxConcurrentExecutions: 100 })
  const tally = new Tally()
  // A `wait: true` run still waiting when its process reaches the drain's reserve is answered SERVICE_UNAVAILABLE
  // (retryAfter 1): the client retries with the same idempotency key and gets the one execution, finished elsewhere.
  const retried: { path: unknown; at: number }[] = []
  let failedAfterRetries = 0
  const waitForRun = async (ports: () => number[], input: Record<string, unknown>) => {
    for (let attempt = 0; attempt < 10; attempt++) {
      const before = tally.codes.get('SERVICE_UNAVAILABLE') ?? 0
      const body = (await post(tally, ports, runQuery, { input }, owner.headers)) as { data?: { runAgent?: { execution: { id: string; status: string } } } } | undefined
      const execution = body?.data?.runAgent?.execution
      if (execution) {
        if (execution.status !== 'SUCCEEDED') failedAfterRetries++
        return
      }
      if ((tally.codes.get('SERVICE_UNAVAILABLE') ?? 0) === before) break
      retried.push({ path: 'runAgent', at: Date.now() })
      await sleep(1_000)
    }
    failedAfterRetries++
  }
  let n = 0
  const load = loop(6, (i) => {
    const k = n++
    // Spread over the running processes; the others follow in order if a connection is refused.
    const ports = () => up.map((_, j) => up[(k + j) % up.length]!.port!)
    if (k % 4 === 1) return waitForRun(ports, { agentId, prompt: `roll ${i} [[mock:delay=30]] tell me about the sea`, idempotencyKey: uniqueKey(), wait: true })
    if (k % 4 === 3) return post(tally, ports, runQuery, { input: { agentId, prompt: `roll ${i} [[mock:delay=30]] and the harbours`, idempotencyKey: uniqueKey() } }, owner.headers)
    return post(tally, ports, '{ agents(first: 5) { totalCount edges { node { id name } } } }', {}, owner.headers)
  })
  const restarts: { exitCode: number | null; exitMs: number; replacementReadyMs: number; signalledAt: number }[] = []
  await sleep(1_500)
  for (const old of [...procs]) {
    const signalled = Date.now()
    old.kill('SIGTERM')
    const exited = old.exit.then((code) => ({ code, ms: Date.now() - signalled }))
    const [{ code: exitCode, ms: exitMs }, replacement] = await Promise.all([exited, startServer(env)])
    up.splice(up.indexOf(old), 1)
    procs.push(replacement)
    up.push(replacement)
    restarts.push({ exitCode, exitMs, replacementReadyMs: Date.now() - signalled, signalledAt: signalled })
    await sleep(1_000)
  }
  await load.stop()

  const app = httpApp(up[0]!.port!)
  const counts = async () => Object.fromEntries(await Promise.all(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'].map(async (status) =>
    [status, (await app.gql<{ executions: { totalCount: number } }>(countQuery, { status }, owner.headers)).body.data?.executions.totalCount] as const)))
  let runs = await counts()
  for (let i = 0; i < 240 && (runs.QUEUED || runs.RUNNING); i++) {
    await sleep(250)
    runs = await counts()
  }
  printFigures('rolling restart of two processes', { ...tally.summary(), retriedWaits: retried.length, failedAfterRetries, restarts, runs, resetLog: tally.resetLog })

  expect(restarts.map((r) => r.exitCode)).toEqual([0, 0])
  expect(tally.resets).toBe(0)
  expect(tally.failures5xx).toBe(0)
  expect(failedAfterRetries).toBe(0)
  // The only refusals: waits answered at a drain's reserve, each retried once per refusal.
  expect([...tally.codes.keys()].filter((c) => c !== 'SERVICE_UNAVAILABLE')).toEqual([])
  expect(tally.codes.get('SERVICE_UNAVAILABLE') ?? 0).toBe(retried.length)
  expect(tally.ok).toBe(tally.sent - retried.length)
  expect(runs).toMatchObject({ QUEUED: 0, RUNNING: 0, FAILED: 0, CANCELLED: 0 })
  expect(runs.SUCCEEDED).toBeGreaterThan(5)
}, 180_000)
