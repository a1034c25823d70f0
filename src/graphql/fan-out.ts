// Fan-out: when many subscribers follow one stream, each event is executed once per distinct selection instead of
// once per subscriber. The execution log's events come out of the process's shared log cache as the same frozen
// object for every follower (src/events/log-cache.ts), so an event and a selection key find the result another
// subscriber already computed. Authorisation is decided when a subscription starts (authScopes on the field,
// checked on subscribe); the key still holds everything the result may depend on besides the event: the tenant, the
// principal's role, scopes and deletion state, the document, the operation name and the variables. Payloads that are
// not frozen (another stream's entries, a stream's failure) are executed per subscriber as before.
import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql'
import { getDocumentString } from '@envelop/core'
import { mapAsyncIterator } from '@graphql-tools/utils'
import type { Plugin } from 'graphql-yoga'
import type { Context } from '../context.ts'
import type { Metrics } from '../metrics.ts'
import { directFrames, frameSinkOf } from './direct-frames.ts'
import { LruCache } from './lru.ts'

type Result = ExecutionResult | Promise<ExecutionResult>
type Counters = Record<'executed' | 'shared', { inc(): void }>

// Per event: results by selection (an interned number, so an event holds no copy of the key). Weak: an event's
// results go when the log cache and every follower have let the event go.
const resultsByEvent = new WeakMap<object, Map<number, Result>>()
const selectionIds = new LruCache<string, number>(10_000)
let nextSelectionId = 0

/** A number for `key`, the same while the key stays among the most recently used selections. */
function selectionId(key: string) {
  let id = selectionIds.get(key)
  if (id === undefined) selectionIds.set(key, (id = nextSelectionId++))
  return id
}

/** What a subscription's results may depend on besides the event; undefined: never share (no principal). */
function selectionKey(args: Pick<ExecutionArgs, 'document' | 'operationName' | 'variableValues' | 'contextValue'>): string | undefined {
  const p = (args.contextValue as Context).principal
  if (!p) return undefined
  const who = [p.tenantId, p.kind, p.kind === 'USER' ? p.role : null, [...p.scopes].sort(), p.tenant.deletionScheduledAt?.getTime() ?? null]
  return JSON.stringify([who, args.operationName ?? null, args.variableValues ?? null, getDocumentString(args.document, print)])
}

/** The event's result for this selection; `shared` when it is the one result every sharer of the key gets. */
function resultFor(args: ExecutionArgs, key: number, event: unknown, counters: Counters): { result: Result; shared: boolean } {
  const run = () => execute({ ...args, rootValue: event })
  if (typeof event !== 'object' || event === null || !Object.isFrozen(event)) return { result: run(), shared: false }
  let results = resultsByEvent.get(event)
  if (!results) resultsByEvent.set(event, (results = new Map()))
  let result = results.get(key)
  if (result) {
    counters.shared.inc()
  } else {
    counters.executed.inc()
    results.set(key, (result = run()))
  }
  return { result, shared: true }
}

/** Envelop plugin: subscriptions with the same selection share each event's execution (see above). */
export function fanOutPlugin(metrics: Metrics): Plugin<Context> {
  // Label lookups once, not per subscriber and event.
  const counters = { executed: metrics.subscriptionEventResults.labels({ source: 'executed' }), shared: metrics.subscriptionEventResults.labels({ source: 'shared' }) }
  return {
    onSubscribe({ args, setSubscribeFn }) {
      const text = selectionKey(args)
      if (text === undefined) return
      const key = selectionId(text)
      setSubscribeFn(async (a) => {
        const stream = await createSourceEventStream(a)
        if (!(Symbol.asyncIterator in stream)) return stream
        const events = stream as AsyncIterable<unknown> as AsyncIterableIterator<unknown>
        const sink = frameSinkOf(a.contextValue)
        if (sink) return directFrames(events, sink, (event) => resultFor(a, key, event, counters))
        return mapAsyncIterator(events, (event) => resultFor(a, key, event, counters).result)
      })
    },
  }
}
