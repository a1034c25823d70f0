// Idle RSS of several builds of the server, A/B in one run: `node --import tsx bench/rss-ab.ts DIR[@FLAGS] …`, each
// DIR a build (`BUILD_OUT_DIR=.tmp/ab/x npm run build`; inside the checkout, so packages resolve) and FLAGS a comma
// list of node flags (`--liftoff-only`) and VAR=value environment entries. Starts each in service mode (PostgreSQL +
// Redis, as bench:startup), ROUNDS times (5) alternating, order reversed every other round; reads VmRSS after 3 s
// idle. Prints medians with every sample, and the load average seen.
import os from 'node:os'
import { benchEnv, start } from './lib/procs.ts'
import { median } from './lib/stats.ts'
import { benchServices } from './support.ts'

const arms = process.argv.slice(2).map((a) => {
  const [dir, rest = ''] = a.split('@') as [string, string?]
  const parts = rest.split(',').filter(Boolean)
  return { name: a, dir, flags: parts.filter((p) => p.startsWith('-')), env: Object.fromEntries(parts.filter((p) => !p.startsWith('-')).map((p) => p.split('=') as [string, string])) }
})
if (!arms.length) throw new Error('usage: node --import tsx bench/rss-ab.ts DIR[@FLAGS] …')
const rounds = Number(process.env.ROUNDS ?? 5)
const services = await benchServices()
// WORKERS unset: the default worker pool, as bench:startup and `npm start` run.
const { WORKERS: _workers, ...env } = { ...benchEnv(), ...services.env }
const answers = (url: string) => fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' }).then((r) => r.ok)
await fetch('http://127.0.0.1:9/').catch(() => {}) // loads undici here, not during the first start
const rss = new Map(arms.map((a) => [a, [] as number[]]))
const loads: number[] = []
try {
  await (await start('warm-up (migrations)', [`${arms[0]!.dir}/index.js`], env, answers)).stop()
  for (let r = 0; r < rounds; r++) {
    for (const a of r % 2 ? [...arms].reverse() : arms) {
      const p = await start(a.name, [...a.flags, `${a.dir}/index.js`], { ...env, ...a.env }, answers)
      await new Promise((resolve) => setTimeout(resolve, 3000))
      rss.get(a)!.push(p.rssMb())
      loads.push(os.loadavg()[0]!)
      await p.stop()
    }
  }
} finally {
  await services.stop()
}
console.log(`load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`)
for (const [a, mb] of rss) console.log(`${a.name.padEnd(40)} ${median(mb).toFixed(1)} MB  [${mb.map((x) => x.toFixed(0)).join(' ')}]`)
