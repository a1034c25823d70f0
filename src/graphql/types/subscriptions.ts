import { sessionOf, type Context } from '../../context.ts'
import { AppError } from '../../errors.ts'
import { SlowConsumerError } from '../../events/follow.ts'
import type { StoredEvent } from '../../events/execution-log.ts'
import type { Pushable } from '../../events/pushable.ts'
import { streamExecutionEvents, streamProgress, streamTenantEvents, type ProgressUpdate, type TenantEventEntry } from '../../services/streams.ts'
import { encodeGlobalId } from '../../global-ids.ts'
import { builder } from '../builder.ts'
import { decodeCursor, encodeCursor } from '../connection.ts'
import { decodeId } from '../ids.ts'
import { afterSeq, eventsList, ExecutionEventRef, ExecutionStatusEnum } from './execution.ts'

interface Failure {
  failure: unknown
}

/**
 * A stream that fails mid-way (a consumer too slow, the database unreachable) ends with one error event carrying
 * the last cursor delivered, then completes: an exception here would make graphql-ws close the whole socket. Pushes
 * (src/events/pushable.ts) pass through: a failure met while pushed to surfaces on the next `next()`.
 */
function guarded<T>(source: Pushable<T>): Pushable<T | Failure> {
  let failed = false
  const it: Pushable<T | Failure> = {
    async next() {
      if (failed) return { done: true, value: undefined }
      try {
        return await source.next()
      } catch (failure) {
        failed = true
        return { done: false, value: { failure } }
      }
    },
    async return() {
      await source.return?.()
      return { done: true, value: undefined }
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
  const pushTo = source.pushTo?.bind(source)
  if (pushTo) it.pushTo = (push) => (failed ? undefined : pushTo(push))
  return it
}

function unwrap<T>(payload: T | Failure, cursor: (seq: number) => string): T {
  if (payload && typeof payload === 'object' && 'failure' in payload) {
    const f = payload.failure
    if (f instanceof AppError) throw f
    const lastSeq = f instanceof SlowConsumerError ? f.lastSeq : undefined
    throw new AppError('SERVICE_UNAVAILABLE', f instanceof SlowConsumerError ? f.message : 'The stream was interrupted; resubscribe from your last cursor.', {
      reason: f instanceof SlowConsumerError ? 'SLOW_CONSUMER' : 'STREAM_INTERRUPTED', retryAfter: 0, ...(lastSeq !== undefined && lastSeq > 0 && { cursor: cursor(lastSeq) }),
    })
  }
  return payload as T
}

const ExecutionProgressRef = builder.objectRef<ProgressUpdate>('ExecutionProgress').implement({
  fields: (t) => ({
    status: t.field({ type: ExecutionStatusEnum, resolve: (p) => p.status }),
    step: t.exposeString('step'),
    percent: t.exposeInt('percent'),
    tokens: t.exposeInt('tokens', { description: 'Tokens used so far.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
})

const TenantEventRef = builder.objectRef<{ cursor: string; type: string; resourceType: string; resourceId: string; at: Date; data: unknown }>('TenantEvent').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor'),
    type: t.exposeString('type', { description: 'e.g. `execution.status`, `tool.create`, `agent.update`.' }),
    resourceType: t.exposeString('resourceType'),
    resourceId: t.exposeID('resourceId', { description: 'Global id of the resource.' }),
    at: t.expose('at', { type: 'DateTime' }),
    data: t.field({ type: 'JSON', resolve: (e) => e.data }),
  }),
})

const eventCursor = (ctx: Context, executionId: string) => (seq: number) => encodeCursor(ctx, eventsList(executionId), String(seq))

builder.subscriptionFields((t) => ({
  executionEvents: t.field({
    type: ExecutionEventRef,
    description: "The run's AG-UI events strictly after `after` (from the start when absent), then live; completes after the terminal event.",
    authScopes: { scope: 'EXECUTIONS_READ' },
    args: { executionId: t.arg.id({ required: true }), after: t.arg.string() },
    subscribe: async (_r, args, ctx) => {
      const id = decodeId(args.executionId, 'Execution')
      return guarded(await streamExecutionEvents(sessionOf(ctx), id, afterSeq(ctx, id, args.after)))
    },
    resolve: (payload, args, ctx) => {
      const id = decodeId(args.executionId, 'Execution')
      const e = unwrap(payload as StoredEvent | Failure, eventCursor(ctx, id))
      return { cursor: eventCursor(ctx, id)(e.seq), seq: e.seq, type: e.type, event: e.payload, createdAt: e.createdAt }
    },
  }),
  executionProgress: t.field({
    type: ExecutionProgressRef,
    description: 'Task progress of a run (status, current step, percent, tokens); completes when the run ends.',
    authScopes: { scope: 'EXECUTIONS_READ' },
    args: { executionId: t.arg.id({ required: true }) },
    subscribe: async (_r, args, ctx) => guarded(await streamProgress(sessionOf(ctx), decodeId(args.executionId, 'Execution'))),
    resolve: (payload) => unwrap(payload as ProgressUpdate | Failure, () => ''),
  }),
  tenantEvents: t.field({
    type: TenantEventRef,
    description: "The tenant's domain events (execution status changes, tool/agent/thread changes): strictly after `after` then live, or from now on without it. `types` filters (`execution.*` matches a prefix).",
    authScopes: { authenticated: true },
    args: { types: t.arg.stringList(), after: t.arg.string() },
    subscribe: async (_r, args, ctx) => {
      const after = args.after == null ? undefined : Number(decodeCursor(ctx, 'tenantEvents', args.after, 'after'))
      return guarded(await streamTenantEvents(sessionOf(ctx), after, args.types))
    },
    resolve: (payload, _a, ctx) => {
      const e = unwrap(payload as TenantEventEntry | Failure, (seq) => encodeCursor(ctx, 'tenantEvents', String(seq)))
      return { ...e, cursor: encodeCursor(ctx, 'tenantEvents', String(e.seq)), resourceId: encodeGlobalId(e.resourceType, e.resourceId) }
    },
  }),
}))
