// `npm run bench:profile [-- S2]`: CPU profiles of S1 (or S2) on our server in service mode, graphql-jit on and off, and the share of
// the CPU each part of the stack takes (self time by package). `npm run bench:profile -- S1 limiter` profiles the rate
// limiter on and off instead (jit on; limits far above the load, as S5 measures them). BENCH_PROFILE_TOP=30 also lists
// the 30 functions with the most self time; `-- analyse <file>…` reads profiles already written. The server runs as `npm start` does (compiled
// dist/index.js, so run `npm run build` first), under `--cpu-prof`; autocannon drives S1 for BENCH_PROFILE_SECONDS.
import fs from 'node:fs'
import path from 'node:path'
import os from 'node:os'
import { SourceMap, type SourceMapPayload } from 'node:module'
import { fileURLToPath } from 'node:url'
import { hit } from './lib/load.ts'
import { start } from './lib/procs.ts'
import { seed } from './lib/seed.ts'
import { benchServices } from './support.ts'

const scenarios: Record<string, string> = {
  S1: '{ viewer { principal { kind } tenant { id name } } tools(first: 10) { edges { node { id name kind } } } }',
  S2: '{ agents(first: 50) { edges { node { id name tools { id name agents { id name } } } } } }',
}
const scenario = (process.argv[2] ?? 'S1').toUpperCase()
const analyse = scenario === 'ANALYSE'
const query = scenarios[scenario]
if (!query && !analyse) throw new Error(`unknown scenario ${scenario}: S1 or S2 (or analyse <profile>…)`)
const seconds = Number(process.env.BENCH_PROFILE_SECONDS ?? 10)

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
  ['pino (logging)', /node_modules\/pino/],
  ['ioredis', /node_modules\/(ioredis|redis-parser|@ioredis|denque|cluster-key-slot)\//],
  ['our code: limits and admission', /src\/(limits\/|admission\.ts)/],
  ['our code (src)', /\/src\//],
  ['other node_modules', /node_modules\//],
  ['node internals', /^node:/],
]

// dist/ is a bundle: a frame's file is found through the chunk's source map (src/… or node_modules/…).
const maps = new Map<string, SourceMap | undefined>()
function originalOf({ url, lineNumber, columnNumber }: Node['callFrame']): string {
  if (!url.startsWith('file://') || !url.includes('/dist/')) return url
  if (!maps.has(url)) {
    const file = `${fileURLToPath(url)}.map`
    maps.set(url, fs.existsSync(file) ? new SourceMap(JSON.parse(fs.readFileSync(file, 'utf8')) as SourceMapPayload) : undefined)
  }
  const entry = maps.get(url)?.findEntry(lineNumber, columnNumber) as { originalSource?: string } | undefined
  return entry?.originalSource ?? url
}

/**
 * Self time per bucket as a share of all non-idle samples, and the functions with the most self time. Generated code
 * (graphql-jit's compiled queries) and native functions have no url.
 */
function shares(file: string) {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const counts = new Map<string, number>()
  const functions = new Map<string, number>()
  let total = 0
  for (const id of profile.samples) {
    const frame = byId.get(id)!.callFrame
    const { functionName } = frame
    if (functionName === '(idle)' || functionName === '(program)') continue
    total++
    const source = originalOf(frame)
    const bucket = functionName === '(garbage collector)' ? 'garbage collector'
      : buckets.find(([, re]) => re.test(source))?.[0] ?? (source === '' ? 'generated / native (no url)' : 'other')
    counts.set(bucket, (counts.get(bucket) ?? 0) + 1)
    const fn = `${functionName || '(anonymous)'} ${source.replace(/^.*\/(node_modules|src)\//, '$1/')}`
    functions.set(fn, (functions.get(fn) ?? 0) + 1)
  }
  const top = [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.BENCH_PROFILE_TOP ?? 0)).map(([k, v]) => [k, (100 * v) / total] as const)
  return { buckets: [...counts].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, (100 * v) / total] as const), top }
}

if (analyse) {
  // `npm run bench:profile -- analyse <file.cpuprofile>…`: the shares of profiles already written.
  for (const file of process.argv.slice(3)) {
    const { buckets: b, top } = shares(file)
    console.log(`\n## ${file}`)
    for (const [k, v] of [...b, ['functions (self time):', NaN] as const, ...top]) console.log(Number.isNaN(v) ? `  ${k}` : `  ${v.toFixed(1).padStart(5)} %  ${k}`)
  }
  process.exit(0)
}

const services = await benchServices()
try {
  const results: Record<string, { rps: number; shares: ReturnType<typeof shares> }> = {}
  const limiter = process.argv[3] === 'limiter'
  const arms = limiter
    ? [{ name: 'limiter on', env: { RATE_LIMITS_ENABLED: 'true' } }, { name: 'limiter off', env: { RATE_LIMITS_ENABLED: 'false' } }]
    : ['true', 'false'].map((jit) => ({ name: `GRAPHQL_JIT=${jit}`, env: { GRAPHQL_JIT: jit, RATE_LIMITS_ENABLED: 'false' } }))
  for (const { name, env } of arms) {
    const jit = name.replace(/\W+/g, '-')
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `${scenario.toLowerCase()}-prof-${jit}-`))
    const proc = await start(`ours, ${name}`, ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'dist/index.js'], {
      ...services.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '0',
      JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123', RATE_LIMIT_FREE_PER_MINUTE: '10000000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10000000',
      ...env,
    }, (url) => fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then((r) => r.ok, () => false))
    const { apiKey } = await seed(proc.url, `profile-${jit}`)
    const arm = { name: `${scenario} ${name}`, url: `${proc.url}/graphql`, body: JSON.stringify({ query }), headers: { 'x-api-key': apiKey } }
    await hit(arm, 3)
    const sample = await hit(arm, seconds)
    await proc.stop()
    const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    if (!file) throw new Error(`no profile written in ${dir}`)
    results[jit] = { rps: sample.rps, shares: shares(path.join(dir, file)) }
    console.log(`\n## ${scenario}, ${name}: ${Math.round(sample.rps)} req/s while profiled (${path.join(dir, file)})`)
    for (const [k, v] of results[jit].shares.buckets) console.log(`  ${v.toFixed(1).padStart(5)} %  ${k}`)
    if (results[jit].shares.top.length) console.log('  functions (self time):')
    for (const [k, v] of results[jit].shares.top) console.log(`  ${v.toFixed(1).padStart(5)} %  ${k}`)
  }
} finally {
  await services.stop()
}
