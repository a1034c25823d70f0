// SIGTERM under load, as a rolling deploy sends it: two server processes share PostgreSQL and Redis; clients (fetch,
// with keep-alive) go to process A and, when A refuses connections, to B. No request that reached A may fail:
// in-flight requests (runAgent with `wait` included) complete or answer a typed SERVICE_UNAVAILABLE, WebSockets close
// with 1001, A hands its running executions back and exits 0 within SHUTDOWN_TIMEOUT_MS, and B finishes every run.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { isolatedDatabaseEnv, testEnv } from '../helpers/env.ts'
import { startServer, type Proc } from '../helpers/processes.ts'
import { seedAgent } from '../helpers/agents.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, type WsConnection } from '../helpers/ws.ts'
import { httpApp, loop, post, printFigures, sleep, Tally, uniqueKey } from './support.ts'

// Generous for a CI machine shared by several suites: the assertion is that nothing is cut inside the budget.
const SHUTDOWN_TIMEOUT_MS = 12_000
let a: Proc
let b: Proc
let env: Record<string, string | undefined>
beforeAll(async () => {
  env = { ...testEnv(await isolatedDatabaseEnv({ postgres: true })), LOG_LEVEL: 'info', WORKERS: '4', SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    // Only A's hand-back can requeue its runs within the test: a stale heartbeat is not noticed for 10 minutes.
    WORKER_STALE_MS: '600000' }
  ;[a, b] = await Promise.all([startServer(env), startServer(env)])
}, 120_000)
afterAll(() => {
  for (const p of [a, b]) p?.kill('SIGKILL')
})

const runQuery = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id status } } }'
const countQuery = 'query($status: ExecutionStatus) { executions(first: 1, filter: { status: $status }) { totalCount } }'

it('drains in-flight requests, closes sockets with 1001, hands runs back and exits 0 in time', async () => {
  const owner: Session = await signUp(httpApp(a.port!))
  const agentId = await seedAgent(httpApp(a.port!), owner, { maxConcurrentExecutions: 50 })
  const sockets: WsConnection[] = Array.from({ length: 3 }, () => connectWs(a.port!, { authorization: owner.headers.authorization }))
  for (const s of sockets) s.start('subscription { tenantEvents { cursor type } }')

  // A run that cannot finish within the budget, waited on at A: the wait lasts until A's last call, then is refused.
  const longWait = fetch(`http://127.0.0.1:${a.port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...owner.headers },
    body: JSON.stringify({ query: runQuery, variables: { input: { agentId, prompt: 'longest [[mock:delay=2000]] tell me everything', idempotencyKey: uniqueKey(), wait: true } } }) })
    .then(async (r) => ({ status: r.status, code: ((await r.json()) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code, at: Date.now() }))

  let aUp = true
  const ports = () => (aUp ? [a.port!, b.port!] : [b.port!])
  const tally = new Tally()
  let n = 0
  const load = loop(8, () => {
    const i = n++
    if (i % 12 === 11) {
      // A long run: still going at the deadline, so its waiting request answers SERVICE_UNAVAILABLE.
      return post(tally, ports, runQuery, { input: { agentId, prompt: `long ${i} [[mock:delay=1200]] tell me more about it`, idempotencyKey: uniqueKey(), wait: true } }, owner.headers)
    }
    if (i % 4 === 3) return post(tally, ports, runQuery, { input: { agentId, prompt: `short ${i} [[mock:delay=20]]`, idempotencyKey: uniqueKey(), wait: true } }, owner.headers)
    return post(tally, ports, '{ agents(first: 5) { totalCount edges { node { id name } } } }', {}, owner.headers)
  })
  await sleep(2_000)
  const inFlightAtSignal = tally.sent - tally.ok - tally.resets - [...tally.codes.values()].reduce((n, c) => n + c, 0)
  const signalled = Date.now()
  a.kill('SIGTERM')
  // The signal is handled asynchronously: readiness must turn within a moment.
  let ready: number | string = 200
  for (let i = 0; i < 50 && ready === 200; i++) {
    ready = await fetch(`http://127.0.0.1:${a.port}/health/ready`).then((r) => r.status, () => 'refused')
    if (ready === 200) await sleep(20)
  }
  const code = await a.exit
  const exitMs = Date.now() - signalled
  aUp = false
  await sleep(1_000)
  await load.stop()
  const closes = sockets.map((s) => s.closes[0]?.code)

  // B finishes every run, including those A handed back.
  const bApp = httpApp(b.port!)
  const counts = async () => Object.fromEntries(await Promise.all(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'].map(async (status) =>
    [status, (await bApp.gql<{ executions: { totalCount: number } }>(countQuery, { status }, owner.headers)).body.data?.executions.totalCount] as const)))
  let runs = await counts()
  for (let i = 0; i < 240 && (runs.QUEUED || runs.RUNNING); i++) {
    await sleep(250)
    runs = await counts()
  }
  const long = await longWait
  const drained = a.lines.find((l) => l.msg === 'drained')?.ms
  printFigures('SIGTERM under load', { ...tally.summary(), longWait: { ...long, msAfterSignal: long.at - signalled }, inFlightAtSignal, readinessAfterSignal: ready, exitCode: code, exitMs, shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS, webSocketCloses: closes, runs, drainMs: drained, signalled, drainingAt: a.lines.find((l) => l.msg === 'draining')?.time, listener: a.lines.find((l) => l.msg === 'listener closed'), resetLog: tally.resetLog })

  expect(code).toBe(0)
  // The budget is SHUTDOWN_TIMEOUT_MS from the signal; the margin covers the exit itself on a loaded machine.
  expect(exitMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 2_000)
  expect(ready === 503 || ready === 'refused').toBe(true)
  expect(tally.resets).toBe(0)
  expect(tally.failures5xx).toBe(0)
  expect(tally.internalErrors).toBe(0)
  expect([...tally.codes.keys()].filter((c) => c !== 'SERVICE_UNAVAILABLE')).toEqual([])
  expect(closes).toEqual([1001, 1001, 1001])
  // Waited on until the last call (the budget less at most 1.5 s), not refused at the signal.
  expect(long).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' })
  expect(long.at - signalled).toBeGreaterThan(SHUTDOWN_TIMEOUT_MS - 3_000)
  expect(runs).toMatchObject({ QUEUED: 0, RUNNING: 0, FAILED: 0 })
  expect(tally.ok).toBeGreaterThan(20)
}, 120_000)
