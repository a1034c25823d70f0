// Request throughput with the rate limiter on versus off: the same query, in the same run, against two apps that
// differ only in RATE_LIMITS_ENABLED. Rounds alternate (on, off, off, on, …) so drift (GC, JIT, caches) hits both
// sides alike; the ratio is on/off (target ≥ 0.95).
//
//   npm run bench:limiter                      embedded: PGlite + in-memory limiter store
//   DATABASE_URL=… REDIS_URL=… npm run bench:limiter   PostgreSQL + the Redis store (the service mode)
//   BENCH_ROUND_MS=500 BENCH_ROUNDS=24 BENCH_CONCURRENCY=32 BENCH_PRINCIPALS=1000
//
// Each round measures both sides back to back; the ratio reported is the median of the per-round ratios (robust to
// a noisy neighbour on a shared machine), with the ratio of the totals beside it.
//
// Requests go through yoga.fetch in process (no sockets), which makes the limiter's share of each request larger
// than over a real network: the ratio is conservative. Limits are set far above the load, so nothing is refused:
// what is measured is the cost of counting.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { buildApp, type App } from '../src/app.ts'
import { loadConfig } from '../src/config.ts'

const env = process.env
const roundMs = Number(env.BENCH_ROUND_MS ?? 500)
const rounds = Number(env.BENCH_ROUNDS ?? 24)
const concurrency = Number(env.BENCH_CONCURRENCY ?? 32)
const manyPrincipals = Number(env.BENCH_PRINCIPALS ?? 1_000)
const password = 'correct horse battery staple'

async function start(limiter: boolean): Promise<App> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-limiter-${limiter ? 'on' : 'off'}-`))
  const config = loadConfig({
    ...env,
    NODE_ENV: 'production',
    JWT_SECRET: env.JWT_SECRET ?? 'bench-secret-bench-secret-bench-secret-0123',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    WORKERS: '0',
    TRUST_PROXY_HOPS: '1',
    RATE_LIMITS_ENABLED: String(limiter),
    RATE_LIMIT_FREE_PER_MINUTE: '10000000',
    RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10000000',
    AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000',
  })
  return buildApp(config)
}

async function gql(app: App, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const r = await app.yoga.fetch('http://bench/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) })
  return { status: r.status, body: (await r.json()) as { data?: Record<string, Record<string, string>>; errors?: unknown[] } }
}

/** API keys spread over tenants (100 per tenant), each a distinct principal. */
async function principals(app: App, n: number): Promise<Record<string, string>[]> {
  const keys: Record<string, string>[] = []
  for (let t = 0; keys.length < n; t++) {
    const s = await gql(app, 'mutation($i: SignUpInput!) { signUp(input: $i) { accessToken } }', { i: { tenantName: `bench ${t}`, email: `bench-${t}-${Date.now()}@example.test`, password } })
    if (s.status !== 200 || s.body.errors) throw new Error(`signUp failed: ${JSON.stringify(s.body)}`)
    const owner = { authorization: `Bearer ${s.body.data!.signUp!.accessToken}` }
    const batch = Math.min(100, n - keys.length)
    const made = await Promise.all(Array.from({ length: batch }, (_, i) =>
      gql(app, 'mutation($i: CreateApiKeyInput!) { createApiKey(input: $i) { secret } }', { i: { name: `k${i}`, scopes: ['TOOLS_READ'] } }, owner)))
    for (const m of made) keys.push({ 'x-api-key': m.body.data!.createApiKey!.secret! })
  }
  return keys
}

/** Requests completed in `ms` with `concurrency` in flight, cycling through `headers`. */
async function run(app: App, query: string, headers: Record<string, string>[], ms: number): Promise<number> {
  let done = 0
  let next = 0
  let failed: unknown
  const until = performance.now() + ms
  const worker = async () => {
    while (performance.now() < until) {
      const r = await gql(app, query, undefined, headers[next++ % headers.length])
      if (r.status !== 200 || r.body.errors) failed ??= r.body
      done++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  if (failed) throw new Error(`a request failed: ${JSON.stringify(failed)}`)
  return done
}

interface Scenario {
  name: string
  query: string
  headers: [Record<string, string>[], Record<string, string>[]]
}

async function main() {
  const [on, off] = await Promise.all([start(true), start(false)])
  const store = on.deps.limits.kind
  console.log(`limiter bench: ${on.deps.db.mode} database, ${store} limiter store, ${concurrency} in flight, ${rounds} rounds × ${roundMs} ms per side`)
  const [onKeys, offKeys] = await Promise.all([principals(on, manyPrincipals), principals(off, manyPrincipals)])
  const ips = Array.from({ length: manyPrincipals }, (_, i) => ({ 'x-forwarded-for': `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }))
  const viewer = '{ viewer { principal { kind } } }'
  const scenarios: Scenario[] = [
    { name: '1 principal (API key)', query: viewer, headers: [onKeys.slice(0, 1), offKeys.slice(0, 1)] },
    { name: `${manyPrincipals} principals (API keys)`, query: viewer, headers: [onKeys, offKeys] },
    { name: '1 anonymous client IP', query: '{ serverInfo { version } }', headers: [ips.slice(0, 1), ips.slice(0, 1)] },
    { name: `${manyPrincipals} anonymous client IPs`, query: '{ serverInfo { version } }', headers: [ips, ips] },
  ]
  const results: { scenario: string; on: number; off: number; ratio: number; totals: number }[] = []
  for (const s of scenarios) {
    await run(on, s.query, s.headers[0], 300) // warm-up
    await run(off, s.query, s.headers[1], 300)
    let [onTotal, offTotal] = [0, 0]
    const ratios: number[] = []
    for (let r = 0; r < rounds; r++) {
      // on, off | off, on | …: each side goes first half of the time.
      const order = r % 2 ? ([off, on] as const) : ([on, off] as const)
      const counts = new Map<App, number>()
      for (const app of order) counts.set(app, await run(app, s.query, app === on ? s.headers[0] : s.headers[1], roundMs))
      onTotal += counts.get(on)!
      offTotal += counts.get(off)!
      ratios.push(counts.get(on)! / counts.get(off)!)
    }
    const seconds = (rounds * roundMs) / 1000
    ratios.sort((a, b) => a - b)
    const median = (ratios[(rounds - 1) >> 1]! + ratios[rounds >> 1]!) / 2
    results.push({ scenario: s.name, on: Math.round(onTotal / seconds), off: Math.round(offTotal / seconds), ratio: median, totals: onTotal / offTotal })
  }
  console.log('')
  console.log('| scenario | limiter on (req/s) | limiter off (req/s) | ratio on/off (median of rounds) | ratio of totals |')
  console.log('|---|---:|---:|---:|---:|')
  for (const r of results) console.log(`| ${r.scenario} | ${r.on} | ${r.off} | ${r.ratio.toFixed(3)} ${r.ratio >= 0.95 ? '✓' : '✗ (< 0.95)'} | ${r.totals.toFixed(3)} |`)
  await Promise.all([on.stop(), off.stop()])
}

await main()
