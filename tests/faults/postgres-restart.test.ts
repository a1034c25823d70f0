// PostgreSQL restarted (`pg_ctl restart -m fast`, then `-m immediate`) under two server processes with clients on
// both: while it is down, requests are refused with the typed, retryable SERVICE_UNAVAILABLE (never
// INTERNAL_SERVER_ERROR, never a reset); clients retrying with the same idempotency key get one execution each; every
// run completes; and every follower receives its run's log exactly once, in order, resuming by cursor if its stream
// was ended by the outage.
import { afterAll, beforeAll, expect, it } from 'vitest'
import { createDatabase } from '../setup/services.ts'
import { testEnv } from '../helpers/env.ts'
import { startServer, type Proc } from '../helpers/processes.ts'
import { seedAgent } from '../helpers/agents.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, type WsConnection } from '../helpers/ws.ts'
import { startOwnPostgres, type OwnPostgres } from './postgres.ts'
import { compareEvents, followRun, httpApp, loop, post, printFigures, sleep, Tally, uniqueKey, type Followed } from './support.ts'

let pg: OwnPostgres
let a: Proc
let b: Proc
let owner: Session
let agentId: string
beforeAll(async () => {
  pg = await startOwnPostgres()
  const env = { ...testEnv({ DATABASE_URL: await createDatabase(pg.url, 'faults') }), LOG_LEVEL: 'info', WORKERS: '2', SUBSCRIPTION_POLL_MS: '500' }
  ;[a, b] = await Promise.all([startServer(env), startServer(env)])
  owner = await signUp(httpApp(a.port!))
  agentId = await seedAgent(httpApp(a.port!), owner, { maxConcurrentExecutions: 100 })
}, 120_000)
afterAll(async () => {
  for (const p of [a, b]) p?.kill('SIGKILL')
  await pg?.stop()
})

const runQuery = 'mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }'
const logQuery = 'query($id: ID!) { execution(id: $id) { status error events(first: 500) { edges { node { seq type } } } } }'

it.each(['fast', 'immediate'] as const)('a %s restart refuses with SERVICE_UNAVAILABLE only while down, loses nothing and finishes every run', async (mode) => {
  const sockets: WsConnection[] = [a, b].map((p) => connectWs(p.port!, { authorization: owner.headers.authorization }))
  const ports = [a.port!, b.port!]
  const tally = new Tally()
  const refusedAt: number[] = []
  const runs = new Map<string, Followed>()
  let n = 0
  // 8 clients: 3 read in a tight loop, 5 start runs.
  const load = loop(8, async (step) => {
    const i = n++
    const port = () => [ports[i % 2]!]
    if (Math.floor(step / 100_000) < 3) return post(tally, port, '{ agents(first: 5) { totalCount edges { node { id name } } } }', {}, owner.headers)
    // A client retries a refusal with the same idempotency key, as `retryAfter` invites it to.
    const input = { agentId, prompt: `pg ${mode} ${i} [[mock:delay=120]] tell me about rivers and harbours`, idempotencyKey: uniqueKey() }
    for (let attempt = 0; attempt < 60; attempt++) {
      const body = (await post(tally, port, runQuery, { input }, owner.headers)) as { data?: { runAgent?: { execution: { id: string } } }; errors?: { extensions?: { code?: string } }[] } | undefined
      const id = body?.data?.runAgent?.execution.id
      if (id) {
        if (!runs.has(id)) runs.set(id, followRun(sockets[i % 2]!, id))
        // A client follows its run to the end before it starts another, so the backlog stays what the workers can
        // drain: the time to finish every run does not grow with how fast runAgent answers.
        return Promise.race([runs.get(id)!.done.catch(() => {}), sleep(60_000)])
      }
      if (body?.errors?.[0]?.extensions?.code !== 'SERVICE_UNAVAILABLE') return
      refusedAt.push(Date.now())
      await sleep(500)
    }
  })
  await sleep(2_000)
  const downAt = Date.now()
  await pg.restart(mode)
  const upAt = Date.now()
  await sleep(2_500)
  await load.stop()

  // Every run finishes; its followers end with its terminal event.
  const finished = await Promise.race([Promise.allSettled([...runs.values()].map((f) => f.done)), sleep(90_000).then(() => 'timed out')])
  const bApp = httpApp(b.port!)
  const logs = await Promise.all([...runs.keys()].map(async (id) => {
    const r = await bApp.gql<{ execution: { status: string; events: { edges: { node: { seq: number; type: string } }[] } } }>(logQuery, { id }, owner.headers)
    return { id, status: r.body.data?.execution.status, error: (r.body.data?.execution as { error?: unknown } | undefined)?.error, types: r.body.data?.execution.events.edges.map((e) => e.node.type), seqs: r.body.data?.execution.events.edges.map((e) => e.node.seq) ?? [] }
  }))
  const statuses: Record<string, number> = {}
  for (const l of logs) statuses[String(l.status)] = (statuses[String(l.status)] ?? 0) + 1
  const compared = logs.map((l) => compareEvents(l.seqs, runs.get(l.id)!.seqs))
  const sum = (k: 'expected' | 'received' | 'duplicated' | 'missing') => compared.reduce((s, c) => s + c[k], 0)
  const streamErrors = [...runs.values()].flatMap((f) => f.errors)
  const lastRefusalAfterUpMs = refusedAt.length ? Math.max(...refusedAt) - upAt : null
  printFigures(`PostgreSQL restart -m ${mode}`, {
    ...tally.summary(), downMs: upAt - downAt, runs: runs.size, statuses, refusals: refusedAt.length, lastRefusalAfterUpMs,
    runsHandedBack: logs.filter((l) => l.types?.includes('CUSTOM')).length,
    events: { expected: sum('expected'), received: sum('received'), duplicated: sum('duplicated'), missing: sum('missing') },
    logsGapless: compared.every((c) => c.gapless), streamsResumedAfter: streamErrors, maxEventLatencyMs: Math.max(0, ...[...runs.values()].flatMap((f) => f.latencies)),
    followersFinished: finished !== 'timed out', socketCloses: sockets.map((s) => s.closes),
  })
  for (const s of sockets) void s.client.dispose()
  const odd = logs.filter((l, i) => l.status !== 'SUCCEEDED' || compared[i]!.missing > 0).slice(0, 3)
  if (odd.length) console.log(JSON.stringify(odd.map((l) => ({ ...l, received: runs.get(l.id)!.seqs })), null, 1))
  // What the servers logged as errors, to explain a run that did not succeed.
  if (odd.length) console.log(JSON.stringify([a, b].flatMap((p) => p.lines.filter((l) => Number(l.level) >= 50)).slice(-10), null, 1))

  expect(tally.resets).toBe(0)
  expect(tally.failures5xx).toBe(0)
  expect(tally.internalErrors).toBe(0)
  expect([...tally.codes.keys()].filter((c) => c !== 'SERVICE_UNAVAILABLE')).toEqual([])
  expect(streamErrors.filter((c) => c !== 'SERVICE_UNAVAILABLE')).toEqual([])
  // Refusals only while the database is down, and the moment it is back (pools reconnect on first use).
  expect(lastRefusalAfterUpMs ?? 0).toBeLessThan(3_000)
  expect(runs.size).toBeGreaterThanOrEqual(6)
  expect(statuses).toEqual({ SUCCEEDED: runs.size })
  // A run stopped between its claim and its RUN_STARTED goes back with an empty log: each log still opens with it.
  expect(logs.filter((l) => l.types?.[0] !== 'RUN_STARTED').map((l) => l.id)).toEqual([])
  expect(finished).not.toBe('timed out')
  for (const c of compared) expect(c).toMatchObject({ gapless: true, duplicated: 0, missing: 0, inOrder: true, received: c.expected })
  expect(sockets.every((s) => s.closes.length === 0)).toBe(true)
}, 180_000)
