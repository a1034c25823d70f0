// Real server and worker processes from source, as `npm run start:dev` / `npm run worker:dev` start them (the
// compiled `npm start` is tested in tests/e2e/server-process.test.ts and, on Node 20 and 22, by the CI smoke test).
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import readline from 'node:readline'

const root = path.resolve(import.meta.dirname, '../..')

export interface Proc {
  pid: number
  /** HTTP port (servers only). */
  port?: number
  lines: Record<string, unknown>[]
  exit: Promise<number | null>
  kill(signal?: NodeJS.Signals): void
}

/** Spawns `node --import tsx <entry>` with `env` and resolves once it logged `readyWhen`. */
export async function spawnProcess(entry: 'src/index.ts' | 'src/worker/main.ts', env: Record<string, string | undefined>, readyWhen: (line: Record<string, unknown>) => boolean): Promise<Proc> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH, LOG_LEVEL: 'info', ...env } as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const lines: Record<string, unknown>[] = []
  const ready = new Promise<Record<string, unknown>>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const l = JSON.parse(line) as Record<string, unknown>
        lines.push(l)
        if (readyWhen(l)) resolve(l)
      } catch {
        // not a log line
      }
    })
    void exit.then((code) => reject(new Error(`${entry} exited with ${code} before it was ready`)))
  })
  const l = await ready
  return { pid: child.pid!, port: typeof l.port === 'number' ? l.port : undefined, lines, exit, kill: (signal = 'SIGTERM') => child.kill(signal) }
}

/** A server process (HTTP + WebSocket) on a free port. */
export const startServer = (env: Record<string, string | undefined>) => spawnProcess('src/index.ts', { PORT: '0', HOST: '127.0.0.1', ...env }, (l) => typeof l.port === 'number')

/** A worker process (`npm run worker`). */
export const startWorker = (env: Record<string, string | undefined>) => spawnProcess('src/worker/main.ts', env, (l) => l.msg === 'worker started')
