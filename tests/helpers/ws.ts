// A real graphql-ws client against a listening test app.
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws'

type ExecutionResult<T> = FormattedExecutionResult<T, unknown>
import WebSocket from 'ws'

export interface WsConnection {
  client: Client
  /** Every close event seen, in order. */
  closes: { code: number; reason: string }[]
  /** Resolves with the first close. */
  closed: Promise<{ code: number; reason: string }>
  /** Runs one operation to completion; resolves with its results, or rejects with the operation's error. */
  collect<T = unknown>(query: string, variables?: Record<string, unknown>): Promise<ExecutionResult<T>[]>
  /** Starts an operation and returns its live results plus a stop function. */
  start<T = unknown>(query: string, variables?: Record<string, unknown>): { results: ExecutionResult<T>[]; done: Promise<unknown>; stop: () => void }
}

/** `headers` go on the upgrade request (e.g. X-Forwarded-For). */
export function connectWs(port: number, connectionParams?: Record<string, unknown>, opts: { headers?: Record<string, string> } = {}): WsConnection {
  const closes: { code: number; reason: string }[] = []
  let onClose: (c: { code: number; reason: string }) => void
  const closed = new Promise<{ code: number; reason: string }>((r) => (onClose = r))
  const client = createClient({
    url: `ws://127.0.0.1:${port}/graphql`,
    webSocketImpl: opts.headers ? withHeaders(opts.headers) : WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams,
    on: {
      closed: (e) => {
        const c = { code: (e as { code: number }).code, reason: String((e as { reason: string }).reason) }
        closes.push(c)
        onClose(c)
      },
    },
    onNonLazyError: () => {},
  })
  const start = <T>(query: string, variables?: Record<string, unknown>) => {
    const results: ExecutionResult<T>[] = []
    let stop = () => {}
    const done = new Promise((resolve, reject) => {
      stop = client.subscribe<T>({ query, variables }, { next: (r) => results.push(r), error: reject, complete: () => resolve(results) })
    })
    done.catch(() => {}) // observed by whoever awaits it; a socket closed under a live operation is not a crash
    return { results, done, stop }
  }
  return {
    client,
    closes,
    closed,
    start,
    collect: async <T>(query: string, variables?: Record<string, unknown>) => {
      const op = start<T>(query, variables)
      await op.done
      return op.results
    },
  }
}

/** Polls until `check` passes (for asynchronous effects). */
export async function eventually(check: () => void | Promise<void>, ms = 5_000) {
  const until = Date.now() + ms
  for (;;) {
    try {
      return await check()
    } catch (e) {
      if (Date.now() > until) throw e
      await new Promise((r) => setTimeout(r, 25))
    }
  }
}

/** A WebSocket class that sends `headers` with its upgrade request. */
function withHeaders(headers: Record<string, string>) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers })
    }
  }
}
