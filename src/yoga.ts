// The yoga instance and its plugin list. graphql-ws operations go through the same envelop pipeline (see ws.ts).
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { GraphQLError, type ExecutionResult } from 'graphql'
import { mapAsyncIterator } from '@graphql-tools/utils'
import { createYoga, isAsyncIterable, type Plugin, type YogaServerInstance } from 'graphql-yoga'
import { authenticate, credentialFromHeaders } from './auth/authenticate.ts'
import type { Principal } from './auth/principal.ts'
import { createContext, type AppDeps, type Context, type RequestMeta } from './context.ts'
import { httpStatusFor, type ErrorCode } from './errors.ts'
import { denialAuditPlugin } from './graphql/denials.ts'
import { addRequestId, isMasked, toPublicError } from './graphql/errors.ts'
import { schema } from './graphql/index.ts'

/** Server context handed to yoga: node's request over HTTP, or ready-made metadata for a WebSocket operation. */
export interface ServerContext {
  req?: IncomingMessage
  wsMeta?: RequestMeta
  /** WebSocket operations: the principal authenticated on connection_init (and rechecked since). */
  wsPrincipal?: Principal
}

export type Yoga = YogaServerInstance<ServerContext, Context>

const requestIds = new WeakMap<Request, string>()
const validRequestId = /^[A-Za-z0-9._:-]{1,128}$/

/** Accepts the caller's X-Request-ID when it is sane, otherwise makes one; echoes it on the response. */
const requestIdPlugin: Plugin = {
  onRequest({ request }) {
    const given = request.headers.get('x-request-id')
    requestIds.set(request, given && validRequestId.test(given) ? given : randomUUID())
  },
  onResponse({ request, response }) {
    const id = requestIds.get(request)
    if (id) response.headers.set('X-Request-ID', id)
  },
}

/**
 * Every HTTP error leaves in its public form with the request id, including request errors (parse, validation)
 * that yoga reports without passing them through maskError.
 */
const publicErrorsPlugin = (production: boolean): Plugin => ({
  onResultProcess({ request, result, setResult }) {
    const id = requestIds.get(request) ?? randomUUID()
    const tag = (r: ExecutionResult) => {
      if (!r.errors?.length) return r
      const errors = r.errors.map((e) => addRequestId(toPublicError(e, { production }), id))
      return { ...r, errors: r.data == null ? withRefusalStatus(errors) : errors }
    }
    if (isAsyncIterable(result)) setResult(mapAsyncIterator(result, tag))
    else setResult(Array.isArray(result) ? result.map(tag) : tag(result as ExecutionResult))
  },
})

/**
 * A malformed request body or query string (e.g. `variables` that is not JSON) is the client's fault: answer 400
 * with VALIDATION_FAILED instead of letting a parser exception surface as a masked 500.
 */
const malformedRequestPlugin: Plugin = {
  onRequestParse({ requestParser, setRequestParser }) {
    if (!requestParser) {
      throw new GraphQLError('Unsupported content type: send application/json.', {
        extensions: { code: 'VALIDATION_FAILED', fields: [], http: { status: 415 } },
      })
    }
    setRequestParser(async (request) => {
      let params
      try {
        params = await requestParser(request)
      } catch (e) {
        if (e instanceof GraphQLError) throw e
        throw badRequest('The request is malformed: parameters must be valid JSON.')
      }
      if (params instanceof Response) return params
      for (const p of Array.isArray(params) ? params : [params]) {
        const v = p.variables as unknown
        if (v != null && (typeof v !== 'object' || Array.isArray(v))) throw badRequest('`variables` must be a JSON object.')
      }
      return params
    })
  },
}

/**
 * When nothing was returned and every error is a refusal (401/403/429/503), the whole request was refused for that
 * reason: say so with the HTTP status too (e.g. a login refused by the rate limiter answers 429 with Retry-After).
 */
function withRefusalStatus(errors: GraphQLError[]): GraphQLError[] {
  const statuses = errors.map((e) => httpStatusFor[e.extensions.code as ErrorCode])
  if (statuses.some((s) => !s)) return errors
  return errors.map((e) => {
    if (e.extensions.http) return e
    const retryAfter = e.extensions.retryAfter
    const headers = typeof retryAfter === 'number' ? { 'Retry-After': String(retryAfter) } : undefined
    return new GraphQLError(e.message, { nodes: e.nodes, source: e.source, positions: e.positions, path: e.path, extensions: { ...e.extensions, http: { status: httpStatusFor[e.extensions.code as ErrorCode], headers } } })
  })
}

const badRequest = (message: string) =>
  new GraphQLError(message, { extensions: { code: 'VALIDATION_FAILED', fields: [], http: { status: 400 } } })

/** The client address: the socket's, or the one the trusted proxy nearest to us saw (X-Forwarded-For). */
export function clientIp(headers: { get(name: string): string | null }, socketAddress: string | undefined, trustedHops: number) {
  if (!trustedHops) return socketAddress
  const chain = (headers.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean)
  return chain[chain.length - trustedHops] ?? chain[0] ?? socketAddress
}

function metaFromHttp(request: Request, req: IncomingMessage | undefined, trustedHops: number): RequestMeta {
  return {
    requestId: requestIds.get(request) ?? randomUUID(),
    transport: 'http',
    ip: clientIp(request.headers, req?.socket.remoteAddress, trustedHops),
    userAgent: request.headers.get('user-agent') ?? undefined,
  }
}

/** Builds the yoga server for the app's dependencies. */
export function createYogaServer(deps: AppDeps): Yoga {
  const { config, logger } = deps
  const production = config.isProduction
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: false,
    graphiql: production ? false : { title: 'Agent Platform API', subscriptionsProtocol: 'WS' },
    context: async ({ request, req, wsMeta, wsPrincipal }) => {
      if (wsMeta) return createContext(deps, wsMeta, wsPrincipal)
      return createContext(deps, metaFromHttp(request, req, config.trustProxyHops), await authenticate(deps, credentialFromHeaders(request.headers)))
    },
    maskedErrors: {
      isDev: false,
      maskError: (error) => {
        const masked = toPublicError(error, { production })
        if (isMasked(masked)) logger.error({ err: error }, 'unexpected error')
        return masked
      },
    },
    // Yoga logs every rewritten (masked) error at error level; client mistakes are not server errors.
    logging: {
      debug: (...a) => logger.debug({ yoga: a.map(String) }),
      info: (...a) => logger.debug({ yoga: a.map(String) }),
      warn: (...a) => logger.warn({ yoga: a.map(String) }),
      error: (...a) => logger.debug({ yoga: a.map(String) }),
    },
    plugins: [requestIdPlugin, malformedRequestPlugin, publicErrorsPlugin(production), denialAuditPlugin],
  })
}
