// Starts real PostgreSQL and Redis servers for the test run from the Debian binaries: a temp directory, free loopback
// ports, torn down afterwards. Used by the vitest global setup and by tests that need their own servers (e.g. to stop
// Redis mid-test).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import pg from 'pg'

export interface Service {
  url: string
  port: number
  /** Stops the server (SIGTERM, then SIGKILL) and removes its directory. */
  stop(): Promise<void>
}

const isRoot = process.getuid?.() === 0

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo
      srv.close(() => resolve(port))
    })
  })
}

function findBinary(name: string, dirs: string[]): string | undefined {
  for (const d of dirs) {
    const p = path.join(d, name)
    if (fs.existsSync(p)) return p
  }
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  return r.status === 0 ? r.stdout.trim() : undefined
}

/** The PostgreSQL bin directory (15 preferred), or a reason why none can be used. */
export function postgresBinaries(): { bin: string } | { missing: string } {
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a))) : []
  const initdb = findBinary('initdb', versions.map((v) => `/usr/lib/postgresql/${v}/bin`))
  if (!initdb) return { missing: 'PostgreSQL server binaries (initdb, postgres) not found; install the Debian package `postgresql`' }
  const bin = path.dirname(initdb)
  if (!fs.existsSync(path.join(bin, 'postgres'))) return { missing: `no postgres binary beside ${initdb}` }
  if (isRoot && spawnSync('id', ['postgres']).status !== 0) return { missing: 'running as root but there is no `postgres` OS user to run the server as' }
  return { bin }
}

export function redisBinary(): { bin: string } | { missing: string } {
  const bin = findBinary('redis-server', ['/usr/bin', '/usr/local/bin'])
  return bin ? { bin } : { missing: 'redis-server not found; install the Debian package `redis-server`' }
}

/** Debian's initdb/postgres refuse to run as root: run them as the `postgres` OS user. */
function asPostgres(cmd: string, args: string[]): [string, string[]] {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]
}

async function stopProcess(child: ChildProcess, dir: string) {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((r) => child.once('exit', r))
    child.kill('SIGTERM')
    const t = setTimeout(() => child.kill('SIGKILL'), 5_000)
    await exited
    clearTimeout(t)
  }
  fs.rmSync(dir, { recursive: true, force: true })
}

async function waitFor(check: () => Promise<unknown>, what: string, child: ChildProcess, log: () => string, ms = 20_000) {
  const until = Date.now() + ms
  for (;;) {
    try {
      return await check()
    } catch (e) {
      if (child.exitCode !== null) throw new Error(`${what} exited (${child.exitCode}):\n${log()}`, { cause: e })
      if (Date.now() > until) throw new Error(`${what} did not start in ${ms} ms: ${(e as Error).message}\n${log()}`, { cause: e })
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

/** initdb + postgres on a free port, tuned for tests (no fsync). Resolves with a superuser URL. */
export async function startPostgres(bin: string): Promise<Service> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-platform-pg-'))
  fs.chmodSync(dir, 0o755)
  const data = path.join(dir, 'data')
  if (isRoot) spawnSync('chown', ['-R', 'postgres:postgres', dir])
  const [initCmd, initArgs] = asPostgres(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions'])
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' })
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`)
  const port = await freePort()
  const [cmd, args] = asPostgres(path.join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-h', '127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=300',
    '-c', 'shared_buffers=128MB', '-c', 'log_min_messages=warning',
  ])
  let output = ''
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`
  await waitFor(async () => {
    const c = new pg.Client({ connectionString: url })
    await c.connect()
    await c.end()
  }, 'postgres', child, () => output)
  return { url, port, stop: () => stopProcess(child, dir) }
}

/** redis-server on a free port, no persistence. */
export async function startRedis(bin: string, port?: number): Promise<Service> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agent-platform-redis-'))
  const p = port ?? (await freePort())
  let output = ''
  const child = spawn(bin, ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  await waitFor(() => ping(p), 'redis-server', child, () => output)
  return { url: `redis://127.0.0.1:${p}`, port: p, stop: () => stopProcess(child, dir) }
}

function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1')
    s.once('error', reject)
    s.once('connect', () => s.write('PING\r\n'))
    s.once('data', (d) => {
      s.destroy()
      if (String(d).startsWith('+PONG')) resolve()
      else reject(new Error(String(d)))
    })
  })
}

/** Creates a database on the server and returns its URL. */
export async function createDatabase(superuserUrl: string, name: string): Promise<string> {
  const c = new pg.Client({ connectionString: superuserUrl })
  await c.connect()
  try {
    await c.query(`CREATE DATABASE "${name}"`)
  } finally {
    await c.end()
  }
  const u = new URL(superuserUrl)
  u.pathname = `/${name}`
  return u.toString()
}
