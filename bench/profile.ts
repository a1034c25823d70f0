// `npm run bench:profile [-- S2]`: CPU profiles of S1 (or S2) on our server in service mode, graphql-jit on and off, and the share of
// the CPU each part of the stack takes (self time by package). The server runs as `npm start` does (compiled
// dist/index.js, so run `npm run build` first), under `--cpu-prof`; autocannon drives S1 for BENCH_PROFILE_SECONDS.
import fs from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import { hit } from './lib/load.ts'
import { start } from './lib/procs.ts'
import { seed } from './lib/seed.ts'
import { benchServices } from './support.ts'

const scenarios: Record<string, string> = {
  S1: '{ viewer { principal { kind } tenant { id name } } tools(first: 10) { edges { node { id name kind } } } }',
  S2: '{ agents(first: 50) { edges { node { id name tools { id name agents { id name } } } } } }',
}
const scenario = (process.argv[2] ?? 'S1').toUpperCase()
const query = scenarios[scenario]
if (!query) throw new Error(`unknown scenario ${scenario}: S1 or S2`)
const seconds = Number(process.env.BENCH_PROFILE_SECONDS ?? 10)

interface Node { id: number; callFrame: { functionName: string; url: string }; hitCount?: number }
const buckets: [string, RegExp][] = [
  // yoga 5 executes with @graphql-tools/executor (graphql-js's algorithm, with defer/stream support).
  ['executor: @graphql-tools/executor, graphql-js execution', /node_modules\/(@graphql-tools\/executor|graphql\/execution)\//],
  ['executor: graphql-jit runtime and our jit plugin', /node_modules\/graphql-jit\/|dist\/graphql\/jit(-paths)?\.js/],
  ['graphql-js other (parse, validate, utilities)', /node_modules\/graphql\//],
  ['pothos plugins', /node_modules\/@pothos\//],
  ['envelop / yoga / whatwg', /node_modules\/(@envelop|graphql-yoga|@graphql-yoga|@whatwg-node|@graphql-tools)\//],
  ['prisma', /node_modules\/(@prisma|\.prisma)\/|src\/generated\//],
  ['pg', /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//],
  ['pino (logging)', /node_modules\/pino/],
  ['our code (dist)', /\/dist\//],
  ['other node_modules', /node_modules\//],
  ['node internals', /^node:/],
]

/** Self time per bucket as a share of all non-idle samples. Generated code (graphql-jit's compiled queries) has no url. */
function shares(file: string) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const counts = new Map<string, number>()
  let total = 0
  for (const id of profile.samples) {
    const { functionName, url } = byId.get(id)!.callFrame
    if (functionName === '(idle)' || functionName === '(program)') continue
    total++
    const bucket = functionName === '(garbage collector)' ? 'garbage collector'
      : buckets.find(([, re]) => re.test(url))?.[0] ?? (url === '' ? 'generated / native (no url)' : 'other')
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, (100 * v) / total] as const)
}

const services = await benchServices()
try {
  const results: Record<string, { rps: number; shares: (readonly [string, number])[] }> = {}
  for (const jit of ['true', 'false']) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${scenario.toLowerCase()}-prof-jit-${jit}-`))
    const proc = await start(`ours, GRAPHQL_JIT=${jit}`, ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'dist/index.js'], {
      ...services.env, GRAPHQL_JIT: jit, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '0',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', RATE_LIMITS_ENABLED: 'false',
    }, (url) => fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then((r) => r.ok, () => false))
    const { apiKey } = await seed(proc.url, `profile-${jit}`)
    const arm = { name: `${scenario} jit=${jit}`, url: `${proc.url}/graphql`, body: JSON.stringify({ query }), headers: { 'x-api-key': apiKey } }
    await hit(arm, 3)
    const sample = await hit(arm, seconds)
    await proc.stop()
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error(`no profile written in ${dir}`)
    results[jit] = { rps: sample.rps, shares: shares(path.join(dir, file)) }
    console.log(`\n## ${scenario}, GRAPHQL_JIT=${jit}: ${Math.round(sample.rps)} req/s while profiled (${path.join(dir, file)})`)
    for (const [k, v] of results[jit].shares) console.log(`  ${v.toFixed(1).padStart(5)} %  ${k}`)
  }
} finally {
  await services.stop()
}
