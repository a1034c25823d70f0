// Processes under test: our server (exactly as `npm start` runs it) and the baselines, each on a free loopback port.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import readline from 'node:readline'

const root = path.resolve(import.meta.dirname, '../..')

export interface Proc {
  name: string
  pid: number
  url: string
  /** Spawn to first answered request, ms. */
  startupMs: number
  /** CPU time (user + system) the process used until its first answer, ms: less sensitive to a busy machine. */
  startupCpuMs: number
  rssMb(): number
  stop(): Promise<void>
}

/** Spawns `node <args>` and waits until it printed a JSON line with `port` and answered `probe`. */
export async function start(name: string, args: string[], env: Record<string, string>, probe: (url: string) => Promise<boolean>): Promise<Proc> {
  const t0 = performance.now()
  const child = spawn(process.execPath, args, { cwd: root, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`))))
  const port = await Promise.race([exited, new Promise<number>((resolve) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const p = (JSON.parse(line) as { port?: unknown }).port
        if (typeof p === 'number') resolve(p)
      } catch {
        // not a JSON line
      }
    })
  })])
  const url = `http://127.0.0.1:${port}`
  while (!(await probe(url).catch(() => false))) await new Promise((r) => setTimeout(r, 5))
  const startupMs = performance.now() - t0
  return {
    name, pid: child.pid!, url, startupMs, startupCpuMs: cpuMs(child.pid!),
    rssMb: () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve())
      child.kill('SIGTERM')
      setTimeout(() => child.kill('SIGKILL'), 5_000).unref()
    }),
  }
}

/** User + system CPU time of process `pid` so far, ms (from /proc; clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(f[11]) + Number(f[12])) * 10
}

/** POSTs a GraphQL request; throws on HTTP or GraphQL errors. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- benchmark seeding reads whatever the query selected
export async function gql<T = Record<string, any>>(url: string, query: string, variables: object = {}, headers: Record<string, string> = {}): Promise<T> {
  const r = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) })
  const body = (await r.json()) as { data?: T; errors?: unknown }
  if (!r.ok || body.errors) throw new Error(`${query.slice(0, 40)}…: ${r.status} ${JSON.stringify(body.errors)}`)
  return body.data!
}

const answers = (url: string) => fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{__typename}"}' }).then((r) => r.ok)

/** Our server's environment in benchmarks: production, rate limits off unless `limits`, no in-process worker. */
export const benchEnv = (limits = false): Record<string, string> => ({
  NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', WORKERS: '0',
  JWT_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
  RATE_LIMITS_ENABLED: String(limits), RATE_LIMIT_FREE_PER_MINUTE: '10000000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '10000000',
  AUTH_RATE_LIMIT_PER_IP_PER_MINUTE: '100000', QUOTA_FREE_EXECUTIONS_PER_MONTH: '0', QUOTA_FREE_TOKENS_PER_MONTH: '0',
})

/**
 * Our server as `npm start` runs it: the compiled dist/index.js (build it first: bench/lib/startup.ts#buildServer).
 * Variables set to undefined in `env` are left unset (their defaults apply).
 */
export function startOurs(name: string, env: Record<string, string | undefined>, limits = false) {
  const all = Object.entries({ ...benchEnv(limits), ...env }).filter((e): e is [string, string] => e[1] !== undefined)
  return start(name, ['dist/index.js'], Object.fromEntries(all), answers)
}

/** A baseline from bench/baselines. */
export const startBaseline = (file: string, env: Record<string, string> = {}) =>
  start(file, ['--import', 'tsx', `bench/baselines/${file}.ts`], env, (url) => fetch(url, { method: 'POST', body: '{}' }).then(() => true))
