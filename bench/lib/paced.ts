// Latency at a fixed load: each arm gets requests at evenly spaced instants (open loop: a request is sent on time
// whether or not earlier ones were answered), so its p99 is a latency at that load, not the length of a queue.
// autocannon's overallRate is not used: it releases each second's requests in a burst at the second's start, so its
// p99 was the time to drain a burst (docs/performance.md, item 20). Arms alternate within each round (order reversed
// every other round), as in compare().
import http from 'node:http'
import { performance } from 'node:perf_hooks'
import { foreignLoad } from './cpu.ts'
import { settings, type Arm } from './load.ts'
import { fmt, median, spread } from './stats.ts'

export interface PacedResult { name: string; rate: number; p50: number; p99: number; p99s: number[]; bad: number }

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN

/** Sends `rate` requests per second, evenly spaced, for `seconds`; latency is from each request's due instant. */
async function evenly(arm: Arm, seconds: number, rate: number) {
  const foreign = foreignLoad()
  const agent = new http.Agent({ keepAlive: true, maxSockets: settings.connections })
  const url = new URL(arm.url)
  const latencies: number[] = []
  let bad = 0
  const send = (due: number) => new Promise<void>((resolve) => {
    const body = arm.bodyOf?.() ?? arm.body
    const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...arm.headers }
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers }, (res) => {
      res.resume().once('end', () => {
        if (res.statusCode !== 200) bad++
        latencies.push(performance.now() - due)
        resolve()
      })
    })
    req.once('error', () => {
      bad++
      resolve()
    })
    req.end(body)
  })
  const sent: Promise<void>[] = []
  const start = performance.now()
  for (let i = 0; i < Math.round(rate * seconds); i++) {
    const due = start + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    sent.push(send(due))
  }
  await Promise.all(sent)
  agent.destroy()
  latencies.sort((a, b) => a - b)
  return { p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), bad, foreign: foreign() }
}

/** Drives each arm at its own `rate` (req/s) for `rounds` alternating rounds; prints and returns median p50/p99. */
export async function paced(title: string, arms: { arm: Arm; rate: number }[], rounds = Math.max(1, Math.ceil(settings.rounds / 2))): Promise<PacedResult[]> {
  console.log(`\n## ${title}`)
  const seconds = Math.max(3, settings.roundSeconds)
  const got = new Map(arms.map(({ arm }) => [arm.name, [] as { p50: number; p99: number; bad: number; foreign: number }[]]))
  for (let round = 0; round < rounds; round++) {
    for (const { arm, rate } of round % 2 ? [...arms].reverse() : arms) got.get(arm.name)!.push(await evenly(arm, seconds, rate))
  }
  return arms.map(({ arm, rate }) => {
    const s = got.get(arm.name)!
    const p99s = s.map((x) => x.p99)
    const r = { name: arm.name, rate, p50: median(s.map((x) => x.p50)), p99: median(p99s), p99s, bad: s.reduce((n, x) => n + x.bad, 0) }
    const [lo, hi] = spread(p99s)
    const foreign = Math.max(...s.map((x) => x.foreign))
    console.log(`  ${arm.name.padEnd(34)} at ${fmt(rate).padStart(5)} req/s: p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms (${fmt(lo!)}–${fmt(hi!)}), rounds ${s.length}` +
      `${r.bad ? `, ${r.bad} errors` : ''}${foreign > settings.foreignCores ? `, foreign load up to ${foreign.toFixed(2)} cores` : ''}`)
    return r
  })
}
