// The WebSocket adapter's socket level, below graphql-ws (src/ws.ts): the connection rate per client IP, decided at
// the upgrade; the message size (the ws library closes with 1009); and slow consumers. Nothing here reads messages.
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer } from 'ws'
import { createConnectionLimiter, wsLimitCloseCodes } from './limits/websocket.ts'
import type { Logger } from './logger.ts'
import type { AppDeps } from './services/session.ts'

export const closeCodes = { unauthorized: 4401, tryAgainLater: 1013, slowConsumer: 4008, ...wsLimitCloseCodes } as const

export interface SocketOptions {
  path: string
  ipOf: (request: IncomingMessage) => string | undefined
  log: Logger
}

/** A WebSocket server for the upgrades of `server` at `path`, within the socket-level limits. */
export function acceptSockets(server: Server, deps: Pick<AppDeps, 'config' | 'limits' | 'streamLimits' | 'metrics'>, opts: SocketOptions) {
  const { config } = deps
  const connectionLimit = createConnectionLimiter(deps)
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.ws.maxMessageBytes })

  // The connection rate is decided at the upgrade, before graphql-ws sees the socket: a refused socket is accepted
  // only to be closed with a reason a browser client can read (4029, or 1013 when the limiter is unavailable).
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== opts.path) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
      return
    }
    const refuse = (code: number, reason: string) => wss.handleUpgrade(request, socket, head, (ws) => ws.close(code, reason))
    connectionLimit(opts.ipOf(request)).then(
      (d) => {
        if (socket.destroyed) return
        if (d && !d.allowed) return refuse(closeCodes.tooManyConnections, `Too many connections; retry in ${Math.max(1, Math.ceil(d.retryAfterMs / 1000))} s`)
        wss.handleUpgrade(request, socket, head, (ws) => {
          wss.emit('connection', ws, request)
          // graphql-ws logs socket errors to the console; the expected ones (a message over maxPayload, which the
          // ws library answers with 1009) belong in our log at debug level.
          ws.removeAllListeners('error')
          ws.on('error', (err: Error & { code?: string }) => {
            opts.log.debug({ err: err.message, code: err.code }, 'websocket error')
            if (ws.readyState === ws.OPEN) ws.close(1011, 'Internal error')
          })
        })
      },
      (err: Error) => {
        opts.log.warn({ err: err.message }, 'connection rate limit unavailable; refusing the WebSocket')
        if (!socket.destroyed) refuse(closeCodes.tryAgainLater, 'Try again later')
      },
    )
  }
  server.on('upgrade', onUpgrade)

  // A client that stops reading makes its socket's send buffer grow. Past WS_STALL_BYTES for WS_STALL_MS it is
  // disconnected (4008, then a hard close): its subscriptions resume by cursor after it reconnects, and no other
  // socket ever waits for it (each has its own buffer; subscriptions pull from the database, never from a queue).
  const { stallBytes, stallMs } = config.subscriptions
  wss.on('connection', (socket) => {
    let since: number | undefined
    const watch = setInterval(() => {
      if (socket.bufferedAmount <= stallBytes) return void (since = undefined)
      since ??= Date.now()
      if (Date.now() - since < stallMs) return
      clearInterval(watch)
      socket.close(closeCodes.slowConsumer, 'Slow consumer')
      setTimeout(() => socket.terminate(), 1_000).unref()
    }, Math.min(1_000, Math.max(50, stallMs / 4)))
    socket.once('close', () => clearInterval(watch))
  })

  return {
    wss,
    /** Stops accepting new sockets (open ones stay). */
    detach: () => void server.off('upgrade', onUpgrade),
  }
}
