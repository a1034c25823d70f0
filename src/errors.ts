// Domain errors. Services throw these; the GraphQL layer exposes their code and message and masks everything else.

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'VALIDATION_FAILED'
  | 'CONFLICT'
  | 'TOOL_IN_USE'
  | 'INVALID_MODEL'
  | 'PROMPT_TOO_LONG'
  | 'RATE_LIMITED'
  | 'QUOTA_EXCEEDED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'QUERY_TOO_COMPLEX'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  | 'THREAD_BUSY'
  | 'INTERRUPT_EXPIRED'
  | 'BUDGET_EXCEEDED'

/** A problem with one input field, as reported in `extensions.fields`. */
export interface FieldProblem {
  path: string
  message: string
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra, client-safe details merged into `extensions`. */
    readonly details: Record<string, unknown> = {},
  ) {
    super(message)
    this.name = 'AppError'
  }
}

export const notFound = (what = 'Resource') => new AppError('NOT_FOUND', `${what} not found.`)
export const validationFailed = (fields: FieldProblem[], message = 'Input is invalid.') =>
  new AppError('VALIDATION_FAILED', message, { fields })
export const serviceUnavailable = (retryAfter = 1) =>
  new AppError('SERVICE_UNAVAILABLE', 'The service is temporarily unavailable; retry later.', { retryAfter })

/** HTTP status for errors that refuse a whole request (contract: 401/403/429/503; 400 for a query over a shape limit). */
export const httpStatusFor: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  QUERY_TOO_COMPLEX: 400,
  SERVICE_UNAVAILABLE: 503,
}
