// Redis blackholed (a TCP proxy that forwards nothing and never resets), then stopped, then back, under two server
// processes: streams keep moving from PostgreSQL (every event exactly once, in order, worst latency within 2 s), new
// subscriptions are admitted during the outage, and limited requests are refused fast with SERVICE_UNAVAILABLE
// (REDIS_UNAVAILABLE=fail-closed, the default).
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startRedis, type Service } from '../setup/services.ts'
import { isolatedDatabaseEnv, services, testEnv } from '../helpers/env.ts'
import { startServer, type Proc } from '../helpers/processes.ts'
import { seedAgent } from '../helpers/agents.ts'
import { signUp, type Session } from '../helpers/tenants.ts'
import { connectWs, type WsConnection } from '../helpers/ws.ts'
import { httpApp, printFigures, sleep, tcpProxy } from './support.ts'

let redis: Service
let proxy: Awaited<ReturnType<typeof tcpProxy>>
let a: Proc
let b: Proc
beforeAll(async () => {
  redis = await startRedis(services.redisBin!)
  proxy = await tcpProxy(redis.port)
  const env = { ...testEnv(await isolatedDatabaseEnv({ postgres: true })), LOG_LEVEL: 'info', WORKERS: '2', REDIS_URL: proxy.url, SUBSCRIPTION_POLL_MS: '500' }
  ;[a, b] = await Promise.all([startServer(env), startServer(env)])
})
afterAll(async () => {
  for (const p of [a, b]) p?.kill('SIGKILL')
  await proxy?.close()
  await redis?.stop()
})

const maxLatency = (events: Received[]) => Math.max(0, ...events.map((r) => r.at - r.timestamp))

interface Received {
  seq: number
  at: number
  timestamp: number
}

const eventsSub = 'subscription($id: ID!, $after: String) { executionEvents(executionId: $id, after: $after) { seq type event } }'

/** Follows one run's events on a socket, recording when each arrived. */
function follow(ws: WsConnection, id: string) {
  const received: Received[] = []
  const done = new Promise<unknown>((resolve, reject) => {
    ws.client.subscribe<{ executionEvents: { seq: number; event: { timestamp: number } } }>({ query: eventsSub, variables: { id } }, {
      next: (r) => {
        const e = r.data?.executionEvents
        if (e) received.push({ seq: e.seq, at: Date.now(), timestamp: e.event.timestamp })
      },
      error: reject,
      complete: () => resolve(received),
    })
  })
  return { received, done }
}

it('keeps streams moving through a blackholed and a stopped Redis, and refuses limited requests fast', async () => {
  const owner: Session = await signUp(httpApp(a.port!))
  const agentId = await seedAgent(httpApp(a.port!), owner, { maxConcurrentExecutions: 10 })
  const run = async (n: number) => {
    const r = await httpApp(a.port!).gql<{ runAgent: { execution: { id: string } } }>('mutation($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }', {
      input: { agentId, prompt: `outage ${n} [[mock:delay=250]] please tell me a long story about rivers, mountains, cities, harbours and the sea` },
    }, owner.headers)
    return r.body.data!.runAgent.execution.id
  }
  const ids = await Promise.all([0, 1, 2].map(run))
  const sockets = [connectWs(b.port!, { authorization: owner.headers.authorization }), connectWs(a.port!, { authorization: owner.headers.authorization })]
  const followers = ids.map((id, i) => follow(sockets[i % 2]!, id))
  // Before the outage: what a limited request and event delivery cost on this (possibly loaded) machine.
  const baselineMs: number[] = []
  for (let i = 0; i < 5; i++) {
    const started = Date.now()
    await httpApp(b.port!).gql('{ agents(first: 1) { totalCount } }', {}, owner.headers)
    baselineMs.push(Date.now() - started)
  }
  await sleep(500)
  const outageStart = Date.now()

  // Blackhole: limited requests are refused within the deadline; a new subscription is admitted.
  proxy.blackhole()
  await sleep(500)
  const refusals: number[] = []
  const refusalCodes: string[] = []
  for (let i = 0; i < 5; i++) {
    const started = Date.now()
    const r = await httpApp(b.port!).gql('{ agents(first: 1) { totalCount } }', {}, owner.headers)
    refusals.push(Date.now() - started)
    refusalCodes.push(r.status === 200 ? 'ok' : `${r.status} ${r.body.errors?.[0]?.extensions.code}`)
  }
  const late = connectWs(b.port!, { authorization: owner.headers.authorization })
  const lateFollower = follow(late, ids[0]!)
  await sleep(2_500)

  // Redis stopped outright (connections refused), then started again on the same port.
  proxy.restore()
  await redis.stop()
  await sleep(3_000)
  redis = await startRedis(services.redisBin!, redis.port)
  const outageEnd = Date.now()
  const all = await Promise.all([...followers, lateFollower].map((f) => Promise.race([f.done, sleep(60_000)]).then(() => f.received)))

  const log = async (id: string) => {
    const read = () => httpApp(a.port!).gql<{ execution: { events: { edges: { node: { seq: number } }[] } } }>(
      'query($id: ID!) { execution(id: $id) { events(first: 100) { edges { node { seq } } } } }', { id }, owner.headers)
    // Redis has just come back: until the limiter has reconnected, limited requests are still refused (503).
    let r = await read()
    for (let i = 0; i < 40 && r.status === 503; i++) {
      await sleep(250)
      r = await read()
    }
    expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
    return r.body.data!.execution.events.edges.map((e) => e.node.seq)
  }
  const expected = await Promise.all([...ids, ids[0]!].map(log))
  const figures = all.map((received, i) => {
    const seqs = received.map((r) => r.seq)
    return {
      expected: expected[i]!.length,
      received: seqs.length,
      duplicated: seqs.length - new Set(seqs).size,
      missing: expected[i]!.filter((s) => !seqs.includes(s)).length,
      inOrder: seqs.every((s, j) => j === 0 || s > seqs[j - 1]!),
      // Latency of live events only (the late subscription's replay of older events is not delivery lag), before
      // and during the outage.
      maxLatencyBeforeMs: maxLatency(received.filter((r) => r.timestamp < outageStart)),
      maxLatencyDuringOutageMs: maxLatency(received.filter((r) => r.timestamp >= Math.max(outageStart, i === 3 ? received[0]!.at : 0) && r.timestamp < outageEnd)),
    }
  })
  printFigures('Redis blackhole, stop and return', { outageMs: outageEnd - outageStart, streams: figures, limitedRequestBeforeMs: baselineMs, limitedRequestDuringBlackholeMs: refusals, limitedRequestOutcomes: refusalCodes, closes: [...sockets, late].map((s) => s.closes) })

  const baselineLatency = Math.max(...figures.map((f) => f.maxLatencyBeforeMs))
  for (const f of figures) {
    expect(f).toMatchObject({ duplicated: 0, missing: 0, inOrder: true })
    expect(f.received).toBe(f.expected)
    // The poll fallback bounds what the outage adds: SUBSCRIPTION_POLL_MS (500) plus a read, within 2 s of what the
    // same machine delivers with Redis up (a loaded CI machine is slow either way).
    expect(f.maxLatencyDuringOutageMs).toBeLessThan(2_000 + baselineLatency)
  }
  expect(refusalCodes.every((c) => c === '503 SERVICE_UNAVAILABLE')).toBe(true)
  // The store's own bound is 180 ms; measured from the client it is within a second of a normal request's time.
  expect(Math.max(...refusals)).toBeLessThan(1_000 + Math.max(...baselineMs))
  for (const s of [...sockets, late]) expect(s.closes).toEqual([])
}, 180_000)
