// Shared parts of the fault suite: HTTP clients against real server processes, a load generator that counts what
// clients see, a TCP proxy that can blackhole a dependency, and the figures each scenario prints.
import net from 'node:net'
import { randomUUID } from 'node:crypto'
import type { TestApp, GraphQLResponse } from '../helpers/app.ts'
import type { WsConnection } from '../helpers/ws.ts'

/** A TestApp-shaped client over real HTTP to a server process (enough for the tenant and agent helpers). */
export function httpApp(port: number): TestApp {
  const fetchPath = (path: string, init?: RequestInit) => fetch(`http://127.0.0.1:${port}${path}`, init)
  return {
    app: undefined as never,
    port,
    fetch: fetchPath,
    async gql(query, variables, headers) {
      const res = await fetchPath('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) })
      return { status: res.status, headers: res.headers, body: await res.json() } as GraphQLResponse<never>
    },
    stop: async () => {},
  }
}

/** What clients saw during a scenario. */
export class Tally {
  sent = 0
  ok = 0
  /** HTTP 5xx responses by status (503 is a refusal with Retry-After; others are failures). */
  status5xx = new Map<number, number>()
  /** `extensions.code` of every error returned. */
  codes = new Map<string, number>()
  /** Connections reset or closed under a request that had been sent. */
  resets = 0
  /** Connections refused before anything was sent (the client may try another process). */
  refused = 0
  maxMs = 0
  /** Each reset: which port, when it began and ended (epoch ms), and the error code. */
  resetLog: { port: number; startedAt: number; endedAt: number; code: string }[] = []
  /** The first few errors returned, whole (message and extensions), to tell refusals apart. */
  errorSamples: unknown[] = []

  count(map: Map<string | number, number>, key: string | number) {
    map.set(key as never, ((map as Map<string | number, number>).get(key) ?? 0) + 1)
  }
  get internalErrors() {
    return this.codes.get('INTERNAL_SERVER_ERROR') ?? 0
  }
  get failures5xx() {
    return [...this.status5xx].filter(([s]) => s !== 503).reduce((n, [, c]) => n + c, 0)
  }
  summary() {
    return { sent: this.sent, ok: this.ok, resets: this.resets, refusedConnections: this.refused, http5xx: Object.fromEntries(this.status5xx), codes: Object.fromEntries(this.codes), maxLatencyMs: this.maxMs, errorSamples: this.errorSamples }
  }
}

const refusedCodes = new Set(['ECONNREFUSED'])

function networkCode(e: unknown): string {
  let c: unknown = e
  for (let i = 0; i < 4 && c; i++) {
    const code = (c as { code?: unknown }).code
    if (typeof code === 'string') return code
    c = (c as { cause?: unknown }).cause
  }
  return String((e as Error).message)
}

/**
 * Posts one operation to the first of `ports` that accepts the connection (a refused connection carried no request,
 * so trying the next process is what a load balancer does); counts the outcome in `tally`.
 */
export async function post(tally: Tally, ports: () => number[], query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  tally.sent++
  const started = Date.now()
  for (const port of ports()) {
    let res: Response
    try {
      res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) })
    } catch (e) {
      const code = networkCode(e)
      if (refusedCodes.has(code)) {
        tally.refused++
        continue
      }
      tally.resets++
      tally.resetLog.push({ port, startedAt: started, endedAt: Date.now(), code })
      tally.count(tally.codes as never, `network:${code}`)
      return undefined
    }
    const body = (await res.json().catch(() => ({}))) as { data?: unknown; errors?: { extensions?: { code?: string } }[] }
    tally.maxMs = Math.max(tally.maxMs, Date.now() - started)
    if (res.status >= 500) tally.count(tally.status5xx as never, res.status)
    for (const e of body.errors ?? []) {
      tally.count(tally.codes as never, e.extensions?.code ?? 'none')
      if (tally.errorSamples.length < 5) tally.errorSamples.push({ port, at: Date.now(), ...e })
    }
    if (res.status === 200 && !body.errors) tally.ok++
    return body
  }
  tally.count(tally.codes as never, 'no process accepted the connection')
  return undefined
}

/** Runs `workers` concurrent loops of `step` until `stop()` is called; resolves when all loops ended. */
export function loop(workers: number, step: (i: number) => Promise<unknown>) {
  let running = true
  const loops = Array.from({ length: workers }, async (_, w) => {
    for (let i = 0; running && i < 100_000; i++) await step(w * 100_000 + i)
  })
  return {
    stop: async () => {
      running = false
      await Promise.all(loops)
    },
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Prints a scenario's figures in one block (CI logs keep them). */
export function printFigures(scenario: string, figures: Record<string, unknown>) {
  console.log(`[faults] ${scenario}\n${JSON.stringify(figures, null, 2)}`)
}

export const uniqueKey = () => `k-${randomUUID()}`

/**
 * A TCP proxy on a free loopback port in front of `targetPort`. `blackhole()` keeps accepting and keeps every socket
 * open but forwards nothing in either direction (a network path that drops packets without RST); `restore()` cuts
 * the blackholed sockets (as a healed network's peers do after their timeouts) and forwards again.
 */
export async function tcpProxy(targetPort: number) {
  let blackholed = false
  const pairs = new Set<{ client: net.Socket; upstream?: net.Socket }>()
  const server = net.createServer((client) => {
    const pair: { client: net.Socket; upstream?: net.Socket } = { client }
    pairs.add(pair)
    client.on('error', () => {})
    client.on('close', () => {
      pair.upstream?.destroy()
      pairs.delete(pair)
    })
    if (blackholed) return client.pause()
    const upstream = net.connect(targetPort, '127.0.0.1')
    pair.upstream = upstream
    upstream.on('error', () => client.destroy())
    upstream.on('close', () => client.destroy())
    client.on('data', (d) => {
      if (!blackholed) upstream.write(d)
    })
    upstream.on('data', (d) => {
      if (!blackholed) client.write(d)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    blackhole() {
      blackholed = true
    },
    restore() {
      blackholed = false
      for (const p of pairs) {
        p.client.destroy()
        p.upstream?.destroy()
      }
    },
    async close() {
      for (const p of pairs) {
        p.client.destroy()
        p.upstream?.destroy()
      }
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export const eventsSubscription = 'subscription($id: ID!, $after: String) { executionEvents(executionId: $id, after: $after) { seq cursor type event } }'

/** One run's events as a client received them, resuming by cursor after an error (what `clients/` does). */
export interface Followed {
  seqs: number[]
  /** Arrival minus the event's own timestamp, per event (ms). */
  latencies: number[]
  /** When each event arrived (epoch ms). */
  arrivals: number[]
  /** `extensions.code` of each error that ended a subscription (then resumed). */
  errors: string[]
  done: Promise<void>
}

/** Follows run `id` on `ws` to its terminal event, resubscribing after its last cursor when the server ends it with an error. */
export function followRun(ws: WsConnection, id: string, opts: { resumeDelayMs?: number; maxResumes?: number } = {}): Followed {
  const f: Followed = { seqs: [], latencies: [], arrivals: [], errors: [], done: Promise.resolve() }
  let cursor: string | undefined
  let ended: string | undefined
  f.done = new Promise<void>((resolve, reject) => {
    const subscribe = () => ws.client.subscribe<{ executionEvents: { seq: number; cursor: string; event: { timestamp?: number } } }>({ query: eventsSubscription, variables: { id, after: cursor } }, {
      next: (r) => {
        // A stream the server had to end (its database unreachable, the consumer too slow) sends one error, then
        // completes: the client resumes after its last cursor.
        if (r.errors?.length) ended = String((r.errors[0] as { extensions?: { code?: string } }).extensions?.code)
        const e = r.data?.executionEvents
        if (!e) return
        f.seqs.push(e.seq)
        f.arrivals.push(Date.now())
        if (typeof e.event.timestamp === 'number') f.latencies.push(Date.now() - e.event.timestamp)
        cursor = e.cursor
      },
      error: (err) => {
        ended = Array.isArray(err) ? String((err[0] as { extensions?: { code?: string } })?.extensions?.code) : `close:${(err as { code?: number }).code}`
        resume()
      },
      complete: () => (ended ? resume() : resolve()),
    })
    const resume = () => {
      f.errors.push(ended!)
      if (ended!.startsWith('close:') || f.errors.length > (opts.maxResumes ?? 50)) return reject(new Error(`run ${id}: ${f.errors.join(', ')}`))
      ended = undefined
      setTimeout(subscribe, opts.resumeDelayMs ?? 250)
    }
    subscribe()
  })
  f.done.catch(() => {})
  return f
}

/** Compares what a follower received with the run's log: duplicated, missing and out-of-order events. */
export function compareEvents(logSeqs: number[], received: number[]) {
  return {
    expected: logSeqs.length,
    received: received.length,
    duplicated: received.length - new Set(received).size,
    missing: logSeqs.filter((s) => !received.includes(s)).length,
    gapless: logSeqs.every((s, i) => s === i + 1),
    inOrder: received.every((s, i) => i === 0 || s > received[i - 1]!),
  }
}
