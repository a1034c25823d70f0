// GET /metrics (Prometheus text). Never public by accident: with METRICS_PORT it is served only on that port (a
// network only the scraper reaches) and the API port answers 404; otherwise on the API port, behind
// `Authorization: Bearer <METRICS_TOKEN>` when a token is set. In production without a token or a port it is not
// served at all (404), and the process says so at start.
import { timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AppDeps } from '../services/session.ts'

export interface MetricsEndpoint {
  /** Whether the API port serves /metrics. */
  onApiPort: boolean
  /** Answers GET /metrics. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void>
  /** Binds METRICS_PORT when configured; resolves with the bound port. */
  listen(): Promise<number | undefined>
  close(): Promise<void>
}

/**
 * Decides where /metrics is served from config, warning when production leaves it unreachable. `health` adds
 * /health/live and /health/ready to the METRICS_PORT listener (the standalone worker has no other HTTP port).
 */
export function createMetricsEndpoint(deps: AppDeps, health?: () => Promise<boolean>): MetricsEndpoint {
  const { config, logger } = deps
  const { enabled, token, port } = config.metrics
  const unguarded = config.isProduction && !token && port === undefined
  if (enabled && unguarded) logger.warn('/metrics is not served: in production set METRICS_TOKEN, or METRICS_PORT for a separate listener')
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => serveMetrics(req, res, deps, enabled && !unguarded)
  const server = enabled && port !== undefined
    ? http.createServer((req, res) => {
      const path = req.url?.split('?')[0]
      if (path === '/metrics') return void serve(req, res)
      if (health && path === '/health/live') return sendJson(res, 200, { status: 'ok' })
      if (health && path === '/health/ready') return void health().then((ok) => sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable' }), () => sendJson(res, 503, { status: 'unavailable' }))
      sendJson(res, 404, { error: 'not found' })
    })
    : undefined
  return {
    onApiPort: port === undefined,
    serve: (req, res) => (port === undefined ? serve(req, res) : Promise.resolve(sendJson(res, 404, { error: 'not found' }))),
    listen: () => server
      ? new Promise((resolve, reject) => {
        server.once('error', reject)
        server.listen(port, config.host, () => resolve((server.address() as AddressInfo).port))
      })
      : Promise.resolve(undefined),
    close: () => new Promise((resolve) => (server?.listening ? server.close(() => resolve()) : resolve())),
  }
}

async function serveMetrics(req: http.IncomingMessage, res: http.ServerResponse, deps: AppDeps, served: boolean) {
  const { token } = deps.config.metrics
  if (!served || req.method !== 'GET') return sendJson(res, served ? 405 : 404, { error: served ? 'method not allowed' : 'not found' })
  if (token && !sameToken(req.headers.authorization, `Bearer ${token}`)) {
    res.setHeader('WWW-Authenticate', 'Bearer')
    return sendJson(res, 401, { error: 'unauthorized' })
  }
  try {
    const body = await deps.metrics.render()
    res.writeHead(200, { 'Content-Type': deps.metrics.contentType, 'Cache-Control': 'no-store' })
    res.end(body)
  } catch (err) {
    deps.logger.error({ err }, 'metrics collection failed')
    sendJson(res, 500, { error: 'metrics unavailable' })
  }
}

function sameToken(given: string | undefined, expected: string) {
  const a = Buffer.from(given ?? '')
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
  res.end(JSON.stringify(body))
}
