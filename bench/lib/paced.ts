// Latency at a fixed load: each arm is driven at a set rate (autocannon's overallRate) rather than as fast as it
// answers, so its p99 is a latency at that load, not the length of a queue of 50 connections. Arms alternate within
// each round (order reversed every other round), as in compare().
import { hit, settings, type Arm } from './load.ts'
import { fmt, median, spread } from './stats.ts'

export interface PacedResult { name: string; rate: number; p50: number; p99: number; p99s: number[]; bad: number }

/** Drives each arm at its own `rate` (req/s) for `rounds` alternating rounds; prints and returns median p50/p99. */
export async function paced(title: string, arms: { arm: Arm; rate: number }[], rounds = Math.max(1, Math.ceil(settings.rounds / 2))): Promise<PacedResult[]> {
  console.log(`\n## ${title}`)
  const seconds = Math.max(3, settings.roundSeconds)
  const got = new Map(arms.map(({ arm }) => [arm.name, [] as { p50: number; p99: number; bad: number; foreign: number }[]]))
  for (let round = 0; round < rounds; round++) {
    for (const { arm, rate } of round % 2 ? [...arms].reverse() : arms) got.get(arm.name)!.push(await hit(arm, seconds, rate))
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
