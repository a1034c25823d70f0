// Failures of a model turn. The worker retries an execution only when `retryable` is true; a cancelled turn is not
// an LlmError at all but the signal's own reason, so cancellation can never be mistaken for a provider failure.

export interface LlmErrorOptions {
  retryable: boolean
  /** HTTP status returned by the provider, when there was one. */
  status?: number
  /** Seconds the provider asked us to wait (HTTP Retry-After). */
  retryAfterSeconds?: number
  cause?: unknown
}

export class LlmError extends Error {
  readonly retryable: boolean
  readonly status?: number
  readonly retryAfterSeconds?: number

  constructor(message: string, opts: LlmErrorOptions) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause })
    this.name = 'LlmError'
    this.retryable = opts.retryable
    if (opts.status !== undefined) this.status = opts.status
    if (opts.retryAfterSeconds !== undefined) this.retryAfterSeconds = opts.retryAfterSeconds
  }
}

/** A failure worth retrying later: network, timeout, HTTP 408/429/5xx, stream cut short. */
export const transientLlmError = (message: string, extra: Omit<LlmErrorOptions, 'retryable'> = {}) =>
  new LlmError(message, { ...extra, retryable: true })

/** A failure that will happen again: bad request, unknown model, malformed response. */
export const permanentLlmError = (message: string, extra: Omit<LlmErrorOptions, 'retryable'> = {}) =>
  new LlmError(message, { ...extra, retryable: false })

/** True when `err` is how a stream reports cancellation: the signal's reason, or any error named AbortError. */
export function isAbortError(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted && err === signal.reason) return true
  return typeof err === 'object' && err !== null && (err as { name?: unknown }).name === 'AbortError'
}

/** Resolves after `ms`, or rejects with `signal.reason` as soon as the signal aborts (timer cleared). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
