// The HTTP side of each request, around yoga's pipeline: a request id; authentication and the request rate limit as
// soon as the parameters are known (so malformed, invalid and over-complex requests count too, and a refusal costs
// no parsing); X-RateLimit-* headers on every response; one log line and metrics per request.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { getOperationAST, GraphQLError, type DocumentNode } from 'graphql'
import type { Plugin as EnvelopPlugin } from '@envelop/core'
import type { Plugin } from 'graphql-yoga'
import { authenticate, credentialFromHeaders } from '../auth/authenticate.ts'
import type { Principal } from '../auth/principal.ts'
import type { AppDeps } from '../services/session.ts'
import type { Context } from '../context.ts'
import { AppError } from '../errors.ts'
import { isAuthOnlyQuery, setRateLimitHeaders, type LimitReport } from '../limits/requests.ts'
import type { SubscriptionSlots } from '../limits/websocket.ts'
import { wsSubject } from '../limits/websocket.ts'
import { onIteratorEnd, type OperationObserver } from '../observability.ts'

/** What the HTTP layer knows about one request. */
export interface HttpRequestState {
  requestId: string
  startedAt: number
  /** Set once credentials were checked (undefined principal = anonymous). */
  authenticated: boolean
  principal?: Principal
  ip?: string
  /** The rate-limit decision to report in X-RateLimit-* headers. */
  limit?: LimitReport
  /** Reached onParams: a GraphQL request (not GraphiQL, not a CORS preflight). */
  graphql: boolean
  operationName?: string | null
  operationType?: string
  errorCodes: string[]
}

const validRequestId = /^[A-Za-z0-9._:-]{1,128}$/
/** `query Name`, `mutation`, or the `{ … }` shorthand at the start of a document (comments and commas aside). */
const leadingOperation = /^(?:[\s,]|#[^\n]*\n)*(?:(query|mutation|subscription)\b\s*([_A-Za-z][_0-9A-Za-z]*)?|\{)/

export interface HttpPipeline {
  state(request: Request): HttpRequestState | undefined
  /** yoga plugin: request id, authentication, request rate limits, response headers, log and metrics. */
  plugin: Plugin
}

export function createHttpPipeline(deps: AppDeps, opts: { clientIp: (request: Request, req?: IncomingMessage) => string | undefined; observer: OperationObserver }): HttpPipeline {
  const states = new WeakMap<Request, HttpRequestState>()
  const { requestLimiter, config } = deps

  const stateOf = (request: Request, req?: IncomingMessage): HttpRequestState => {
    let s = states.get(request)
    if (!s) {
      const given = request.headers.get('x-request-id')
      s = { requestId: given && validRequestId.test(given) ? given : randomUUID(), startedAt: performance.now(), authenticated: false, graphql: false, errorCodes: [], ip: opts.clientIp(request, req) }
      states.set(request, s)
    }
    return s
  }

  /** Authenticates once per request; bad credentials still spend the client IP's anonymous budget. */
  const authenticateRequest = async (s: HttpRequestState, request: Request) => {
    try {
      s.principal = await authenticate(deps, credentialFromHeaders(request.headers))
      s.authenticated = true
    } catch (e) {
      if (e instanceof AppError && e.code === 'UNAUTHENTICATED') await requestLimiter.consume({ ip: s.ip }, (r) => (s.limit = r))
      throw e
    }
  }

  const plugin: Plugin = {
    onRequest({ request, serverContext }) {
      stateOf(request, (serverContext as { req?: IncomingMessage } | undefined)?.req)
    },
    // Credentials are headers: check them before reading the body, so every later answer knows the caller.
    async onRequestParse({ request }) {
      await authenticateRequest(stateOf(request), request)
    },
    async onParams({ params, request }) {
      const s = stateOf(request)
      s.graphql = true
      s.operationName = typeof params.operationName === 'string' ? params.operationName : null
      // A first guess from the text, for requests refused before parsing (the parsed document corrects it).
      const head = typeof params.query === 'string' ? leadingOperation.exec(params.query.slice(0, 1_000)) : null
      if (head) {
        s.operationType = head[1] ?? 'query'
        s.operationName ??= head[2] ?? null
      }
      if (!s.authenticated) await authenticateRequest(s, request)
      // Sign-up and login have their own per-IP budget and never count against a tenant: report, don't count.
      if (isAuthOnlyQuery(params.query, params.operationName, config.queryLimits.maxTokens)) {
        s.limit = await requestLimiter.peek({ principal: s.principal, ip: s.ip }).catch(() => undefined)
        return
      }
      await requestLimiter.consume({ principal: s.principal, ip: s.ip }, (r) => (s.limit = r))
    },
    async onResponse({ request, response }) {
      const s = states.get(request)
      if (!s) return
      response.headers.set('X-Request-ID', s.requestId)
      const path = new URL(request.url, 'http://localhost').pathname
      if (path !== '/graphql' || request.method === 'OPTIONS') return
      // Responses that were not counted (e.g. a body that is not JSON) report the caller's state all the same.
      const limit = s.limit ?? (await requestLimiter.peek({ principal: s.principal, ip: s.ip }).catch(() => undefined))
      if (limit) setRateLimitHeaders(response.headers, limit)
      if (!s.graphql && (response.headers.get('content-type') ?? '').startsWith('text/html')) return
      deps.metrics.httpRequestDuration.observe({ method: request.method, status: String(response.status) }, (performance.now() - s.startedAt) / 1000)
      opts.observer.finish({ transport: 'http', requestId: s.requestId, principal: s.principal, operationName: s.operationName, operationType: s.operationType, startedAt: s.startedAt, status: response.status, errorCodes: s.errorCodes })
    },
  }
  return { state: (r) => states.get(r), plugin }
}

/** The operation type of the executed operation, recorded for the log line. */
export function operationTypeOf(document: DocumentNode, operationName?: string | null) {
  return getOperationAST(document, operationName)?.operation
}

/**
 * Envelop plugin for HTTP only: records the operation type, and applies the per-principal limit of concurrent
 * subscriptions to subscriptions over HTTP (server-sent events) as src/ws.ts does for WebSocket.
 */
export function httpOperationPlugin(pipeline: HttpPipeline, slots: SubscriptionSlots): EnvelopPlugin<Context> {
  const stateOf = (ctx: unknown) => {
    const request = (ctx as { request?: Request } | undefined)?.request
    return request && pipeline.state(request)
  }
  const record = (ctx: unknown, type: string | undefined) => {
    const s = stateOf(ctx)
    if (s && type) s.operationType = type
  }
  return {
    // The operation's name as the document gives it, when the request did not say (`query Me { … }`).
    onParse({ context }) {
      return ({ result }) => {
        const s = stateOf(context)
        if (!s || s.operationName || !result || result instanceof Error) return
        const op = getOperationAST(result as DocumentNode)
        s.operationName = op?.name?.value ?? null
        if (op) s.operationType = op.operation
      }
    },
    onExecute({ args }) {
      record(args.contextValue, operationTypeOf(args.document, args.operationName))
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const ctx = args.contextValue as Context & { request?: Request }
      record(ctx, 'subscription')
      if (ctx.transport !== 'http') return
      let release: () => void
      try {
        release = slots.acquire(wsSubject(ctx.principal, ctx.ip))
      } catch (e) {
        setResultAndStopExecution({ errors: [new GraphQLError((e as Error).message, { originalError: e as Error })] })
        return
      }
      return {
        onSubscribeResult({ result, setResult }) {
          if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') setResult(onIteratorEnd(result as AsyncIterable<unknown>, release) as typeof result)
          else release()
        },
      }
    },
  }
}
