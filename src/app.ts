// Assembles the application: dependencies, yoga, graphql-ws and health endpoints on one HTTP server.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createAdmission } from './admission.ts'
import type { Config } from './config.ts'
import type { AppDeps } from './services/session.ts'
import { buildDeps, type DepsOptions } from './deps.ts'
import { createAguiHandler } from './http/agui.ts'
import { createExportDownload } from './http/exports.ts'
import { landingPage, serveConsole } from './http/console.ts'
import { cameOverTls, securityHeaders } from './http/hardening.ts'
import { stopListening } from './http/listener.ts'
import { createMcpEndpoint } from './http/mcp-endpoint.ts'
import { createMetricsEndpoint } from './http/metrics-endpoint.ts'
import { startWorkerPool, type WorkerPool } from './worker/pool.ts'
import { attachWebSocket } from './ws.ts'
import { clientIp, createYogaServer, type Yoga } from './yoga.ts'

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
  const { deps, tracing, endRequests, close } = await buildDeps(config, opts)
  // One admission pipeline (and so one count of open subscriptions) for HTTP and WebSocket.
  const admission = createAdmission(deps)
  const yoga = createYogaServer(deps, { admission, tracing })
  const mcp = createMcpEndpoint(deps, admission, (req) => clientIp({ get: (n) => String(req.headers[n] ?? '') || null }, req.socket.remoteAddress, config.trustProxyHops))
  const workerSlots = config.workers ?? config.worker.concurrency
  const workers = workerSlots > 0 ? startWorkerPool(deps, workerSlots) : undefined
  const agui = createAguiHandler(yoga, config)
  const metricsEndpoint = createMetricsEndpoint(deps)
  const exportDownload = createExportDownload(deps, admission, (req) => clientIp({ get: (n) => String(req.headers[n] ?? '') || null }, req.socket.remoteAddress, config.trustProxyHops))
  let stopping = false
  // Set once the listener is closed: from then on every response ends its connection.
  let closingConnections = false
  let started = false

  // Responses being written: when a stop begins, those whose head is not out yet close their connection too.
  const answering = new Set<http.ServerResponse>()
  const server = http.createServer((req, res) => {
    answering.add(res)
    res.once('close', () => answering.delete(res))
    if (closingConnections) closeAfter(res)
    const path = req.url?.split('?')[0]
    if (path === '/health/live' || path === '/health/startup' || path === '/health/ready' || path === '/.well-known/jwks.json' || path === '/metrics' || path?.startsWith('/agui/') || path?.startsWith('/exports/')) {
      const tls = cameOverTls({ get: (n) => String(req.headers[n] ?? '') || null }, req.socket, config.trustProxyHops)
      for (const [k, v] of Object.entries(securityHeaders({ html: false, tls, hstsMaxAge: config.http.hstsMaxAge }))) res.setHeader(k, v)
    }
    if (path === '/health/live') return sendJson(res, 200, { status: 'ok' })
    // For a startup probe: 200 once the app is built (migrations applied) and listening.
    if (path === '/health/startup') return sendJson(res, started ? 200 : 503, { status: started ? 'ok' : 'starting' })
    if (path === '/' && !config.isProduction) return landingPage(res, { console: config.http.console })
    if (config.http.console && path?.startsWith('/console')) {
      void serveConsole(req, res, path, deps.logger).then((served) => served || void yoga.requestListener(req, res))
      return
    }
    if (path === '/.well-known/jwks.json') return sendJson(res, 200, deps.keys.jwks())
    if (path === '/health/ready') {
      void readiness(deps, stopping).then(({ ok, checks }) => sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable', checks }))
      return
    }
    if (path === '/metrics') return void metricsEndpoint.serve(req, res)
    if (path?.startsWith('/agui/')) return void agui(req, res, path)
    if (path?.startsWith('/exports/')) {
      return void exportDownload(req, res, path).then((served) => served || void yoga.requestListener(req, res))
    }
    if (path === '/mcp') {
      return void mcp(req, res).catch((err: unknown) => {
        deps.logger.error({ err }, 'MCP request failed')
        if (!res.headersSent) sendJson(res, 500, { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null })
        else res.end()
      })
    }
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
        server.listen(config.port, config.host, () => {
          started = true
          resolve((server.address() as AddressInfo).port)
        })
      })
    },
    stop: () => (stopped ??= drain()),
  }
  return app

  /**
   * Graceful stop within SHUTDOWN_TIMEOUT_MS: readiness turns 503 and new connections are refused at once; requests
   * in flight finish (each response closes its keep-alive connection); WebSockets close with 1001; the worker stops
   * claiming, except the runs requests here wait on (runAgent with `wait`), and its running executions go on until
   * the reserve, then are handed back to the queue; the waited ones go on until the last call. What still waits then
   * answers SERVICE_UNAVAILABLE; only then are remaining connections cut.
   */
  async function drain() {
    const started = Date.now()
    const deadline = started + config.shutdownTimeoutMs
    // Time kept back for handing runs back, answering the last waits and closing the database.
    const reserve = Math.min(3_000, Math.floor(config.shutdownTimeoutMs * 0.3))
    // The last moment for a waiting request: the run it waits on may go on until then (handed back after), so a short
    // run finishing near the reserve still answers its waiting client.
    const lastCall = Math.min(1_500, Math.floor(reserve / 2))
    stopping = true
    deps.logger.info({ timeoutMs: config.shutdownTimeoutMs }, 'draining')
    // Until the last requests are answered the worker still runs the runs they wait on: another process would take
    // them only after its own queue, and a wait still open at the reserve is refused.
    const handedBack = workers?.stop(Math.max(0, deadline - reserve - Date.now()), { serveWaitsUntil: deps.shutdownDeadline })
    // Keep-alive connections stay usable until the listener is closed: clients reuse them instead of opening new
    // connections, and a new connection is what the kernel resets if it is still queued when the listener closes.
    const { ended: closed, ...listener } = await stopListening(server)
    deps.logger.info({ ...listener, ms: Date.now() - started }, 'listener closed')
    // Every response from now on says `Connection: close`; an idle connection is closed by its keep-alive timeout,
    // which clients know from the `Keep-Alive: timeout` hint and stop reusing before it, so neither side races.
    closingConnections = true
    for (const res of answering) closeAfter(res)
    await Promise.all([ws.close(deadline - reserve), untilOrDeadline(closed, deadline - lastCall)])
    endRequests()
    // The refusals just produced still need writing out, on a process that may be busy: leave them all but a moment.
    await untilOrDeadline(closed, deadline - Math.min(250, reserve / 2))
    server.closeAllConnections()
    // A run not handed back by the deadline stays RUNNING until another worker finds its heartbeat stale.
    await untilOrDeadline(handedBack ?? Promise.resolve(), deadline)
    await metricsEndpoint.close()
    await close()
    deps.logger.info({ ms: Date.now() - started }, 'drained')
  }
}

/** Makes `res` end its connection: Node answers `Connection: close` whatever headers yoga writes, then closes. */
function closeAfter(res: http.ServerResponse) {
  if (res.headersSent) return
  res.shouldKeepAlive = false
  res.setHeader('Connection', 'close')
}

/** Resolves when `p` settles or at `deadline` (epoch ms), whichever comes first. */
async function untilOrDeadline(p: Promise<unknown>, deadline: number) {
  let timer: NodeJS.Timeout | undefined
  await Promise.race([p, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))])
  clearTimeout(timer)
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
