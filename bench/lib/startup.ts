// S0: start-up to first answer and idle RSS, as medians over several starts, next to bare yoga started the same way
// (compiled JavaScript on plain node: no tsx on either side). Starts alternate between arms, order reversed every
// other round, so drift hits every arm alike; a start during which other processes used the cores is marked.
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'
import { foreignLoad } from './cpu.ts'
import { start, startOurs, type Proc } from './procs.ts'
import { fmt, median, spread } from './stats.ts'
import { tempDirFor } from '../support.ts'

const root = path.resolve(import.meta.dirname, '../..')
const env = process.env
const settings = {
  starts: Math.max(3, Number(env.BENCH_STARTS ?? 5)),
  /** Idle time after the first answer before RSS is read (timers, lazy loads and GC settle). */
  idleMs: Number(env.BENCH_IDLE_SECONDS ?? 3) * 1000,
  foreignCores: Number(env.BENCH_FOREIGN_CORES ?? 0.35),
}

interface Arm { name: string; target?: string; launch(): Promise<Proc> }
interface Sample { startupMs: number; cpuMs: number; rssMb: number; foreign: number }

/** `npm run build`, as `prestart` does before `npm start`. */
export function buildServer() {
  const r = spawnSync(process.execPath, ['ops/scripts/build.mjs'], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) throw new Error('npm run build failed')
}

/** Bare yoga compiled to plain JavaScript beside the sources, so that it starts exactly as our dist/ does. */
async function compiledYoga(): Promise<string> {
  const out = path.join(root, '.tmp', 'bench', 'yoga-hello.mjs')
  await build({ entryPoints: [path.join(root, 'bench/baselines/yoga-hello.ts')], outfile: out, format: 'esm', platform: 'node', logLevel: 'warning' })
  return out
}

const answersHello = (url: string) => fetch(url + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ hello }"}' }).then((r) => r.ok)

/** The arms: bare yoga; ours in service mode; ours embedded on a fresh data directory and restarted on a used one. */
export async function startupArms(serviceEnv: Record<string, string>): Promise<Arm[]> {
  const yoga = await compiledYoga()
  const usedDir = tempDirFor('bench-s0-used')
  // The first boot on a directory creates and migrates it; every later one reopens it.
  await (await startOurs('warm-up', { DATA_DIR: usedDir, WORKERS: undefined })).stop()
  return [
    { name: 'bare yoga hello', launch: () => start('bare yoga', [yoga], {}, answersHello) },
    { name: 'ours, service (PostgreSQL + Redis)', target: '≤ 2,000 ms, ≤ 200 MB', launch: () => startOurs('ours (service)', { ...serviceEnv, WORKERS: undefined }) },
    { name: 'ours, embedded, existing data dir', target: '≤ 3,000 ms', launch: () => startOurs('ours (embedded)', { DATA_DIR: usedDir, WORKERS: undefined }) },
    { name: 'ours, embedded, first boot (new dir)', launch: () => startOurs('ours (embedded, new)', { DATA_DIR: tempDirFor('bench-s0-new'), WORKERS: undefined }) },
  ]
}

async function sample(arm: Arm): Promise<Sample> {
  const foreign = foreignLoad()
  const proc = await arm.launch()
  try {
    await new Promise((r) => setTimeout(r, settings.idleMs))
    return { startupMs: proc.startupMs, cpuMs: proc.startupCpuMs, rssMb: proc.rssMb(), foreign: foreign() }
  } finally {
    await proc.stop()
  }
}

/** Runs every arm `BENCH_STARTS` times (alternating) and prints medians with their spread. */
export async function measureStartup(arms: Arm[]) {
  // The probe's first fetch loads undici in this process (~0.1–0.2 s): do it now, not inside the first start timed.
  await fetch('http://127.0.0.1:9/').catch(() => {})
  const samples = new Map<Arm, Sample[]>(arms.map((a) => [a, []]))
  for (let round = 0; round < settings.starts; round++) {
    for (const arm of round % 2 ? [...arms].reverse() : arms) samples.get(arm)!.push(await sample(arm))
  }
  console.log(`\n## S0 start-up to first answer (wall, and the process's CPU until then), idle RSS after ${settings.idleMs / 1000} s`)
  console.log(`   medians of ${settings.starts} starts (min–max)`)
  for (const [arm, all] of samples) {
    const quiet = all.filter((s) => s.foreign <= settings.foreignCores)
    const used = quiet.length >= 3 ? quiet : all
    const ms = used.map((s) => s.startupMs)
    const mb = used.map((s) => s.rssMb)
    const cpu = median(used.map((s) => s.cpuMs))
    const [msLo, msHi] = spread(ms) as [number, number]
    const [mbLo, mbHi] = spread(mb) as [number, number]
    const note = used === all && quiet.length < all.length ? `  (${all.length - quiet.length} starts under foreign load, kept: fewer than 3 quiet)` : ''
    console.log(`  ${arm.name.padEnd(38)} ${fmt(median(ms)).padStart(6)} ms (${fmt(msLo)}–${fmt(msHi)})   CPU ${fmt(cpu).padStart(5)} ms   ${fmt(median(mb)).padStart(4)} MB (${fmt(mbLo)}–${fmt(mbHi)})` +
      `${arm.target ? `   target ${arm.target}` : ''}${note}`)
  }
}

/** Leaves nothing behind in the temporary directory but what tempDirFor made (removed by the OS). */
export const cleanCompiled = () => fs.rmSync(path.join(root, '.tmp', 'bench'), { recursive: true, force: true })
