// The real server process, started exactly as `npm start` starts it, in the embedded default (PGlite, in-memory
// pub/sub): HTTP, GraphiQL, a subscription over WebSocket, and a graceful SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/env.ts'
import { connectWs, eventually } from '../helpers/ws.ts'

const root = path.resolve(import.meta.dirname, '../..')

interface Started {
  npm: ChildProcess
  port: number
  pid: number
  lines: Record<string, unknown>[]
  exit: Promise<number | null>
}

async function npmStart(): Promise<Started> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', DATA_DIR: tempDir('e2e'), NODE_ENV: 'development' }
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'MIGRATION_DATABASE_URL', 'JWT_SECRET', 'LOG_LEVEL']) delete env[k]
  const npm = spawn('npm', ['start', '--silent'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] })
  const exit = new Promise<number | null>((r) => npm.once('exit', (code) => r(code)))
  const lines: Record<string, unknown>[] = []
  const listening = new Promise<{ port: number; pid: number }>((resolve, reject) => {
    readline.createInterface({ input: npm.stdout! }).on('line', (line) => {
      try {
        const l = JSON.parse(line)
        lines.push(l)
        if (typeof l.port === 'number') resolve({ port: l.port, pid: l.pid })
      } catch {
        // npm's own output
      }
    })
    void exit.then((code) => reject(new Error(`server exited with ${code} before listening`)))
  })
  return { npm, lines, exit, ...(await listening) }
}

describe('npm start (embedded default)', () => {
  let s: Started
  afterAll(() => {
    if (s?.npm.exitCode === null) process.kill(s.pid, 'SIGKILL')
  })

  it('announces itself at once, serves the API, GraphiQL, the console and subscriptions, then stops cleanly on SIGTERM', async () => {
    s = await npmStart()
    expect(s.lines.find((l) => l.port)).toMatchObject({ mode: 'embedded', redis: 'memory' })
    const base = `http://127.0.0.1:${s.port}`
    // First impressions: a line at once, then what it waits for, then where to go.
    const messages = s.lines.map((l) => String(l.msg))
    expect(messages[0]).toMatch(/^starting…/)
    expect(messages[1]).toMatch(/^waiting for the database/)
    await eventually(() => expect(s.lines.map((l) => String(l.msg))).toContain(`ready: GraphiQL http://127.0.0.1:${s.port}/graphql · console http://127.0.0.1:${s.port}/console`))
    expect((await fetch(`${base}/health/startup`)).status).toBe(200)
    const landing = await fetch(`${base}/`)
    expect(landing.status).toBe(200)
    expect(await landing.text()).toMatch(/href="\/graphql"[\s\S]*href="\/console"/)
    expect((await fetch(`${base}/console`)).headers.get('content-type')).toContain('text/html')

    const r = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ serverInfo { mode } }' }),
    })
    expect(await r.json()).toEqual({ data: { serverInfo: { mode: 'embedded' } } })
    expect(await (await fetch(`${base}/graphql`, { headers: { accept: 'text/html' } })).text()).toContain('GraphiQL')
    expect((await fetch(`${base}/health/ready`)).status).toBe(200)

    const ws = connectWs(s.port)
    const live = ws.start<{ heartbeat: string }>('subscription { heartbeat(intervalSeconds: 1) }')
    await eventually(() => expect(live.results.length).toBeGreaterThanOrEqual(2), 5_000)

    process.kill(s.pid, 'SIGTERM')
    expect((await ws.closed).code).toBe(1001)
    expect(await s.exit).toBe(0)
    expect(s.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']))
  }, 60_000)
})
