// The single place that decides what an error looks like to a client, for HTTP and WebSocket alike.
import { GraphQLError, type GraphQLFormattedError } from 'graphql'
import { AppError, httpStatusFor, serviceUnavailable, type ErrorCode } from '../errors.ts'
import { transientKind } from '../db/transient.ts'
import { isUniqueViolation } from '../services/db-errors.ts'

const publicCodes = new Set<string>([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED', 'CONFLICT', 'TOOL_IN_USE', 'INVALID_MODEL',
  'PROMPT_TOO_LONG', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'IDEMPOTENCY_KEY_REUSED', 'QUERY_TOO_COMPLEX',
  'SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR', 'THREAD_BUSY', 'INTERRUPT_EXPIRED', 'BUDGET_EXCEEDED',
] satisfies ErrorCode[])

/** Client-safe details an error may carry besides its code (see docs/errors.md). */
const publicExtensions = ['fields', 'retryAfter', 'limit', 'actual', 'agents', 'currentVersion', 'allowedModels', 'reason', 'field', 'quota', 'used', 'resetAt', 'scope', 'metric', 'subjectId', 'budgetId', 'interruptId', 'expiresAt']

interface HttpExtension {
  status?: number
  headers?: Record<string, string>
  spec?: boolean
}

/**
 * Request errors the GraphQL-over-HTTP specification covers (parse, validation, variable coercion): 400 for
 * `application/graphql-response+json`, but 200 for a client that accepts only `application/json`. Yoga honours
 * `http.spec` for that; graphql-js's coercion errors carry no code and no http extension at all. Also true for our
 * own public form of such an error, so a second pass keeps the flag.
 */
function isSpecRequestError(ext: Record<string, unknown>, http: HttpExtension | undefined): boolean {
  if (ext.code === undefined && !http) return true
  if (!http?.spec) return false
  return ext.code === 'GRAPHQL_PARSE_FAILED' || ext.code === 'GRAPHQL_VALIDATION_FAILED' || ext.code === 'VALIDATION_FAILED'
}

function root(error: unknown): unknown {
  let e = error
  while (e instanceof GraphQLError && e.originalError) e = e.originalError
  return asRetryable(e)
}

/**
 * Contention and outages a service did not absorb become retryable refusals, never a masked 500: a database that
 * cannot serve is SERVICE_UNAVAILABLE, a conflict that outlived its retries (or a uniqueness race a service did not
 * expect) is CONFLICT; both with `retryAfter`.
 */
function asRetryable(e: unknown): unknown {
  if (e instanceof AppError || e instanceof GraphQLError) return e
  const kind = transientKind(e)
  if (kind === 'unavailable') return serviceUnavailable(1)
  if (kind === 'retry' || isUniqueViolation(e)) return new AppError('CONFLICT', 'A concurrent request changed the same data; retry.', { retryAfter: 1 })
  return e
}

/**
 * Maps any error to its public form. AppErrors keep their code, message and details; GraphQL request errors
 * (syntax, validation, variable values, malformed HTTP requests) become VALIDATION_FAILED with HTTP 400 unless they
 * carry their own code; anything else is masked as INTERNAL_SERVER_ERROR. Never carries originalError or a stack.
 * Errors without a path refused the whole request, so they also set the HTTP status.
 */
export function toPublicError(error: unknown, opts: { production: boolean }): GraphQLError {
  const outer = error instanceof GraphQLError ? error : undefined
  const cause = root(error)
  const where = (e: GraphQLError | undefined) => ({ nodes: e?.nodes, source: e?.source, positions: e?.positions, path: e?.path })
  const wholeRequest = !outer?.path

  if (cause instanceof AppError) {
    const status = wholeRequest ? httpStatusFor[cause.code] : undefined
    const retryAfter = typeof cause.details.retryAfter === 'number' ? { 'Retry-After': String(cause.details.retryAfter) } : undefined
    return new GraphQLError(cause.message, {
      ...where(outer),
      extensions: { ...cause.details, code: cause.code, ...(status && { http: { status, headers: retryAfter } }) },
    })
  }
  if (cause instanceof GraphQLError) {
    const ext = cause.extensions ?? {}
    const code = typeof ext.code === 'string' && publicCodes.has(ext.code) ? ext.code : 'VALIDATION_FAILED'
    const http = ext.http as HttpExtension | undefined
    const status = wholeRequest ? (http?.status && http.status >= 400 ? http.status : 400) : undefined
    const message = opts.production ? cause.message.replace(/ Did you mean .*\?$/, '') : cause.message
    return new GraphQLError(message, {
      ...where(cause.nodes || cause.positions ? cause : outer),
      extensions: {
        ...pick(ext, publicExtensions),
        code,
        ...(code === 'VALIDATION_FAILED' && !ext.fields && { fields: [] }),
        ...(status && { http: { status, headers: http?.headers, ...(isSpecRequestError(ext, http) && { spec: true }) } }),
      },
    })
  }
  return new GraphQLError('Unexpected error.', { ...where(outer), extensions: { code: 'INTERNAL_SERVER_ERROR' } })
}

/** True when the error was masked (so the original deserves a log line). */
export const isMasked = (e: GraphQLError) => e.extensions.code === 'INTERNAL_SERVER_ERROR'

/** The same error with `extensions.requestId` (the contract's correlation id on every error). */
export function addRequestId(e: GraphQLError, requestId: string): GraphQLError {
  return new GraphQLError(e.message, {
    nodes: e.nodes, source: e.source, positions: e.positions, path: e.path,
    extensions: { ...e.extensions, requestId },
  })
}

/** Serialised for a transport that does not strip server-only extensions itself (graphql-ws). */
export function toWire(e: GraphQLError): GraphQLFormattedError {
  const json = e.toJSON()
  const { http: _http, ...extensions } = json.extensions ?? {}
  return { ...json, extensions }
}

function pick(o: Record<string, unknown>, keys: string[]) {
  return Object.fromEntries(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k]]))
}
