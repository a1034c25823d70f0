// Splits a `bench:fanout` CPU profile into the categories of docs/performance.md (items 12 and 18): CPU per delivery
// from the first event's append to the last frame written, each sample given to the innermost frame of its stack
// that belongs to a category (idle left out).
//   SUBSCRIBERS=300 EVENTS=100 node --cpu-prof --cpu-prof-dir=/tmp/fanout --import tsx bench/fanout.ts
//   node --import tsx bench/fanout-profile.ts /tmp/fanout/<largest>.cpuprofile <deliveries>
import fs from 'node:fs'

interface CallFrame { functionName: string; url: string }
interface Profile { nodes: { id: number; callFrame: CallFrame; children?: number[] }[]; samples: number[]; timeDeltas: number[]; startTime: number }

const [file, deliveriesArg] = process.argv.slice(2)
if (!file || !deliveriesArg) throw new Error('usage: fanout-profile.ts <file.cpuprofile> <deliveries>')
const deliveries = Number(deliveriesArg)
const p = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile
const byId = new Map(p.nodes.map((n) => [n.id, n]))
const parent = new Map<number, number>()
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
const stack = (id: number) => {
  const frames: CallFrame[] = []
  for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) frames.push(byId.get(c)!.callFrame)
  return frames
}
const rules: [string, (f: CallFrame) => boolean][] = [
  ['GC', (f) => f.functionName === '(garbage collector)'],
  ['idle', (f) => f.functionName === '(idle)'],
  ['the benchmark\'s graphql-ws clients', (f) => /graphql-ws\/dist\/client|bench\/fanout|ws\/lib\/receiver/.test(f.url)],
  ['pub/sub wake-ups', (f) => /redis-subscriptions|src\/pubsub\//.test(f.url)],
  ['log cache reads', (f) => /log-cache|services\/streams/.test(f.url)],
  ['database, writer, Redis', (f) => /@prisma|node_modules\/pg|pg-protocol|ioredis|wasm|services\/runs|execution-log/.test(f.url)],
  ['socket send', (f) => /ws\/lib\/(sender|websocket)|writev|stream_base|writeGeneric/.test(f.url + f.functionName)],
  ['delivery chain', (f) => /follow\.ts|pushable|direct-frames|feed\.ts|subscriptions\.ts|fan-out|graphql-ws|@envelop|observability|node_modules\/graphql\/|src\/ws\.ts|metrics|prom-client/.test(f.url)],
]
const times: number[] = []
let t = p.startTime
for (const d of p.timeDeltas) times.push((t += d))
let first = Infinity
let last = 0
for (const [i, id] of p.samples.entries()) {
  const s = stack(id)
  if (s.some((f) => /runs\/writer/.test(f.url))) first = Math.min(first, times[i]!)
  if (s.some((f) => /direct-frames|feed\.ts/.test(f.url))) last = Math.max(last, times[i]!)
}
const byCategory = new Map<string, number>()
let busy = 0
for (const [i, id] of p.samples.entries()) {
  if (times[i]! < first || times[i]! > last) continue
  const s = stack(id)
  const category = s.map((f) => rules.find(([, test]) => test(f))?.[0]).find(Boolean)
    ?? (s.some((f) => /runMicrotasks|processTicksAndRejections|async_hooks/.test(f.functionName + f.url)) ? 'microtasks, promise hooks' : 'other')
  const dt = p.timeDeltas[i + 1] ?? 0
  byCategory.set(category, (byCategory.get(category) ?? 0) + dt)
  if (category !== 'idle') busy += dt
}
console.log(`window ${((last - first) / 1e6).toFixed(2)} s, ${(busy / deliveries).toFixed(1)} µs of CPU per delivery (${deliveries} deliveries)`)
for (const [k, v] of [...byCategory].sort((a, b) => b[1] - a[1])) if (k !== 'idle') console.log(`${(v / deliveries).toFixed(1).padStart(7)} µs  ${k}`)
