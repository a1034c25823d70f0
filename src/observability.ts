// One log line and one set of metrics per GraphQL operation, whatever the transport: request id, tenant, principal,
// operation name and type, duration and outcome (ok, error, refused) with the error codes.
import type { Plugin } from '@envelop/core'
import { principalId, type Principal } from './auth/principal.ts'
import type { Config } from './config.ts'
import type { Context } from './context.ts'
import { moduleLogger, type Logger } from './logger.ts'
import type { Metrics, Transport } from './metrics.ts'

export interface OperationRecord {
  transport: Transport
  requestId: string
  principal?: Principal
  operationName?: string | null
  operationType?: string
  /** performance.now() at the start. */
  startedAt: number
  /** HTTP status, for HTTP requests. */
  status?: number
  /** extensions.code of every error returned. */
  errorCodes: string[]
}

/** Codes that mean "refused before or instead of running" rather than "failed while running". */
const refusals = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED', 'QUOTA_EXCEEDED', 'BUDGET_EXCEEDED', 'QUERY_TOO_COMPLEX', 'SERVICE_UNAVAILABLE'])

export type Outcome = 'ok' | 'error' | 'refused'

export function outcomeOf(codes: readonly string[]): Outcome {
  if (!codes.length) return 'ok'
  return codes.every((c) => refusals.has(c)) ? 'refused' : 'error'
}

export interface OperationObserver {
  /** Logs and measures a finished operation. */
  finish(rec: OperationRecord): void
}

export function createOperationObserver(deps: { config: Pick<Config, 'log'>; logger: Logger; metrics: Metrics }): OperationObserver {
  const log = moduleLogger(deps.logger, deps.config, 'operations')
  return {
    finish(rec) {
      const durationMs = Math.round((performance.now() - rec.startedAt) * 100) / 100
      const outcome = outcomeOf(rec.errorCodes)
      const operation = deps.metrics.operationLabel(rec.operationName)
      const type = rec.operationType ?? 'unknown'
      deps.metrics.operationDuration.observe({ operation, type, transport: rec.transport, outcome }, durationMs / 1000)
      for (const code of new Set(rec.errorCodes)) deps.metrics.operationErrors.inc({ operation, code, transport: rec.transport })
      const line = {
        requestId: rec.requestId,
        transport: rec.transport,
        tenantId: rec.principal?.tenantId,
        principalId: rec.principal ? principalId(rec.principal) : undefined,
        principalKind: rec.principal?.kind ?? 'ANONYMOUS',
        operationName: rec.operationName ?? undefined,
        operationType: type,
        status: rec.status,
        durationMs,
        outcome,
        ...(rec.errorCodes.length && { errors: [...new Set(rec.errorCodes)] }),
      }
      if (rec.errorCodes.includes('INTERNAL_SERVER_ERROR')) log.warn(line, 'operation')
      else log.info(line, 'operation')
    },
  }
}

/** An async iterator that calls `onEnd` exactly once when `source` finishes, fails or is returned early. */
export function onIteratorEnd<T>(source: AsyncIterable<T>, onEnd: () => void): AsyncIterableIterator<T> {
  const it = source[Symbol.asyncIterator]()
  let ended = false
  const end = () => {
    if (ended) return
    ended = true
    onEnd()
  }
  return {
    [Symbol.asyncIterator]() {
      return this
    },
    async next() {
      try {
        const r = await it.next()
        if (r.done) end()
        return r
      } catch (e) {
        end()
        throw e
      }
    },
    async return(value?: unknown) {
      end()
      return (await it.return?.(value)) ?? { done: true, value: undefined }
    },
    async throw(e?: unknown) {
      end()
      if (it.throw) return it.throw(e)
      throw e
    },
  }
}

const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'

/** Envelop plugin: the graphql_active_subscriptions gauge, for every transport. */
export function activeSubscriptionsPlugin(metrics: Metrics): Plugin<Context> {
  return {
    onSubscribe({ args }) {
      const transport = (args.contextValue as Context).transport ?? 'http'
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return
          metrics.activeSubscriptions.inc({ transport })
          setResult(onIteratorEnd(result, () => metrics.activeSubscriptions.dec({ transport })) as typeof result)
        },
      }
    },
  }
}
