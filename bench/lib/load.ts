// Load rounds with autocannon: arms alternate within each round (order reversed every other round) so drift hits
// every arm alike; a round with errors, non-2xx answers or foreign CPU load is voided.
import autocannon from 'autocannon'
import { foreignLoad } from './cpu.ts'
import { fmt, median, spread } from './stats.ts'

export interface Arm {
  name: string
  url: string
  body: string
  headers?: Record<string, string>
  /** Body of each request when it must vary (e.g. idempotency keys); overrides `body`. */
  bodyOf?: () => string
}

export interface Sample { rps: number; p50: number; p99: number }
export interface ArmResult { name: string; samples: Sample[]; rps: number; p99: number }

const env = process.env
export const settings = {
  connections: Number(env.BENCH_CONNECTIONS ?? 50),
  roundSeconds: Number(env.BENCH_ROUND_SECONDS ?? 3),
  rounds: Number(env.BENCH_ROUNDS ?? 5),
  /** Cores used outside our process tree above which a round is voided. */
  foreignCores: Number(env.BENCH_FOREIGN_CORES ?? 0.35),
}

/** One autocannon run: `settings.connections` connections, each sending its next request when answered. */
export async function hit(arm: Arm, seconds: number) {
  const foreign = foreignLoad()
  const r = await autocannon({
    url: arm.url, method: 'POST', connections: settings.connections, duration: seconds, body: arm.body,
    headers: { 'content-type': 'application/json', ...arm.headers },
    ...(arm.bodyOf && { requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, body: arm.bodyOf!() }) }] }),
  })
  // Fewer answers than connections: most requests outlived the round, so its rate and latency mean nothing.
  const starved = r.requests.total < settings.connections
  return { rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.errors + r.timeouts + r.non2xx, starved, foreign: foreign() }
}

/**
 * Warms every arm up, then runs `rounds` alternating rounds of `seconds` each; prints and returns per-arm medians. A
 * slow scenario needs rounds long enough for each connection to complete a few requests.
 */
export async function compare(title: string, arms: Arm[], seconds = settings.roundSeconds): Promise<ArmResult[]> {
  console.log(`\n## ${title}`)
  for (const arm of arms) await hit(arm, 1)
  const clean = new Map(arms.map((a) => [a.name, [] as Sample[]]))
  const loaded = new Map(arms.map((a) => [a.name, [] as Sample[]]))
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 ? [...arms].reverse() : arms
    const got: [string, Sample][] = []
    let foreign = 0
    let failed = false
    for (const arm of order) {
      const r = await hit(arm, seconds)
      if (r.bad || r.starved) {
        failed = true
        console.log(`  round ${round + 1} voided: ${arm.name} ${r.bad ? `answered ${r.bad} errors` : 'completed fewer requests than connections (requests outlived the round)'}`)
        break
      }
      foreign = Math.max(foreign, r.foreign)
      got.push([arm.name, r])
    }
    if (failed) continue
    if (foreign > settings.foreignCores) console.log(`  round ${round + 1} voided: foreign load ${foreign.toFixed(2)} cores`)
    for (const [name, s] of got) (foreign > settings.foreignCores ? loaded : clean).get(name)!.push(s)
  }
  // On a machine others keep busy every round may be voided; then report the loaded rounds, marked as such.
  const usable = clean.get(arms[0]!.name)!.length
  if (!usable) console.log('  no round free of foreign load: figures below come from loaded rounds (compare ratios, not absolutes)')
  const samples = usable ? clean : loaded
  const results = arms.map((a) => {
    const s = samples.get(a.name)!
    return { name: a.name, samples: s, rps: median(s.map((x) => x.rps)), p99: median(s.map((x) => x.p99)) }
  })
  for (const r of results) {
    const [lo, hi] = spread(r.samples.map((x) => x.rps))
    console.log(`  ${r.name.padEnd(34)} ${fmt(r.rps).padStart(7)} req/s (${fmt(lo!)}–${fmt(hi!)})  p99 ${fmt(r.p99).padStart(6)} ms  rounds ${r.samples.length}`)
  }
  return results
}

/** Prints `ours / baseline` (median of per-round ratios, with spread) against a target. */
export function ratio(ours: ArmResult, base: ArmResult, target?: number) {
  const per = ours.samples.map((s, i) => s.rps / (base.samples[i]?.rps ?? NaN)).filter(Number.isFinite)
  const m = median(per)
  const [lo, hi] = spread(per)
  const verdict = target === undefined ? '' : m >= target ? `  target ≥ ${target}: met` : `  target ≥ ${target}: NOT met`
  console.log(`  ratio ${ours.name} / ${base.name}: ${fmt(m, 3)} (${fmt(lo!, 3)}–${fmt(hi!, 3)})${verdict}`)
  return m
}
