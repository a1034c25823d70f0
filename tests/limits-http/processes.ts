// Real server processes (node --import tsx src/index.ts, as `npm start` runs it) for multi-process tests.
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'
import { onTestFinished } from 'vitest'

const root = path.resolve(import.meta.dirname, '../..')

export interface ServerProcess {
  child: ChildProcess
  port: number
  base: string
  /** Every JSON log line so far. */
  lines: Record<string, unknown>[]
  stop(): Promise<void>
}

/** Starts one server with `env` on a free port; resolves once it listens; stopped when the test finishes. */
export async function startServerProcess(env: Record<string, string | undefined>): Promise<ServerProcess> {
  const fullEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }
  for (const [k, v] of Object.entries(fullEnv)) if (v === undefined) delete fullEnv[k]
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], { cwd: root, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  let stderr = ''
  child.stderr!.on('data', (d) => (stderr += d))
  const lines: Record<string, unknown>[] = []
  const port = await new Promise<number>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const l = JSON.parse(line) as Record<string, unknown>
        lines.push(l)
        if (typeof l.port === 'number') resolve(l.port)
      } catch {
        // not a log line
      }
    })
    void exit.then((code) => reject(new Error(`server exited with ${code} before listening: ${stderr}`)))
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM')
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exit
      clearTimeout(t)
    }
  }
  onTestFinished(stop)
  return { child, port, base: `http://127.0.0.1:${port}`, lines, stop }
}

/** POSTs one operation to a server process. */
export async function post(base: string, query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const r = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) })
  return { status: r.status, headers: r.headers, body: (await r.json()) as { data?: Record<string, unknown> | null; errors?: { extensions: Record<string, unknown> }[] } }
}
