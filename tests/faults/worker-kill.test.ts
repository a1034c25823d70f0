// A server process SIGKILLed while its worker runs executions, beside a second process: once the dead worker's
// heartbeats are stale (WORKER_STALE_MS) the survivor requeues and finishes its runs, and every follower (on the
// survivor) receives each run's log exactly once, in order; each log is gapless, starts once and finishes once.
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { isolatedDatabaseEnv, testEnv } from '../helpers/env.ts'
import { startServer, type Proc } from '../helpers/processes.ts'
import { seedAgent } from '../helpers/agents.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs } from '../helpers/ws.ts'
import { compareEvents, followRun, httpApp, printFigures, sleep, uniqueKey } from './support.ts'

const STALE_MS = 2_000
let a: Proc
let b: Proc
let db: pg.Client
beforeAll(async () => {
  const env: Record<string, string | undefined> = {
    ...testEnv(await isolatedDatabaseEnv({ postgres: true })), LOG_LEVEL: 'info', WORKERS: '2', SUBSCRIPTION_POLL_MS: '500',
    WORKER_STALE_MS: String(STALE_MS), WORKER_HEARTBEAT_MS: '300', WORKER_POLL_MS: '200',
  }
  ;[a, b] = await Promise.all([startServer(env), startServer(env)])
  db = new pg.Client({ connectionString: env.DATABASE_URL })
  await db.connect()
}, 120_000)
afterAll(async () => {
  for (const p of [a, b]) p?.kill('SIGKILL')
  await db?.end()
})

const runQuery = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }'
const logQuery = 'query($id: ID!) { execution(id: $id) { status attempt events(first: 500) { edges { node { seq type } } } } }'

it('reclaims the runs of a SIGKILLed worker and finishes them without a gap or a duplicate', async () => {
  const owner: Session = await signUp(httpApp(a.port!))
  const agentId = await seedAgent(httpApp(a.port!), owner, { maxConcurrentExecutions: 50 })
  const ws = connectWs(a.port!, { authorization: owner.headers.authorization })
  const ids: string[] = []
  for (let i = 0; i < 8; i++) {
    const r = await httpApp([a, b][i % 2]!.port!).gql<{ runAgent: { execution: { id: string } } }>(runQuery, {
      input: { agentId, prompt: `kill ${i} [[mock:delay=200]] tell me about rivers, harbours and the sea`, idempotencyKey: uniqueKey() },
    }, owner.headers)
    ids.push(r.body.data!.runAgent.execution.id)
  }
  const followers = ids.map((id) => followRun(ws, id))
  // Both processes' workers hold runs (claims are `<worker id>#<attempt>`): the kill then takes some mid-run.
  const workersRunning = async () => (await db.query<{ n: number }>("select count(distinct split_part(claimed_by, '#', 1))::int as n from executions where status = 'RUNNING'")).rows[0]!.n
  for (let i = 0; i < 100 && (await workersRunning()) < 2; i++) await sleep(100)
  const runningAtKill = (await db.query<{ n: number }>("select count(*)::int as n from executions where status = 'RUNNING'")).rows[0]!.n
  const killedAt = Date.now()
  b.kill('SIGKILL')
  await b.exit

  const finished = await Promise.race([Promise.allSettled(followers.map((f) => f.done)), sleep(90_000).then(() => 'timed out')])
  const doneMs = Date.now() - killedAt
  const logs = await Promise.all(ids.map(async (id) => {
    const r = await httpApp(a.port!).gql<{ execution: { status: string; attempt: number; events: { edges: { node: { seq: number; type: string } }[] } } }>(logQuery, { id }, owner.headers)
    const e = r.body.data!.execution
    return { status: e.status, attempt: e.attempt, seqs: e.events.edges.map((x) => x.node.seq), types: e.events.edges.map((x) => x.node.type) }
  }))
  const compared = logs.map((l, i) => compareEvents(l.seqs, followers[i]!.seqs))
  const sum = (k: 'expected' | 'received' | 'duplicated' | 'missing') => compared.reduce((s, c) => s + c[k], 0)
  const requeued = a.lines.filter((l) => l.msg === 'requeued an execution whose worker stopped heartbeating').length
  printFigures('worker SIGKILL mid-run', {
    runs: ids.length, runningAtKill, requeuedBySurvivor: requeued, staleMs: STALE_MS, allFinishedAfterKillMs: doneMs,
    statuses: logs.map((l) => l.status), attempts: logs.map((l) => l.attempt),
    events: { expected: sum('expected'), received: sum('received'), duplicated: sum('duplicated'), missing: sum('missing') },
    streamsResumedAfter: followers.flatMap((f) => f.errors), maxEventLatencyMs: Math.max(0, ...followers.flatMap((f) => f.latencies)), socketCloses: ws.closes,
  })
  void ws.client.dispose()

  expect(finished).not.toBe('timed out')
  expect(requeued).toBeGreaterThan(0)
  expect(logs.filter((l) => l.attempt > 1)).toHaveLength(requeued)
  for (const [i, l] of logs.entries()) {
    expect(l.status).toBe('SUCCEEDED')
    expect(l.types.filter((t) => t === 'RUN_STARTED')).toHaveLength(1)
    expect(l.types.filter((t) => t === 'RUN_FINISHED')).toHaveLength(1)
    expect(l.types.at(-1)).toBe('RUN_FINISHED')
    expect(compared[i]).toMatchObject({ gapless: true, duplicated: 0, missing: 0, inOrder: true, received: compared[i]!.expected })
  }
  expect(ws.closes).toEqual([])
}, 180_000)
