// The WebSocket adapter: graphql-ws on the HTTP server's port and path. Every operation goes through the admission
// pipeline (src/admission.ts) and yoga's envelop chain, so authentication, limits, validation rules and error masking
// are the ones HTTP gets. Any refusal or failure of one operation is an `error` message for that operation id; the
// socket (and every other subscription on it) stays open.
//
// The caller is identified once, on connection_init (connectionParams `authorization: "Bearer …"` or `apiKey`), and
// the credential is rechecked every WS_AUTH_RECHECK_SECONDS and when an access token expires: a socket whose
// credential expired or was revoked is closed with 4401. Bad credentials at connection_init also close with 4401; if
// the credential cannot be checked (a dependency is down, or the client IP is over its budget) the close code is 1013.
//
// Socket-level limits stay here: new connections per client IP (over → 4029 right after the upgrade), messages over
// WS_MAX_MESSAGE_BYTES (→ 1009), and a slow consumer (→ 4008).
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { Duplex } from 'node:stream'
import { getOperationAST, type ExecutionArgs, type GraphQLError } from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer, type WebSocket } from 'ws'
import type { Admission } from './admission.ts'
import { authenticate, credentialFromParams, type Credential } from './auth/authenticate.ts'
import type { Principal } from './auth/principal.ts'
import type { AppDeps } from './services/session.ts'
import type { Context } from './context.ts'
import { AppError } from './errors.ts'
import { addRequestId, toPublicError, toWire } from './graphql/errors.ts'
import { createConnectionLimiter, wsLimitCloseCodes } from './limits/websocket.ts'
import { moduleLogger } from './logger.ts'
import { createOperationObserver, type OperationRecord } from './observability.ts'
import { clientIp, type Yoga } from './yoga.ts'

type Enveloped = ReturnType<Yoga['getEnveloped']>
interface RootValue {
  execute: Enveloped['execute']
  subscribe: Enveloped['subscribe']
}

/** Per-socket state kept in graphql-ws's `extra`. */
type Extra = {
  request: IncomingMessage
  socket: WebSocket
  principal?: Principal
  credential?: Credential
  timers?: NodeJS.Timeout[]
  ip?: string
  /** The operations in flight, from `subscribe` to their end, for their log lines. */
  operations?: Map<string, OperationRecord>
} & Record<PropertyKey, unknown>

export const closeCodes = { unauthorized: 4401, tryAgainLater: 1013, slowConsumer: 4008, ...wsLimitCloseCodes } as const

export interface WebSocketHandle {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  close(): Promise<void>
}

/** Attaches graphql-ws (subprotocol graphql-transport-ws) to `server` at /graphql. */
export function attachWebSocket(server: Server, yoga: Yoga, deps: AppDeps, { admission }: { admission: Admission }): WebSocketHandle {
  const { config } = deps
  const production = config.isProduction
  const log = moduleLogger(deps.logger, config, 'ws')
  const observer = createOperationObserver(deps)
  const connectionLimit = createConnectionLimiter(deps)
  // Messages over maxPayload close the socket with 1009 (the ws library's standard "message too big").
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.ws.maxMessageBytes })
  const ipOf = (request: IncomingMessage) =>
    clientIp(new Headers(request.headers as Record<string, string>), request.socket.remoteAddress, config.trustProxyHops)

  // The connection rate is decided at the upgrade, before graphql-ws sees the socket: a refused socket is accepted
  // only to be closed with a reason a browser client can read (4029, or 1013 when the limiter is unavailable).
  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== yoga.graphqlEndpoint) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n')
      return
    }
    const refuse = (code: number, reason: string) => wss.handleUpgrade(request, socket, head, (ws) => ws.close(code, reason))
    connectionLimit(ipOf(request)).then(
      (d) => {
        if (socket.destroyed) return
        if (d && !d.allowed) return refuse(closeCodes.tooManyConnections, `Too many connections; retry in ${Math.max(1, Math.ceil(d.retryAfterMs / 1000))} s`)
        wss.handleUpgrade(request, socket, head, (ws) => {
          wss.emit('connection', ws, request)
          // graphql-ws logs socket errors to the console; the expected ones (a message over maxPayload, which the
          // ws library answers with 1009) belong in our log at debug level.
          ws.removeAllListeners('error')
          ws.on('error', (err: Error & { code?: string }) => {
            log.debug({ err: err.message, code: err.code }, 'websocket error')
            if (ws.readyState === ws.OPEN) ws.close(1011, 'Internal error')
          })
        })
      },
      (err: Error) => {
        log.warn({ err: err.message }, 'connection rate limit unavailable; refusing the WebSocket')
        if (!socket.destroyed) refuse(closeCodes.tryAgainLater, 'Try again later')
      },
    )
  }
  server.on('upgrade', onUpgrade)

  const publicErrors = (errors: readonly unknown[], requestId: string) =>
    errors.map((e) => addRequestId(toPublicError(e, { production }), requestId))
  const guard = async <T>(args: ExecutionArgs, run: () => T | Promise<T>) => {
    try {
      return await run()
    } catch (e) {
      return { errors: publicErrors([e], (args.contextValue as Context).requestId) }
    }
  }

  const isUnauthorized = (e: unknown) => e instanceof AppError && e.code === 'UNAUTHENTICATED'
  const closeUnauthorized = (extra: Extra) => extra.socket.close(closeCodes.unauthorized, 'Unauthorized')
  /** A recheck that cannot reach a dependency (Redis down) keeps the socket: only a credential known to be bad ends it. */
  const recheck = async (extra: Extra) => {
    try {
      extra.principal = await authenticate(deps, extra.credential)
    } catch (e) {
      if (isUnauthorized(e)) closeUnauthorized(extra)
    }
  }
  const stopTimers = (extra: Extra) => extra.timers?.forEach((t) => clearTimeout(t))

  /** Ends an operation once: logs it and counts it. */
  const finish = (extra: Extra, id: string, codes: readonly string[] = []) => {
    const record = extra.operations?.get(id)
    if (!record) return
    extra.operations!.delete(id)
    record.errorCodes.push(...codes)
    observer.finish(record)
  }
  const codesOf = (errors: readonly { extensions?: Record<string, unknown> }[]) => errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'))

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

  const disposable = useServer<Record<string, unknown> | undefined, Extra>(
    {
      isProd: production,
      // graphql-ws's 3 s default turns a busy moment into a wave of 4408 closes and reconnects.
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        ctx.extra.ip = ipOf(ctx.extra.request)
        ctx.extra.operations = new Map()
        ctx.extra.credential = credentialFromParams(ctx.connectionParams)
        try {
          ctx.extra.principal = await admission.identify(ctx.extra.credential, ctx.extra.ip)
        } catch (e) {
          if (isUnauthorized(e)) closeUnauthorized(ctx.extra)
          else ctx.extra.socket.close(closeCodes.tryAgainLater, 'Try again later')
          return false
        }
        const p = ctx.extra.principal
        if (p) {
          ctx.extra.timers = [setInterval(() => void recheck(ctx.extra), config.auth.wsRecheckSeconds * 1000)]
          if (p.expiresAt) {
            const ms = Math.max(0, p.expiresAt.getTime() - Date.now())
            if (ms < 2 ** 31) ctx.extra.timers.push(setTimeout(() => ctx.extra.socket.close(closeCodes.unauthorized, 'Credentials expired'), ms))
          }
        }
        return true
      },
      onClose: (ctx) => {
        stopTimers(ctx.extra)
        for (const id of [...(ctx.extra.operations?.keys() ?? [])]) finish(ctx.extra, id)
      },
      // A rejection here would close the socket (4500): turn it into this operation's error instead.
      execute: (args) => guard(args, () => (args.rootValue as RootValue).execute(args)),
      subscribe: (args) => guard(args, () => (args.rootValue as RootValue).subscribe(args)),
      onSubscribe: async (ctx, id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const requestId = randomUUID()
        const { request, principal, ip } = ctx.extra
        const record: OperationRecord = { transport: 'ws', requestId, principal, operationName: payload.operationName, startedAt: performance.now(), errorCodes: [] }
        ctx.extra.operations?.set(id, record)
        try {
          await admission.admitRequest({ principal, ip }, payload)
          const enveloped = yoga.getEnveloped({
            req: request,
            params: payload,
            wsPrincipal: principal,
            wsMeta: { requestId, transport: 'ws', ip, userAgent: request.headers['user-agent'], traceParent: traceParentOf(payload.extensions, ctx.connectionParams, request.headers.traceparent) },
          })
          const document = enveloped.parse(payload.query)
          const errors = enveloped.validate(enveloped.schema, document)
          if (errors.length) return publicErrors(errors, requestId)
          const operation = getOperationAST(document, payload.operationName)
          record.operationType = operation?.operation
          record.operationName ??= operation?.name?.value
          // The pipeline's per-operation limits run here; a refusal thrown here is this operation's `error`.
          const contextValue = await enveloped.contextFactory()
          return {
            schema: enveloped.schema,
            document,
            operationName: payload.operationName,
            variableValues: payload.variables,
            contextValue,
            rootValue: { execute: enveloped.execute, subscribe: enveloped.subscribe } satisfies RootValue,
          }
        } catch (e) {
          return publicErrors([e], requestId)
        }
      },
      onNext: (ctx, id, _payload, args, result) => {
        const { requestId } = args.contextValue as Context
        if (!result.errors?.length) return
        ctx.extra.operations?.get(id)?.errorCodes.push(...codesOf(result.errors as GraphQLError[]))
        return { ...result, errors: result.errors.map((e) => toWire(addRequestId(e, requestId))) }
      },
      onError: (ctx, id, _payload, errors) => {
        finish(ctx.extra, id, codesOf(errors))
        return errors.map((e) => toWire(e))
      },
      onComplete: (ctx, id) => finish(ctx.extra, id),
    },
    wss,
  )
  return {
    close: async () => {
      server.off('upgrade', onUpgrade)
      await disposable.dispose()
    },
  }
}

/** The operation's own `extensions.traceparent`, else the connection's `connectionParams.traceparent`, else the upgrade request's header. */
function traceParentOf(extensions: unknown, connectionParams: unknown, header: string | string[] | undefined): string | undefined {
  for (const holder of [extensions, connectionParams]) {
    const v = holder && typeof holder === 'object' ? (holder as Record<string, unknown>).traceparent : undefined
    if (typeof v === 'string') return v
  }
  return typeof header === 'string' ? header : undefined
}
