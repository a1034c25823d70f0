// graphql-ws on the HTTP server's port and path, through yoga's envelop pipeline, so authentication, limits,
// validation rules and error masking are the same as over HTTP. Any failure of one operation is an `error` message
// for that operation id; the socket (and every other subscription on it) stays open.
//
// Authentication happens once, on connection_init (connectionParams `authorization: "Bearer …"` or `apiKey`), and is
// rechecked every WS_AUTH_RECHECK_SECONDS and when an access token expires: a socket whose credential expired or was
// revoked is closed with 4401. Bad credentials at connection_init also close with 4401; if the credential cannot be
// checked (a dependency is down) the close code is 1013 (try again later).
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { ExecutionArgs, GraphQLError } from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer, type WebSocket } from 'ws'
import { authenticate, credentialFromParams, type Credential } from './auth/authenticate.ts'
import type { Principal } from './auth/principal.ts'
import type { AppDeps, Context } from './context.ts'
import { AppError } from './errors.ts'
import { addRequestId, toPublicError, toWire } from './graphql/errors.ts'
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
} & Record<PropertyKey, unknown>

export const closeCodes = { unauthorized: 4401, tryAgainLater: 1013, slowConsumer: 4008 } as const

export interface WebSocketHandle {
  /** Closes every socket with 1001 (going away) and stops accepting new ones. */
  close(): Promise<void>
}

/** Attaches graphql-ws (subprotocol graphql-transport-ws) to `server` at /graphql. */
export function attachWebSocket(server: Server, yoga: Yoga, deps: AppDeps): WebSocketHandle {
  const production = deps.config.isProduction
  const wss = new WebSocketServer({ server, path: yoga.graphqlEndpoint, maxPayload: 1024 * 1024 })
  const publicErrors = (errors: readonly unknown[], requestId: string) =>
    errors.map((e) => addRequestId(toPublicError(e, { production }), requestId))
  const guard = async <T>(args: ExecutionArgs, run: () => T | Promise<T>) => {
    try {
      return await run()
    } catch (e) {
      return { errors: publicErrors([e], (args.contextValue as Context).requestId) }
    }
  }

  /**
   * Authenticates `extra.credential`; on failure closes the socket and returns false. A recheck that cannot reach a
   * dependency (Redis down) keeps the socket: only a credential known to be bad ends it.
   */
  const check = async (extra: Extra, recheck = false): Promise<boolean> => {
    try {
      extra.principal = await authenticate(deps, extra.credential)
      return true
    } catch (e) {
      const unauthorized = e instanceof AppError && e.code === 'UNAUTHENTICATED'
      if (recheck && !unauthorized) return true
      extra.socket.close(unauthorized ? closeCodes.unauthorized : closeCodes.tryAgainLater, unauthorized ? 'Unauthorized' : 'Try again later')
      return false
    }
  }
  const stopTimers = (extra: Extra) => extra.timers?.forEach((t) => clearTimeout(t))

  // A client that stops reading makes its socket's send buffer grow. Past WS_STALL_BYTES for WS_STALL_MS it is
  // disconnected (4008, then a hard close): its subscriptions resume by cursor after it reconnects, and no other
  // socket ever waits for it (each has its own buffer; subscriptions pull from the database, never from a queue).
  const { stallBytes, stallMs } = deps.config.subscriptions
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
        try {
          ctx.extra.credential = credentialFromParams(ctx.connectionParams)
        } catch {
          ctx.extra.socket.close(closeCodes.unauthorized, 'Unauthorized')
          return false
        }
        if (!(await check(ctx.extra))) return false
        const p = ctx.extra.principal
        if (p) {
          const recheck = setInterval(() => void check(ctx.extra, true), deps.config.auth.wsRecheckSeconds * 1000)
          ctx.extra.timers = [recheck]
          if (p.expiresAt) {
            const ms = Math.max(0, p.expiresAt.getTime() - Date.now())
            if (ms < 2 ** 31) ctx.extra.timers.push(setTimeout(() => ctx.extra.socket.close(closeCodes.unauthorized, 'Credentials expired'), ms))
          }
        }
        return true
      },
      onClose: (ctx) => stopTimers(ctx.extra),
      // A rejection here would close the socket (4500): turn it into this operation's error instead.
      execute: (args) => guard(args, () => (args.rootValue as RootValue).execute(args)),
      subscribe: (args) => guard(args, () => (args.rootValue as RootValue).subscribe(args)),
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const requestId = randomUUID()
        try {
          const { request, principal } = ctx.extra
          if (principal?.expiresAt && principal.expiresAt <= new Date()) throw new AppError('UNAUTHENTICATED', 'Invalid or expired credentials.')
          const enveloped = yoga.getEnveloped({
            req: request,
            wsPrincipal: principal,
            wsMeta: { requestId, transport: 'ws', ip: clientIp(new Headers(request.headers as Record<string, string>), request.socket.remoteAddress, deps.config.trustProxyHops), userAgent: request.headers['user-agent'] },
          })
          const document = enveloped.parse(payload.query)
          const errors = enveloped.validate(enveloped.schema, document)
          if (errors.length) return publicErrors(errors, requestId)
          const contextValue = (await enveloped.contextFactory()) as Context
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
      onNext: (_ctx, _id, _payload, args, result) => {
        const { requestId } = args.contextValue as Context
        if (!result.errors?.length) return
        return { ...result, errors: result.errors.map((e) => toWire(addRequestId(e, requestId))) }
      },
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => toWire(e)),
    },
    wss,
  )
  return {
    close: async () => {
      await disposable.dispose()
    },
  }
}
