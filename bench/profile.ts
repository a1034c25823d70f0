// `npm run bench:profile [-- S2|S3]`: CPU profiles of S1 (or S2, S3) on our server in service mode, graphql-jit on
// and off (S3, a mutation: on only), and the share of the CPU each part of the stack takes (self time by package),
// then the functions with the most self time (BENCH_PROFILE_TOP, 25). `-- S1 limiter` profiles the rate limiter on
// and off instead (jit on; limits far above the load, as S5 measures them). The server runs as `npm start` does
// (compiled dist/index.js, so run `npm run build` first), under `--cpu-prof`; autocannon drives the scenario for
// BENCH_PROFILE_SECONDS.
import fs from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'
import { hit } from './lib/load.ts'
import { start } from './lib/procs.ts'
import { seed } from './lib/seed.ts'
import { benchServices } from './support.ts'

const scenarios: Record<string, string> = {
  S1: '{ viewer { principal { kind } tenant { id name } } tools(first: 10) { edges { node { id name kind } } } }',
  S2: '{ agents(first: 50) { edges { node { id name tools { id name agents { id name } } } } } }',
  S3: 'mutation($i: RunAgentInput!) { runAgent(input: $i) { execution { id status } } }',
}
const scenario = (process.argv[2] ?? 'S1').toUpperCase()
const query = scenarios[scenario]
if (!query) throw new Error(`unknown scenario ${scenario}: S1, S2 or S3`)
const seconds = Number(process.env.BENCH_PROFILE_SECONDS ?? 10)
const top = Number(process.env.BENCH_PROFILE_TOP ?? 25)

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }; hitCount?: number }
const buckets: [string, RegExp][] = [
  // yoga 5 executes with @graphql-tools/executor (graphql-js's algorithm, with defer/stream support).
  ['executor: @graphql-tools/executor, graphql-js execution', /node_modules\/(@graphql-tools\/executor|graphql\/execution)\//],
  ['executor: graphql-jit runtime and our jit plugin', /node_modules\/graphql-jit\/|src\/graphql\/jit(-paths)?\.ts/],
  ['graphql-js other (parse, validate, utilities)', /node_modules\/graphql\//],
  ['pothos plugins', /node_modules\/@pothos\//],
  ['envelop / yoga / whatwg', /node_modules\/(@envelop|graphql-yoga|@graphql-yoga|@whatwg-node|@graphql-tools)\//],
  ['prisma', /node_modules\/(@prisma|\.prisma)\/|src\/generated\//],
  ['pg', /node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//],
  ['ioredis', /node_modules\/(ioredis|@ioredis|redis-parser)\//],
  ['pino (logging)', /node_modules\/pino/],
  ['zod', /node_modules\/zod\//],
  ['our code: limits and admission', /(^|\/)src\/(limits\/|admission\.ts)/],
  ['our code (src)', /(^|\/)src\//],
  ['other node_modules', /node_modules\//],
  ['node internals', /^node:/],
]

/**
 * Each non-idle sample of a profile as its function and source file. The compiled server is a bundle: a frame in
 * dist/ is mapped through the bundle's source map to the file it came from (src/…, node_modules/…).
 */
function samplesOf(file: string): { fn: string; source: string }[] {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] }
  const maps = new Map<string, SourceMap | undefined>()
  const mapOf = (url: string) => {
    if (!maps.has(url)) {
      const js = url.startsWith('file://') ? fileURLToPath(url) : url
      maps.set(url, js.includes('/dist/') && fs.existsSync(`${js}.map`) ? new SourceMap(JSON.parse(fs.readFileSync(`${js}.map`, 'utf8'))) : undefined)
    }
    return maps.get(url)
  }
  const frames = new Map(profile.nodes.map((n) => {
    const { functionName, url, lineNumber, columnNumber } = n.callFrame
    const entry = url ? mapOf(url)?.findEntry(lineNumber, columnNumber) : undefined
    const source = entry && 'originalSource' in entry ? String(entry.originalSource).replace(/^.*?\/(node_modules|src)\//, '$1/') : url
    return [n.id, { fn: functionName, source }]
  }))
  return profile.samples.map((id) => frames.get(id)!).filter((f) => f.fn !== '(idle)' && f.fn !== '(program)')
}

type Sample = ReturnType<typeof samplesOf>[number]

/** Self time per key as a share of all non-idle samples, largest first (the first `limit` keys). */
function tally(samples: Sample[], keyOf: (s: Sample) => string, limit = Infinity) {
  const counts = new Map<string, number>()
  for (const s of samples) counts.set(keyOf(s), (counts.get(keyOf(s)) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([k, v]) => [k, (100 * v) / samples.length] as const)
}

/** The part of the stack a sample is in. Generated code (graphql-jit's compiled queries) has no url. */
const bucketOf = ({ fn, source }: Sample) => fn === '(garbage collector)' ? 'garbage collector'
  : buckets.find(([, re]) => re.test(source))?.[0] ?? (source === '' ? 'generated / native (no url)' : 'other')

/** Prints the self time of a profile by part of the stack, by function and by source file. */
function report(file: string) {
  const samples = samplesOf(file)
  for (const [title, rows] of [
    ['self time by part of the stack:', tally(samples, bucketOf)],
    ['functions with the most self time:', tally(samples, ({ fn, source }) => `${fn || '(anonymous)'} ${source}`, top)],
    ['source files with the most self time:', tally(samples, ({ source }) => source, top)],
  ] as const) {
    console.log(`  ${title}`)
    for (const [k, v] of rows) console.log(`  ${v.toFixed(1).padStart(5)} %  ${k}`)
  }
}

// BENCH_PROFILE_FILE: analyse a profile written earlier instead of running the server.
if (process.env.BENCH_PROFILE_FILE) {
  report(process.env.BENCH_PROFILE_FILE)
  process.exit(0)
}

const services = await benchServices()
try {
  const arms = process.argv[3] === 'limiter'
    ? [{ name: 'limiter on', env: { RATE_LIMITS_ENABLED: 'true' } }, { name: 'limiter off', env: { RATE_LIMITS_ENABLED: 'false' } }]
    : (scenario === 'S3' ? ['true'] : ['true', 'false']).map((jit) => ({ name: `GRAPHQL_JIT=${jit}`, env: { GRAPHQL_JIT: jit, RATE_LIMITS_ENABLED: 'false' } }))
  for (const { name, env } of arms) {
    const label = name.replace(/\W+/g, '-')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${scenario.toLowerCase()}-prof-${label}-`))
    const proc = await start(`ours, ${name}`, ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'dist/index.js'], {
      ...services.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '0',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', RATE_LIMIT_FREE_PER_MINUTE: '10000000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10000000',
      ...env,
    }, (url) => fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then((r) => r.ok, () => false))
    const { apiKey, agentId } = await seed(proc.url, `profile-${label}`)
    const variables = scenario === 'S3' ? { i: { agentId, prompt: 'bench' } } : undefined
    const arm = { name: `${scenario} ${name}`, url: `${proc.url}/graphql`, body: JSON.stringify({ query, variables }), headers: { 'x-api-key': apiKey } }
    await hit(arm, 3)
    const sample = await hit(arm, seconds)
    await proc.stop()
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error(`no profile written in ${dir}`)
    const profile = path.join(dir, file)
    console.log(`\n## ${scenario}, ${name}: ${Math.round(sample.rps)} req/s while profiled (${profile})`)
    report(profile)
  }
} finally {
  await services.stop()
}
