// `npm run bench [-- S1 S2 …]`: every scenario of docs/performance.md against its baselines, in the same run, on
// loopback. Starts PostgreSQL 15 + Redis (service mode) itself, our server as `npm start` runs it (production, rate
// limits off unless measured), and each baseline; prints medians with spread and the ratios against the targets.
//   S1 viewer + tools(first: 10) with an API key: vs bare yoga hello, mercurius + graphql-jit hello, raw node + pg;
//      and the embedded (PGlite) server's p99.
//   S2 agents(first: 50) { tools { agents } }: vs raw node + pg with hand-written SQL.
//   S3 runAgent (async): vs raw INSERT + PUBLISH; p99 at half of our measured throughput.
//   S4 event fan-out, 1,000 subscribers (bench/fanout.ts): vs raw `ws` broadcast.
//   S5 rate limiter on / off for S1, S2 and an anonymous request.
//   S0 start-up to first answer and idle RSS, medians of several starts (lib/startup.ts; `npm run bench:startup` alone).
// BENCH_ROUNDS, BENCH_ROUND_SECONDS, BENCH_CONNECTIONS, BENCH_FOREIGN_CORES tune it (lib/load.ts).
import { spawn } from 'node:child_process'
import { compare, ratio, settings, type Arm } from './lib/load.ts'
import { paced } from './lib/paced.ts'
import { startBaseline, startOurs, type Proc } from './lib/procs.ts'
import { buildServer, cleanCompiled, measureStartup, startupArms } from './lib/startup.ts'
import { seed } from './lib/seed.ts'
import { fmt } from './lib/stats.ts'
import { benchServices, tempDirFor } from './support.ts'

const wanted = new Set(process.argv.slice(2).map((s) => s.toUpperCase()))
const runs = (s: string) => wanted.size === 0 || wanted.has(s)

const S1 = '{ viewer { principal { kind } tenant { id name } } tools(first: 10) { edges { node { id name kind } } } }'
const S2 = '{ agents(first: 50) { edges { node { id name tools { id name agents { id name } } } } } }'
const S3 = 'mutation($i: RunAgentInput!) { runAgent(input: $i) { execution { id status } } }'
const ANON = '{ serverInfo { version } }'
const body = (query: string, variables?: object) => JSON.stringify({ query, variables })
// S2 answers ~20 req/s with a p99 near 3 s at 50 connections: 3-second rounds complete fewer requests than connections.
const S2_ROUND_SECONDS = Math.max(settings.roundSeconds, 8)

buildServer()
const services = await benchServices()
if (!services.env.DATABASE_URL) throw new Error('npm run bench needs PostgreSQL and Redis binaries (or DATABASE_URL and REDIS_URL)')
console.log(`# npm run bench: ${services.label}, ${new Date().toISOString()}`)
const started: Proc[] = []
const track = async (p: Promise<Proc>) => {
  const proc = await p
  started.push(proc)
  return proc
}
try {
  // First, while nothing else of ours runs.
  if (runs('S0')) await measureStartup(await startupArms(services.env))
  const ours = await track(startOurs('ours (service)', services.env))
  const yoga = await track(startBaseline('yoga-hello'))
  const data = await seed(ours.url, 'service')
  const key = { 'x-api-key': data.apiKey }
  const raw = await track(startBaseline('raw-pg', services.env))
  // The same server with graphql-jit off, on the same database, for the jit's same-run ratio in S1 and S2.
  const noJit = runs('S1') || runs('S2') ? await track(startOurs('ours, GRAPHQL_JIT=false', { ...services.env, GRAPHQL_JIT: 'false' })) : undefined
  const ourArm = (name: string, q: string, p = ours, k: Record<string, string> = key): Arm => ({ name, url: `${p.url}/graphql`, body: body(q), headers: k })
  const yogaArm: Arm = { name: 'bare yoga hello', url: `${yoga.url}/graphql`, body: body('{ hello }') }

  if (runs('S1')) {
    const embedded = await track(startOurs('ours (embedded)', { DATA_DIR: tempDirFor('bench-embedded') }))
    const eData = await seed(embedded.url, 'embedded')
    const merc = await track(startBaseline('mercurius-hello'))
    const r = await compare('S1 viewer + tools(first: 10), API key', [
      ourArm('ours (service)', S1), yogaArm, { name: 'mercurius + jit hello', url: `${merc.url}/graphql`, body: body('{ hello }') },
      { name: 'raw node + pg (same JSON)', url: `${raw.url}/s1`, body: body(S1), headers: key },
      ourArm('ours (embedded)', S1, embedded, { 'x-api-key': eData.apiKey }),
      ourArm('ours, GRAPHQL_JIT=false', S1, noJit),
    ])
    ratio(r[0]!, r[1]!, 0.5)
    ratio(r[0]!, r[2]!)
    ratio(r[0]!, r[3]!)
    console.log(`  embedded p99 at ${r[4]!.name}: ${fmt(r[4]!.p99)} ms (target ≤ 100 ms); ratio to bare yoga below`)
    ratio(r[4]!, r[1]!)
    ratio(r[5]!, r[1]!)
    ratio(r[0]!, r[5]!)
  }
  if (runs('S2')) {
    const r = await compare('S2 agents(first: 50) { tools { agents } }', [ourArm('ours (service)', S2), { name: 'raw node + pg (same JSON)', url: `${raw.url}/s2`, body: body(S2), headers: key }, ourArm('ours, GRAPHQL_JIT=false', S2, noJit)], S2_ROUND_SECONDS)
    ratio(r[0]!, r[1]!, 0.5)
    ratio(r[2]!, r[1]!)
    ratio(r[0]!, r[2]!)
  }
  if (runs('S3')) {
    const input = { agentId: data.agentId, prompt: 'bench' }
    const r = await compare('S3 runAgent (queued, no worker)', [
      { ...ourArm('ours (service)', S3), body: body(S3, { i: input }) },
      { name: 'raw INSERT + PUBLISH', url: `${raw.url}/s3`, body: body(S3, { i: input }), headers: key },
    ])
    ratio(r[0]!, r[1]!, 0.3)
    // Paced at half of the throughput just measured: a latency at that load, not the length of a queue.
    const [h] = await paced('S3 at half load', [{ arm: { ...ourArm('ours (service)', S3), body: body(S3, { i: input }) }, rate: Math.max(1, Math.round(r[0]!.rps / 2)) }])
    console.log(`  p99 at half load: ${fmt(h!.p99)} ms (target ≤ 50 ms)`)
  }
  if (runs('S5')) {
    const limited = await track(startOurs('ours, limiter on', services.env, true))
    for (const [name, q, k] of [['S1', S1, key], ['S2', S2, key], ['anonymous', ANON, {}]] as const) {
      const r = await compare(`S5 limiter on / off: ${name}`, [ourArm('limiter on', q, limited, k), ourArm('limiter off', q, ours, k)], q === S2 ? S2_ROUND_SECONDS : undefined)
      ratio(r[0]!, r[1]!, 0.95)
    }
  }
  if (runs('S4')) {
    console.log('\n## S4 event fan-out (bench/fanout.ts)')
    await new Promise<void>((resolve, reject) => spawn(process.execPath, ['--import', 'tsx', 'bench/fanout.ts'], { env: { ...process.env, ...services.env, NODE_ENV: 'production' }, stdio: 'inherit' })
      .once('exit', (code) => (code ? reject(new Error(`fanout exited with ${code}`)) : resolve())))
    console.log('  targets: throughput ratio ≥ 0.8, p99 ≤ 2× the raw broadcast')
  }
} finally {
  cleanCompiled()
  await Promise.all(started.map((p) => p.stop()))
  await services.stop()
}
