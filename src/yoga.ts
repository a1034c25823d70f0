// The yoga instance and its plugin list. graphql-ws operations go through the same envelop chain (see ws.ts), and
// both transports through the one admission pipeline (src/admission.ts).
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { getOperationAST, GraphQLError, type ExecutionResult } from 'graphql'
import { mapAsyncIterator } from '@graphql-tools/utils'
import { createYoga, isAsyncIterable, type Plugin, type YogaServerInstance } from 'graphql-yoga'
import type { Admission } from './admission.ts'
import type { Principal } from './auth/principal.ts'
import { createContext, type Context } from './context.ts'
import type { AppDeps, RequestMeta } from './services/session.ts'
import { httpStatusFor, type ErrorCode } from './errors.ts'
import { denialAuditPlugin } from './graphql/denials.ts'
import { fanOutPlugin } from './graphql/fan-out.ts'
import { jitPlugin } from './graphql/jit.ts'
import { addRequestId, isMasked, toPublicError } from './graphql/errors.ts'
import { schema } from './graphql/index.ts'
import { corsOptions, csrfPlugin, securityHeadersPlugin } from './http/hardening.ts'
import { graphiqlOptions, renderBundledGraphiQL } from './http/graphiql.ts'
import { createHttpAdapter, httpOperationPlugin, type HttpAdapter } from './http/adapter.ts'
import { tooComplex } from './limits/shape.ts'
import { activeSubscriptionsPlugin, createOperationObserver } from './observability.ts'
import type { Tracing } from './tracing.ts'

/** Server context handed to yoga: node's request over HTTP, or ready-made metadata for a WebSocket operation. */
export interface ServerContext {
  req?: IncomingMessage
  wsMeta?: RequestMeta
  /** WebSocket operations: the principal authenticated on connection_init (and rechecked since). */
  wsPrincipal?: Principal
}

export type Yoga = YogaServerInstance<ServerContext, Context>

/**
 * Every HTTP error leaves in its public form with the request id, including request errors (parse, validation)
 * that yoga reports without passing them through maskError. The codes are kept for the request's log line.
 */
const publicErrorsPlugin = (production: boolean, http: HttpAdapter): Plugin => ({
  onResultProcess({ request, result, setResult }) {
    const state = http.state(request)
    const id = state?.requestId ?? randomUUID()
    const tag = (r: ExecutionResult) => {
      if (!r.errors?.length) return r
      const errors = r.errors.map((e) => addRequestId(toPublicError(e, { production }), id))
      state?.errorCodes.push(...errors.map((e) => String(e.extensions.code)))
      return { ...r, errors: r.data == null ? withRefusalStatus(errors) : errors }
    }
    if (isAsyncIterable(result)) setResult(mapAsyncIterator(result, tag))
    else setResult(Array.isArray(result) ? result.map(tag) : tag(result as ExecutionResult))
  },
})

/**
 * A malformed request body or query string (e.g. `variables` that is not JSON) is the client's fault: answer 400
 * with VALIDATION_FAILED instead of letting a parser exception surface as a masked 500. A body over
 * REQUEST_MAX_BODY_BYTES is QUERY_TOO_COMPLEX (413).
 */
const malformedRequestPlugin = (maxBodyBytes: number): Plugin => ({
  onRequestParse({ request, requestParser, setRequestParser }) {
    const tooLarge = () => tooComplex('body_size', maxBodyBytes, maxBodyBytes + 1, `The request body is larger than ${maxBodyBytes} bytes.`)
    // Declared sizes are refused before reading; yoga's stream limit catches bodies without (or lying about) one.
    if (Number(request.headers.get('content-length')) > maxBodyBytes) throw tooLarge()
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
        const cause = e instanceof GraphQLError ? (e.extensions.originalError as { message?: string } | undefined) : undefined
        if (e instanceof GraphQLError && (e.extensions.code === 'REQUEST_ENTITY_TOO_LARGE' || cause?.message === 'Request body too large')) throw tooLarge()
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
})

/** Batched requests (a JSON array of operations): refused when batching is off, bounded by GRAPHQL_BATCH_LIMIT. */
const batchLimitPlugin = (limit: number): Plugin => ({
  onRequestParse() {
    return {
      onRequestParseDone({ requestParserResult }) {
        if (!Array.isArray(requestParserResult)) return
        // An array of something other than operations is just malformed (yoga says so).
        if (!requestParserResult.every((p) => p && typeof p === 'object' && !Array.isArray(p))) return
        if (requestParserResult.length > limit) {
          throw tooComplex('batch', limit, requestParserResult.length, limit ? `A batch may hold at most ${limit} operations.` : 'Batched requests are disabled: send one operation per request.')
        }
      },
    }
  },
})

/**
 * When nothing was returned and every error is a refusal (401/403/429/503, or 400 for QUERY_TOO_COMPLEX), the whole
 * request was refused for that reason: say so with the HTTP status too (e.g. a login refused by the rate limiter
 * answers 429 with Retry-After).
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

export interface YogaOptions {
  /** The admission pipeline, shared with the WebSocket server. */
  admission: Admission
  tracing?: Tracing
}

/** Builds the yoga server for the app's dependencies. */
export function createYogaServer(deps: AppDeps, opts: YogaOptions): Yoga {
  const { config, logger } = deps
  const production = config.isProduction
  const observer = createOperationObserver(deps)
  const http = createHttpAdapter(deps, opts.admission, {
    clientIp: (request, req) => clientIp(request.headers, req?.socket.remoteAddress, config.trustProxyHops),
    observer,
  })
  return createYoga<ServerContext, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: config.queryLimits.batchLimit > 0 ? { limit: config.queryLimits.batchLimit } : false,
    maxRequestBodySize: config.queryLimits.maxBodyBytes,
    cors: corsOptions(config),
    graphiql: production ? false : graphiqlOptions,
    renderGraphiQL: renderBundledGraphiQL,
    context: ({ request, wsMeta, wsPrincipal }) => {
      if (wsMeta) return createContext(deps, wsMeta, wsPrincipal)
      // Identified before yoga read the parameters; never fall back to anonymous.
      const s = http.state(request)
      if (!s?.authenticated) throw new Error('An HTTP operation reached its context before its caller was identified.')
      const userAgent = request.headers.get('user-agent') ?? undefined
      const traceParent = request.headers.get('traceparent') ?? undefined
      return createContext(deps, { requestId: s.requestId, transport: 'http', ip: s.ip, userAgent, traceParent }, s.principal)
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
    plugins: [
      // First: it replaces the execute function, and the plugins after it (tracing's context, sharedReads) wrap
      // whichever execute function is in place when their hook runs.
      ...(config.jit.enabled ? [jitPlugin({ cacheSize: config.jit.cacheSize, onFallback: (reason, operationName) => logger.warn({ err: reason, operationName }, 'graphql-jit could not compile an operation; graphql-js runs it') }) as Plugin] : []),
      http.plugin,
      csrfPlugin(),
      malformedRequestPlugin(config.queryLimits.maxBodyBytes),
      batchLimitPlugin(config.queryLimits.batchLimit),
      securityHeadersPlugin(config),
      publicErrorsPlugin(production, http),
      ...(opts.tracing?.plugins ?? []),
      httpOperationPlugin(http) as Plugin,
      activeSubscriptionsPlugin(deps.metrics) as Plugin,
      ...(opts.admission.plugins as Plugin[]),
      sharedReadsPlugin(deps) as Plugin,
      fanOutPlugin(deps.metrics) as Plugin,
      denialAuditPlugin,
    ],
  })
}

/** A tenant's query operation reads in one transaction instead of one per statement (src/db/scope.ts#shareReads). */
const sharedReadsPlugin = (deps: AppDeps): Plugin<Context> => ({
  onExecute({ args, executeFn, setExecuteFn }) {
    const tenantId = args.contextValue.principal?.tenantId
    if (!tenantId || getOperationAST(args.document, args.operationName)?.operation !== 'query') return
    setExecuteFn((a) => deps.db.shareReads(tenantId, async () => executeFn(a)))
  },
})
