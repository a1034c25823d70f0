// A rolling restart under load, as a deploy does it: of two server processes, A gets SIGTERM and a new A' takes its
// place, then the same for B. Clients send each request to a running process and move to the next one when a
// connection is refused (what a load balancer does; a refused connection carried no request). No dependency is down,
// so zero client requests may fail: no reset, no 5xx, no refusal (a draining process runs the runs its own `wait: true`
// requests wait on instead of leaving them in the queue); every run completes and both old processes exit 0.
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { isolatedDatabaseEnv, testEnv } from '../helpers/env.ts'
import { startServer, type Proc } from '../helpers/processes.ts'
import { seedAgent } from '../helpers/agents.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { httpApp, loop, post, printFigures, sleep, Tally, uniqueKey } from './support.ts'

let env: Record<string, string | undefined>
let db: pg.Client
const procs: Proc[] = []
beforeAll(async () => {
  // Only a draining process's hand-back may requeue a run here: a stale heartbeat is not noticed within the test.
  // SHUTDOWN_TIMEOUT_MS as deployed (ops/k8s/configmap.yaml): on this shared machine a 0.6 s mock run takes 3-8 s.
  env = { ...testEnv(await isolatedDatabaseEnv({ postgres: true })), LOG_LEVEL: 'info', WORKERS: '2', SHUTDOWN_TIMEOUT_MS: '20000', WORKER_STALE_MS: '600000' }
  procs.push(...(await Promise.all([startServer(env), startServer(env)])))
  db = new pg.Client({ connectionString: env.DATABASE_URL })
  await db.connect()
}, 120_000)
afterAll(async () => {
  for (const p of procs) p.kill('SIGKILL')
  await db?.end()
})

const runQuery = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id status } } }'
const countQuery = 'query($status: ExecutionStatus) { executions(first: 1, filter: { status: $status }) { totalCount } }'

it('restarts one process at a time under load with zero failed client requests', async () => {
  const up: Proc[] = [...procs]
  const owner: Session = await signUp(httpApp(up[0]!.port!))
  const agentId = await seedAgent(httpApp(up[0]!.port!), owner, { maxConcurrentExecutions: 100 })
  const tally = new Tally()
  // Each `wait: true` run: when it was sent and answered (to print the longest).
  const waits: { sentAt: number; ms?: number }[] = []
  const waitForRun = async (ports: () => number[], input: Record<string, unknown>) => {
    const w: { sentAt: number; ms?: number } = { sentAt: Date.now() }
    waits.push(w)
    const body = (await post(tally, ports, runQuery, { input }, owner.headers)) as { data?: { runAgent?: { execution: { status: string } } } } | undefined
    w.ms = Date.now() - w.sentAt
    return body?.data?.runAgent?.execution.status
  }
  const waitStatuses = new Map<string, number>()
  let n = 0
  const load = loop(6, async (i) => {
    const k = n++
    // Spread over the running processes; the others follow in order if a connection is refused.
    const ports = () => up.map((_, j) => up[(k + j) % up.length]!.port!)
    if (k % 4 === 1) {
      const status = String(await waitForRun(ports, { agentId, prompt: `roll ${i} [[mock:delay=30]] tell me about the sea`, idempotencyKey: uniqueKey(), wait: true }))
      return waitStatuses.set(status, (waitStatuses.get(status) ?? 0) + 1)
    }
    if (k % 4 === 3) return post(tally, ports, runQuery, { input: { agentId, prompt: `roll ${i} [[mock:delay=30]] and the harbours`, idempotencyKey: uniqueKey() } }, owner.headers)
    return post(tally, ports, '{ agents(first: 5) { totalCount edges { node { id name } } } }', {}, owner.headers)
  })
  const restarts: { exitCode: number | null; exitMs: number; replacementReadyMs: number; queuedAtSignal: number; waitsRunWhileDraining: number; handedBackForWaits: number }[] = []
  await sleep(1_500)
  for (const old of [...procs]) {
    const { rows: [queued] } = await db.query<{ n: number }>("select count(*)::int as n from executions where status = 'QUEUED'")
    const signalled = Date.now()
    old.kill('SIGTERM')
    const exited = old.exit.then((code) => ({ code, ms: Date.now() - signalled }))
    const [{ code: exitCode, ms: exitMs }, replacement] = await Promise.all([exited, startServer(env)])
    up.splice(up.indexOf(old), 1)
    procs.push(replacement)
    up.push(replacement)
    const waitsRunWhileDraining = old.lines.filter((l) => l.msg === 'draining: claimed a run a request here waits on').length
    const handedBackForWaits = old.lines.filter((l) => l.msg === 'draining: handed back a run to make room for one a request here waits on').length
    restarts.push({ exitCode, exitMs, replacementReadyMs: Date.now() - signalled, queuedAtSignal: queued!.n, waitsRunWhileDraining, handedBackForWaits })
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
  const waitMs = waits.map((w) => w.ms ?? Infinity).sort((x, y) => x - y)
  printFigures('rolling restart of two processes', { ...tally.summary(), waits: { sent: waits.length, statuses: Object.fromEntries(waitStatuses), medianMs: waitMs[waitMs.length >> 1], maxMs: waitMs.at(-1) }, restarts, runs, resetLog: tally.resetLog })

  expect(restarts.map((r) => r.exitCode)).toEqual([0, 0])
  expect(tally.resets).toBe(0)
  expect(tally.status5xx.size).toBe(0)
  expect(Object.fromEntries(tally.codes)).toEqual({})
  expect(tally.ok).toBe(tally.sent)
  expect([...waitStatuses.keys()]).toEqual(['SUCCEEDED'])
  expect(runs).toMatchObject({ QUEUED: 0, RUNNING: 0, FAILED: 0, CANCELLED: 0 })
  expect(runs.SUCCEEDED).toBeGreaterThan(5)
}, 180_000)
