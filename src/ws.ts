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
// Socket-level limits are the adapter's too (src/ws-sockets.ts): new connections per client IP (over → 4029 right
// after the upgrade), messages over WS_MAX_MESSAGE_BYTES (→ 1009), and a slow consumer (→ 4008).
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import { getOperationAST, type ExecutionArgs, type GraphQLError } from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import type { WebSocket } from 'ws'
import type { Admission } from './admission.ts'
import { authenticate, credentialFromParams, type Credential } from './auth/authenticate.ts'
import type { Principal } from './auth/principal.ts'
import type { AppDeps } from './services/session.ts'
import type { Context } from './context.ts'
import { AppError } from './errors.ts'
import { attachFrameSink, type FrameSink } from './graphql/direct-frames.ts'
import { addRequestId, toPublicError, toWire } from './graphql/errors.ts'
import { moduleLogger } from './logger.ts'
import { createOperationObserver, type OperationRecord } from './observability.ts'
import { acceptSockets, closeCodes } from './ws-sockets.ts'
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

export interface WebSocketHandle {
  /** Stops accepting sockets and closes every open one with 1001 (going away); cuts the rest at `deadline` (epoch ms). */
  close(deadline: number): Promise<void>
}

/** Attaches graphql-ws (subprotocol graphql-transport-ws) to `server` at /graphql. */
export function attachWebSocket(server: Server, yoga: Yoga, deps: AppDeps, { admission }: { admission: Admission }): WebSocketHandle {
  const { config } = deps
  const production = config.isProduction
  const log = moduleLogger(deps.logger, config, 'ws')
  const observer = createOperationObserver(deps)
  const ipOf = (request: IncomingMessage) =>
    clientIp(new Headers(request.headers as Record<string, string>), request.socket.remoteAddress, config.trustProxyHops)
  const sockets = acceptSockets(server, deps, { path: yoga.graphqlEndpoint, ipOf, log })

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

  useServer<Record<string, unknown> | undefined, Extra>(
    {
      isProd: production,
      // graphql-ws's 3 s default turns a busy moment into a wave of 4408 closes and reconnects.
      connectionInitWaitTimeout: 10_000,
      onConnect: async (ctx) => {
        ctx.extra.ip = ipOf(ctx.extra.request)
        ctx.extra.operations = new Map()
        ctx.extra.credential = credentialFromParams(ctx.connectionParams)
        try {
          ctx.extra.principal = await admission.identify(ctx.extra.credential, ctx.extra.ip, undefined, { streams: true })
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
          if (operation?.operation === 'subscription') attachFrameSink(contextValue, frameSink(ctx, id))
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
    sockets.wss,
  )
  return {
    close: async (deadline) => {
      sockets.detach()
      // Not graphql-ws's dispose(): it waits for every client's closing handshake without a bound (ws: 30 s each).
      // 1001 to everyone, then the sockets that have not finished their handshake by the deadline are cut.
      const open = [...sockets.wss.clients]
      const closed = Promise.all(open.map((socket) => new Promise<void>((resolve) => {
        if (socket.readyState === socket.CLOSED) return resolve()
        socket.once('close', () => resolve())
        socket.close(1001, 'Going away')
      })))
      let timer: NodeJS.Timeout | undefined
      await Promise.race([closed, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))])
      clearTimeout(timer)
      for (const socket of open) if (socket.readyState !== socket.CLOSED) socket.terminate()
    },
  }
}

/** Above this many bytes waiting in a socket's buffer, a subscription waits for its write before sending more. */
const SEND_HIGH_WATER_BYTES = 64 * 1024

/**
 * Where operation `id` writes its shared `next` frames directly (src/graphql/direct-frames.ts). It may send while
 * graphql-ws still holds the very operation it started with: a client `complete` (or a closed socket) removes it
 * synchronously, and an id the client reuses afterwards is another operation.
 */
function frameSink(ctx: { subscriptions: Record<string, unknown>; extra: Extra }, id: string): FrameSink {
  const { socket } = ctx.extra
  let mine: unknown
  // A write that failed (the connection was reset under us) ends direct sending before ws reports the close.
  let failed = false
  let unflushed = 0
  let onFlushed: (() => void) | undefined
  const written = (err?: Error | null) => {
    if (err) failed = true
    if (--unflushed === 0) onFlushed?.()
  }
  // ws has no cork of its own: its TCP socket's. A feed writes one frame per event, and under load a page of several
  // events per turn; corked until the turn ends, they leave in one write instead of a system call each.
  const tcp = (socket as unknown as { _socket?: { cork(): void; uncork(): void } })._socket
  let corked = false
  const uncork = () => {
    corked = false
    tcp!.uncork()
  }
  const dead = () => (failed || socket.readyState !== socket.OPEN) && socket.readyState !== socket.CLOSED
  return {
    prefix: `{"id":${JSON.stringify(id)},"type":"next","payload":`,
    open() {
      // graphql-ws registers the operation before it asks for its first result, i.e. before the first frame.
      mine ??= ctx.subscriptions[id]
      return !failed && socket.readyState === socket.OPEN && mine != null && ctx.subscriptions[id] === mine
    },
    send(frame) {
      if (tcp && !corked) {
        corked = true
        tcp.cork()
        process.nextTick(uncork)
      }
      unflushed++
      if (socket.bufferedAmount < SEND_HIGH_WATER_BYTES) return void socket.send(frame, written)
      return new Promise<void>((resolve) => socket.send(frame, (err) => resolve(written(err))))
    },
    // What graphql-ws sends next must find the socket as its own awaited sends would have left it: every direct
    // frame written, and a dead socket closed (the close forgets the operation, so no `complete` goes to it).
    settled() {
      if (!unflushed && !dead()) return undefined
      return (async () => {
        if (unflushed) await new Promise<void>((resolve) => (onFlushed = resolve))
        onFlushed = undefined
        if (dead()) await new Promise<void>((resolve) => socket.once('close', () => resolve()))
      })()
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
