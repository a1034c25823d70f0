// A subscription that survives disconnects without losing or repeating anything. graphql-ws would resubscribe after
// a reconnect with the ORIGINAL variables (so `after` would replay from the start); this helper instead restarts the
// subscription itself with `after` set to the last cursor it delivered.
import { createClient, type Client, type ClientOptions } from 'graphql-ws'
import type { TypedDocumentString } from './generated/graphql.ts'

export interface ResumableOptions<TData, TVariables extends { after?: string | null }> {
  /** A graphql-ws client; create it with `createResumableClient` (its own retries must be off). */
  client: Client
  query: TypedDocumentString<TData, TVariables> | string
  variables: TVariables
  /** The cursor of a delivered result (e.g. `data.executionEvents.cursor`). */
  cursorOf: (data: TData) => string | undefined
  onNext: (data: TData) => void
  onComplete?: () => void
  /** A final error (bad input, no access, not found): no retry. */
  onError?: (error: unknown) => void
  /** Delay before resubscribing, by attempt (default: 200 ms doubling to 5 s). */
  backoff?: (attempt: number) => number
}

/** graphql-ws client for resumable subscriptions: lazy, and without graphql-ws's own resubscription. */
export const createResumableClient = (options: ClientOptions) => createClient({ lazy: true, ...options, retryAttempts: 0 })

/** Errors after which resubscribing from the last cursor is the right move. */
function retryable(error: unknown): boolean {
  if (!Array.isArray(error)) return true // a closed socket or a network error
  return error.every((e: { extensions?: { code?: string } }) => e?.extensions?.code === 'SERVICE_UNAVAILABLE' || e?.extensions?.code === 'RATE_LIMITED')
}

/** Starts the subscription; returns a function that stops it for good. */
export function subscribeResumable<TData, TVariables extends { after?: string | null }>(o: ResumableOptions<TData, TVariables>): () => void {
  let cursor = o.variables.after ?? undefined
  let stopped = false
  let attempt = 0
  let unsubscribe = () => {}
  let timer: ReturnType<typeof setTimeout> | undefined
  const backoff = o.backoff ?? ((n: number) => Math.min(5_000, 200 * 2 ** n))
  const fail = (error: unknown) => {
    if (stopped) return
    if (!retryable(error)) {
      stopped = true
      o.onError?.(error)
      return
    }
    timer = setTimeout(start, backoff(attempt++))
  }
  const start = () => {
    if (stopped) return
    // A stream the server ends early (a slow consumer, an interrupted read) sends its error as a result, then
    // completes: remember it, and resume instead of completing.
    let ended: unknown
    unsubscribe = o.client.subscribe<TData>({ query: String(o.query), variables: { ...o.variables, after: cursor ?? null } }, {
      next: (result) => {
        if (result.errors?.length) {
          ended = result.errors
          return
        }
        attempt = 0
        const data = result.data as TData
        cursor = o.cursorOf(data) ?? cursor
        o.onNext(data)
      },
      complete: () => {
        if (ended) return fail(ended)
        if (!stopped) o.onComplete?.()
        stopped = true
      },
      error: fail,
    })
  }
  start()
  return () => {
    stopped = true
    clearTimeout(timer)
    unsubscribe()
  }
}
