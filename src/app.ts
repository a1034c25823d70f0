// Assembles the application: dependencies, yoga, graphql-ws and health endpoints on one HTTP server.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdmission } from './admission.ts'
import type { Config } from './config.ts'
import type { AppDeps } from './services/session.ts'
import { buildDeps, type DepsOptions } from './deps.ts'
import { cameOverTls, securityHeaders } from './http/hardening.ts'
import { createMetricsEndpoint } from './http/metrics-endpoint.ts'
import { startWorkerPool, type WorkerPool } from './worker/pool.ts'
import { attachWebSocket } from './ws.ts'
import { createYogaServer, type Yoga } from './yoga.ts'

export interface App {
  deps: AppDeps
  yoga: Yoga
  /** The in-process worker (absent with WORKERS=0). */
  workers?: WorkerPool
  server: http.Server
  /** Starts listening (and on METRICS_PORT when set); resolves with the bound API port (PORT=0 picks a free one). */
  listen(): Promise<number>
  /** The bound METRICS_PORT, once listening with one. */
  metricsPort?: number
  /** Graceful stop: refuse new work, drain in-flight requests, close sockets with 1001, release resources. */
  stop(): Promise<void>
}

/** Builds the app from config; nothing listens until listen(). */
export async function buildApp(config: Config, opts: DepsOptions = {}): Promise<App> {
  const { deps, tracing, close } = await buildDeps(config, opts)
  // One admission pipeline (and so one count of open subscriptions) for HTTP and WebSocket.
  const admission = createAdmission(deps)
  const yoga = createYogaServer(deps, { admission, tracing })
  const workers = config.workers > 0 ? startWorkerPool(deps, config.workers) : undefined
  const metricsEndpoint = createMetricsEndpoint(deps)
  let stopping = false

  const server = http.createServer((req, res) => {
    const path = req.url?.split('?')[0]
    if (path === '/health/live' || path === '/health/ready' || path === '/.well-known/jwks.json' || path === '/metrics') {
      const tls = cameOverTls({ get: (n) => String(req.headers[n] ?? '') || null }, req.socket, config.trustProxyHops)
      for (const [k, v] of Object.entries(securityHeaders({ html: false, tls, hstsMaxAge: config.http.hstsMaxAge }))) res.setHeader(k, v)
    }
    if (path === '/health/live') return sendJson(res, 200, { status: 'ok' })
    if (path === '/.well-known/jwks.json') return sendJson(res, 200, deps.keys.jwks())
    if (path === '/health/ready') {
      void readiness(deps, stopping).then(({ ok, checks }) => sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', checks }))
      return
    }
    if (path === '/metrics') return void metricsEndpoint.serve(req, res)
    if (stopping) res.setHeader('Connection', 'close')
    void yoga.requestListener(req, res)
  })
  server.removeAllListeners('clientError')
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n')
  })
  const ws = attachWebSocket(server, yoga, deps, { admission })

  let stopped: Promise<void> | undefined
  const app: App = {
    deps,
    yoga,
    workers,
    server,
    async listen() {
      app.metricsPort = await metricsEndpoint.listen()
      return new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port))
      })
    },
    stop: () =>
      (stopped ??= (async () => {
        stopping = true
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        await ws.close()
        server.closeIdleConnections()
        const timeout = new Promise<void>((resolve) => setTimeout(resolve, config.shutdownTimeoutMs).unref())
        await Promise.race([closed, timeout])
        server.closeAllConnections()
        await workers?.stop(config.shutdownTimeoutMs)
        await metricsEndpoint.close()
        await close()
      })()),
  }
  return app
}

async function readiness(deps: AppDeps, stopping: boolean) {
  const check = (p: Promise<void>) =>
    withTimeout(p, 1_000).then(() => 'ok' as const, () => 'unavailable' as const)
  const [database, redis] = await Promise.all([
    check(deps.db.ping()),
    deps.pubsub.kind === 'redis' ? check(deps.pubsub.ping()) : Promise.resolve('not configured' as const),
  ])
  const ok = !stopping && database === 'ok' && redis !== 'unavailable'
  return { ok, checks: { database, redis, ...(stopping && { shutdown: 'in progress' }) } }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('timeout')), ms)
    p.then(resolve, reject).finally(() => clearTimeout(t))
  })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}
