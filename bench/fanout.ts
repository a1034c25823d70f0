// Event fan-out: SUBSCRIBERS graphql-ws subscribers follow one run while EVENTS events are appended to its log; the
// same frames are then broadcast by a bare `ws` server to as many bare clients, in the same process and run.
// Prints delivered events/s, CPU time per delivery (this process: server and clients) and latency percentiles
// (commit → receipt) for both, and their ratios.
//   npm run bench:fanout            (SUBSCRIBERS=1000 EVENTS=200; DATABASE_URL/REDIS_URL select real services)
import { randomBytes } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import WebSocket, { WebSocketServer } from 'ws'
import { createClient } from 'graphql-ws'
import { buildApp } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'
import { ev, toWire } from '../src/events/agui.ts'
import { claimNext } from '../src/services/runs/claims.ts'
import { endRun } from '../src/services/runs/terminal.ts'
import { appendAsWriter } from '../src/services/runs/writer.ts'
import { benchServices } from './support.ts'

const SUBSCRIBERS = Number(process.env.SUBSCRIBERS ?? 1000)
const EVENTS = Number(process.env.EVENTS ?? 200)
const BATCH = Number(process.env.BATCH ?? 1)

interface Stats { delivered: number; seconds: number; cpuUs: number; p50: number; p99: number; max: number }
// CPU time of this process (server and its clients) per delivered event: steadier than throughput on a shared machine.
const cpuSince = (start: NodeJS.CpuUsage) => { const d = process.cpuUsage(start); return d.user + d.system }
const pct = (xs: number[], p: number) => xs.sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!

async function ours(env: Record<string, string>): Promise<Stats & { frames: string[] }> {
  // Limits stay on (their cost is part of the pipeline) but far above what one principal opening every socket needs.
  const limits = { AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000', WS_CONNECTIONS_PER_IP_PER_MINUTE: '1000000', WS_SUBSCRIBES_PER_MINUTE: '1000000', WS_MAX_SUBSCRIPTIONS_PER_PRINCIPAL: '100000', RATE_LIMIT_FREE_PER_MINUTE: '10000000' }
  // bench/run.ts starts this in production mode, which requires a signing key: a generated one, as for the server
  // bench/lib/procs.ts starts, unless the caller gave one.
  const signing = process.env.JWT_SECRET || process.env.JWT_PRIVATE_KEYS ? {} : { JWT_SECRET: randomBytes(32).toString('base64url') }
  const config = loadConfig({ ...process.env, ...env, ...signing, PORT: '0', LOG_LEVEL: 'warn', WORKERS: '0', ...limits })
  const app = await buildApp(config)
  const port = await app.listen()
  const gql = async (query: string, variables: object, token?: string): Promise<unknown> => {
    const r = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) }, body: JSON.stringify({ query, variables }) })
    const body = (await r.json()) as { data?: unknown; errors?: unknown }
    if (body.errors) throw new Error(JSON.stringify(body.errors))
    return body.data
  }
  const { signUp } = (await gql('mutation($i: SignUpInput!) { signUp(input: $i) { accessToken tenant { id } } }', { i: { tenantName: 'bench', email: `bench-${Date.now()}@example.test`, password: 'a long bench password' } })) as { signUp: { accessToken: string; tenant: { id: string } } }
  const { accessToken: token, tenant } = signUp
  const tenantId = Buffer.from(tenant.id, 'base64').toString().split(':')[1]!
  const agent = await app.deps.db.forTenant(tenantId).client.agent.create({ data: { tenantId, name: 'bench', model: 'mock-1' } })
  const { runAgent } = (await gql('mutation($a: ID!) { runAgent(input: { agentId: $a, prompt: "bench" }) { execution { id } } }', { a: Buffer.from(`Agent:${agent.id}`).toString('base64') }, token)) as { runAgent: { execution: { id: string } } }
  const executionId = runAgent.execution.id
  // This run only: `npm run bench` leaves S3's queued runs of other tenants in the same database.
  const claimed = await claimNext(app.deps, 'bench', { only: [Buffer.from(executionId, 'base64').toString().split(':')[1]!] })
  if (!claimed) throw new Error(`could not claim execution ${executionId}`)
  const writer = { tenantId, executionId: claimed.id, claim: claimed.claim }

  const latencies: number[] = []
  const frames: string[] = []
  let delivered = 0
  let done = 0
  const subscribe = (i: number, resolve: () => void) => {
    {
      const client = createClient({ url: `ws://127.0.0.1:${port}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` }, retryAttempts: 0 })
      client.subscribe({ query: 'subscription($id: ID!) { executionEvents(executionId: $id) { seq event } }', variables: { id: executionId } }, {
        next: (r) => {
          const e = (r.data as { executionEvents: { event: { timestamp: number } } }).executionEvents
          latencies.push(Date.now() - e.event.timestamp)
          delivered++
          if (i === 0) frames.push(JSON.stringify({ id: '1', type: 'next', payload: r }))
        },
        error: (e) => console.error('subscription error', e),
        complete: () => {
          void client.dispose()
          if (++done === SUBSCRIBERS) resolve()
        },
      })
    }
  }
  let resolveAll = () => {}
  const allDone = new Promise<void>((r) => (resolveAll = r))
  for (let i = 0; i < SUBSCRIBERS; i++) {
    subscribe(i, resolveAll)
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 100)) // connect in waves, as real clients do
  }
  await new Promise((r) => setTimeout(r, 2_000)) // let every subscription start
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  await appendAsWriter(app.deps, writer, [toWire(ev.runStarted('t', 'r')), toWire(ev.textStart('m'))])
  for (let i = 0; i < EVENTS; i += BATCH) {
    await appendAsWriter(app.deps, writer, Array.from({ length: Math.min(BATCH, EVENTS - i) }, (_, j) => toWire(ev.textContent('m', `word${i + j} `))))
  }
  await endRun(app.deps, writer, [toWire(ev.textEnd('m')), toWire(ev.runFinished('t', 'r', { promptTokens: 0, completionTokens: 0 }, 'mock-1', 'success'))], { status: 'SUCCEEDED' })
  await allDone
  const seconds = (performance.now() - t0) / 1000
  const cpuUs = cpuSince(cpu0)
  await app.stop()
  return { delivered, seconds, cpuUs, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), max: pct(latencies, 1), frames }
}

async function rawWs(frames: string[]): Promise<Stats> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise((r) => wss.once('listening', r))
  const port = (wss.address() as { port: number }).port
  const latencies: number[] = []
  let delivered = 0
  let finished = 0
  const allDone = new Promise<void>((resolve) => {
    for (let i = 0; i < SUBSCRIBERS; i++) {
      let received = 0
      const c = new WebSocket(`ws://127.0.0.1:${port}`)
      c.on('message', (data) => {
        latencies.push(Date.now() - Number(String(data).slice(0, 13)))
        delivered++
        if (++received === frames.length) {
          c.close()
          if (++finished === SUBSCRIBERS) resolve()
        }
      })
    }
  })
  while (wss.clients.size < SUBSCRIBERS) await new Promise((r) => setTimeout(r, 10))
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  for (const f of frames) {
    const frame = `${Date.now()}${f}` // the same bytes, prefixed with the send time
    for (const c of wss.clients) c.send(frame)
    await new Promise((r) => setImmediate(r))
  }
  await allDone
  const seconds = (performance.now() - t0) / 1000
  const cpuUs = cpuSince(cpu0)
  wss.close()
  return { delivered, seconds, cpuUs, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99), max: pct(latencies, 1) }
}

const services = await benchServices()
const a = await ours(services.env)
await services.stop()
const b = await rawWs(a.frames)
const row = (name: string, s: Stats) => `${name.padEnd(28)} ${String(s.delivered).padStart(9)} ${(s.delivered / s.seconds).toFixed(0).padStart(12)} ${(s.cpuUs / s.delivered).toFixed(1).padStart(11)} ${String(s.p50).padStart(7)} ${String(s.p99).padStart(7)} ${String(s.max).padStart(7)}`
console.log(`fan-out: ${SUBSCRIBERS} subscribers × ${a.frames.length} events (${services.label})`)
console.log(`${'pipeline'.padEnd(28)} ${'delivered'.padStart(9)} ${'events/s'.padStart(12)} ${'CPU µs/ev'.padStart(11)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}`)
console.log(row('graphql-ws + event log', a))
console.log(row('raw ws broadcast (baseline)', b))
console.log(`ratio (ours / baseline): throughput ${((a.delivered / a.seconds) / (b.delivered / b.seconds)).toFixed(3)}, p99 latency ${(a.p99 / Math.max(1, b.p99)).toFixed(1)}×, CPU per delivery ${(a.cpuUs / a.delivered / (b.cpuUs / b.delivered)).toFixed(2)}×`)
process.exit(0)
