// `npm run bench:ab-s3 -- <other dist/index.js>…`: S3 (runAgent, queued) on this tree's compiled server against other
// builds of it (e.g. the commits before a change, built in copies of the repository), same PostgreSQL and Redis, same run.
// Rounds alternate the builds and the raw INSERT + PUBLISH (order reversed every other round) and record, besides
// throughput, the CPU time per request of the server process and of the rest of the benchmark's process tree
// (PostgreSQL, Redis; the load generator excluded): on a machine others keep busy, CPU per request moves far less than
// throughput. Then each build is paced at half of its own measured throughput for its p99 (lib/paced.ts), and both
// at the same rate. Build this tree first (`npm run build`). BENCH_ROUNDS, BENCH_ROUND_SECONDS, BENCH_CONNECTIONS.
import path from 'node:path'
import { treeCpuMs } from './lib/cpu.ts'
import { hit, ratio, settings, type Arm, type ArmResult, type Sample } from './lib/load.ts'
import { paced } from './lib/paced.ts'
import { benchEnv, start, startBaseline, startOurs, type Proc } from './lib/procs.ts'
import { seed } from './lib/seed.ts'
import { fmt, median, spread } from './lib/stats.ts'
import { benchServices } from './support.ts'

const others = process.argv.slice(2)
if (!others.length) throw new Error('usage: bench/ab-s3.ts <path to another build\'s dist/index.js>…')
const S3 = 'mutation($i: RunAgentInput!) { runAgent(input: $i) { execution { id status } } }'
const answers = (url: string) => fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' }).then((r) => r.ok)

const services = await benchServices()
const started: Proc[] = []
try {
  const procs: Proc[] = []
  for (const [i, other] of others.entries()) procs.push(await start(`build ${i + 1}`, [path.resolve(other)], { PATH: process.env.PATH!, ...benchEnv(), ...services.env }, answers))
  procs.push(await startOurs('this tree', services.env), await startBaseline('raw-pg', services.env))
  started.push(...procs)
  const armOf = async (name: string, p: Proc): Promise<Arm> => {
    const data = await seed(p.url, name.replace(/\W+/g, '-'))
    return { name, url: `${p.url}/graphql`, body: JSON.stringify({ query: S3, variables: { i: { agentId: data.agentId, prompt: 'bench' } } }), headers: { 'x-api-key': data.apiKey } }
  }
  const arms: Arm[] = []
  for (const p of procs.slice(0, -1)) arms.push(await armOf(p.name, p))
  const all = [...arms, { ...arms.at(-1)!, name: 'raw INSERT + PUBLISH', url: `${procs.at(-1)!.url}/s3` }]
  console.log(`\n## S3 A/B: ${others.map((o, i) => `build ${i + 1} = ${o}`).join(', ')}; ${settings.rounds} rounds of ${settings.roundSeconds} s, ${settings.connections} connections`)
  for (const a of all) await hit(a, 1)
  const got = all.map(() => [] as (Sample & { server: number; rest: number; foreign: number })[])
  for (let round = 0; round < settings.rounds; round++) {
    const order = all.map((_, i) => i)
    for (const i of round % 2 ? order.reverse() : order) {
      const s0 = treeCpuMs(procs[i]!.pid)
      const t0 = treeCpuMs(process.pid) - treeCpuMs(process.pid, true)
      const r = await hit(all[i]!, settings.roundSeconds)
      const n = r.rps * settings.roundSeconds
      const server = (treeCpuMs(procs[i]!.pid) - s0) / n
      const rest = (treeCpuMs(process.pid) - treeCpuMs(process.pid, true) - t0) / n - server
      if (r.bad) console.log(`  round ${round + 1}: ${all[i]!.name} answered ${r.bad} errors`)
      got[i]!.push({ ...r, server, rest })
    }
  }
  const results: ArmResult[] = all.map((a, i) => ({ name: a.name, samples: got[i]!, rps: median(got[i]!.map((x) => x.rps)), p99: median(got[i]!.map((x) => x.p99)) }))
  all.forEach((a, i) => {
    const s = got[i]!
    const [lo, hi] = spread(s.map((x) => x.rps))
    console.log(`  ${a.name.padEnd(22)} ${fmt(results[i]!.rps).padStart(6)} req/s (${fmt(lo!)}–${fmt(hi!)})  p99 ${fmt(results[i]!.p99).padStart(6)} ms  ` +
      `CPU per request: server ${fmt(median(s.map((x) => x.server)), 2)} ms, database and Redis ${fmt(median(s.map((x) => x.rest)), 2)} ms  ` +
      `foreign load ${fmt(median(s.map((x) => x.foreign)), 2)} cores`)
  })
  const ours = results.at(-2)!
  for (const r of results.slice(0, -2)) ratio(ours, r)
  for (const r of results.slice(0, -1)) ratio(r, results.at(-1)!, 0.3)
  await paced('S3 at half of each build\'s throughput', arms.map((a, i) => ({ arm: a, rate: Math.max(1, Math.round(results[i]!.rps / 2)) })))
  const common = Math.max(1, Math.round(results[0]!.rps / 2))
  await paced(`S3 at the same rate for all (half of build 1's, ${common} req/s)`, arms.map((a) => ({ arm: a, rate: common })))
} finally {
  await Promise.all(started.map((p) => p.stop()))
  await services.stop()
}
