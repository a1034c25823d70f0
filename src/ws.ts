// graphql-ws on the HTTP server's port and path, through yoga's envelop pipeline, so authentication, limits,
// validation rules and error masking are the same as over HTTP. Any failure of one operation is an `error` message
// for that operation id; the socket (and every other subscription on it) stays open.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage, Server } from 'node:http'
import type { ExecutionArgs, GraphQLError } from 'graphql'
import { useServer } from 'graphql-ws/use/ws'
import { WebSocketServer } from 'ws'
import type { AppDeps, Context } from './context.ts'
import { addRequestId, toPublicError, toWire } from './graphql/errors.ts'
import type { Yoga } from './yoga.ts'

type Enveloped = ReturnType<Yoga['getEnveloped']>
interface RootValue {
  execute: Enveloped['execute']
  subscribe: Enveloped['subscribe']
}

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

  const disposable = useServer<Record<string, unknown> | undefined, { request: IncomingMessage }>(
    {
      isProd: production,
      // A rejection here would close the socket (4500): turn it into this operation's error instead.
      execute: (args) => guard(args, () => (args.rootValue as RootValue).execute(args)),
      subscribe: (args) => guard(args, () => (args.rootValue as RootValue).subscribe(args)),
      onSubscribe: async (ctx, _id, payload): Promise<ExecutionArgs | readonly GraphQLError[]> => {
        const requestId = randomUUID()
        try {
          const request = ctx.extra.request
          const enveloped = yoga.getEnveloped({
            req: request,
            wsMeta: {
              requestId,
              transport: 'ws',
              ip: request.socket.remoteAddress,
              userAgent: request.headers['user-agent'],
            },
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
