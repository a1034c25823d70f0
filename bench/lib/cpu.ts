// Foreign load: CPU the machine spent outside this benchmark's process tree (servers, baselines, PostgreSQL,
// Redis and the load generator all descend from it). A round during which others used the cores is voided.
import fs from 'node:fs'

const HZ = 100 // USER_HZ on Linux

function machineBusyTicks(): number {
  const [cpu] = fs.readFileSync('/proc/stat', 'utf8').split('\n')
  const f = cpu!.trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal
  return f[0]! + f[1]! + f[2]! + f[5]! + f[6]! + f[7]!
}

function ourTicks(root: number): number {
  const procs = new Map<number, { ppid: number; ticks: number }>()
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8')
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // fields after comm: state ppid … utime(14) stime(15) cutime(16) cstime(17) → indices 11..14 here
      procs.set(Number(name), { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]) })
    } catch {
      // exited meanwhile
    }
  }
  const children = new Map<number, number[]>()
  for (const [pid, p] of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), pid])
  let sum = 0
  const stack = [root]
  while (stack.length) {
    const pid = stack.pop()!
    sum += procs.get(pid)?.ticks ?? 0
    stack.push(...(children.get(pid) ?? []))
  }
  return sum
}

/** Starts a sample; `stop()` returns the cores (average) used by processes outside this process tree meanwhile. */
export function foreignLoad() {
  const t0 = Date.now()
  const m0 = machineBusyTicks()
  const o0 = ourTicks(process.pid)
  return () => {
    const seconds = (Date.now() - t0) / 1000
    const foreign = machineBusyTicks() - m0 - (ourTicks(process.pid) - o0)
    return Math.max(0, foreign / HZ / seconds)
  }
}

/** CPU time (user + system, ms) used so far by process `pid` and its descendants, or by `pid` alone (`self`). */
export function treeCpuMs(pid: number, self = false): number {
  if (!self) return ourTicks(pid) * (1000 / HZ)
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(rest[11]) + Number(rest[12])) * (1000 / HZ)
}
