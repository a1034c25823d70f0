// The HTTP adapter around yoga: a request id; the admission pipeline's first steps (src/admission.ts) at the HTTP
// moments: credentials are headers, so the caller is identified before the body is read, and the request is counted
// as soon as its parameters are known; X-RateLimit-* headers on every response; one log line and metrics per request.
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { getOperationAST, type DocumentNode } from 'graphql'
import type { Plugin as EnvelopPlugin } from '@envelop/core'
import type { Plugin } from 'graphql-yoga'
import type { Admission } from '../admission.ts'
import { credentialFromHeaders } from '../auth/authenticate.ts'
import type { Principal } from '../auth/principal.ts'
import type { AppDeps } from '../services/session.ts'
import { setRateLimitHeaders, type LimitReport } from '../limits/requests.ts'
import type { OperationObserver } from '../observability.ts'

/** What the HTTP layer knows about one request. */
export interface HttpRequestState {
  requestId: string
  startedAt: number
  /** Set once the caller was identified (undefined principal = anonymous). */
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

export interface HttpAdapter {
  state(request: Request): HttpRequestState | undefined
  /** yoga plugin: request id, identification and request limits, response headers, log and metrics. */
  plugin: Plugin
}

export function createHttpAdapter(deps: AppDeps, admission: Admission, opts: { clientIp: (request: Request, req?: IncomingMessage) => string | undefined; observer: OperationObserver }): HttpAdapter {
  const states = new WeakMap<Request, HttpRequestState>()
  const { requestLimiter } = deps

  const stateOf = (request: Request, req?: IncomingMessage): HttpRequestState => {
    let s = states.get(request)
    if (!s) {
      const given = request.headers.get('x-request-id')
      s = { requestId: given && validRequestId.test(given) ? given : randomUUID(), startedAt: performance.now(), authenticated: false, graphql: false, errorCodes: [], ip: opts.clientIp(request, req) }
      states.set(request, s)
    }
    return s
  }

  const plugin: Plugin = {
    onRequest({ request, serverContext }) {
      stateOf(request, (serverContext as { req?: IncomingMessage } | undefined)?.req)
    },
    // Credentials are headers: check them before reading the body, so every later answer knows the caller.
    async onRequestParse({ request }) {
      const s = stateOf(request)
      s.principal = await admission.identify(credentialFromHeaders(request.headers), s.ip, (r) => (s.limit = r))
      s.authenticated = true
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
      await admission.admitRequest({ principal: s.principal, ip: s.ip }, params, (r) => (s.limit = r))
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

/** Envelop plugin for HTTP only: records the operation's name and type for the request's log line. */
export function httpOperationPlugin(http: HttpAdapter): EnvelopPlugin {
  const stateOf = (ctx: unknown) => {
    const request = (ctx as { request?: Request } | undefined)?.request
    return request && http.state(request)
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
      const s = stateOf(args.contextValue)
      const type = getOperationAST(args.document, args.operationName)?.operation
      if (s && type) s.operationType = type
    },
    onSubscribe({ args }) {
      const s = stateOf(args.contextValue)
      if (s) s.operationType = 'subscription'
    },
  }
}
