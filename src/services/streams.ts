// Live streams for subscriptions, each a replay-then-follow over a durable log (see events/follow.ts). Access is
// checked when the subscription starts; everything read afterwards goes through the caller's tenant scope.
import type { Session } from './session.ts'
import { notFound } from '../errors.ts'
import { EventType, isTerminal, type AguiEvent } from '../events/agui.ts'
import { readEvents, type StoredEvent } from '../events/execution-log.ts'
import { follow } from '../events/follow.ts'
import { transform, type Pushable } from '../events/pushable.ts'
import { topics } from '../events/topics.ts'
import type { ExecutionStatus } from '../generated/prisma/enums.ts'
import { isFinished } from './runs/lifecycle.ts'

const followOptions = (s: Session) => ({ pubsub: s.deps.pubsub, pollMs: s.deps.config.subscriptions.pollMs, maxLag: s.deps.config.subscriptions.maxLag })

/** Reads an execution's log through the process's shared cache. */
const cachedLog = (s: Session, executionId: string) => (after: number, limit: number) =>
  s.deps.logCache.read(`${s.principal.tenantId}:${executionId}`, after, limit, (a, l) => readEvents(s.db, executionId, a, l))

/**
 * An execution's events strictly after `after`, then live; ends after the run's terminal event. Once caught up, its
 * consumer may take them pushed by the run's feed (`pushTo`, src/events/feed.ts) instead of pulling each one.
 */
export async function streamExecutionEvents(s: Session, executionId: string, after: number): Promise<Pushable<StoredEvent>> {
  const e = await s.db.client.execution.findUnique({ where: { id: executionId }, select: { status: true, lastSeq: true } })
  if (!e) throw notFound('Execution')
  // A finished run's log is complete: a cursor at (or past) its end has nothing to wait for.
  if (isFinished(e.status) && after >= e.lastSeq) return empty()
  const key = `${s.principal.tenantId}:${executionId}`
  const events = follow({ ...followOptions(s), topic: topics.execution(executionId), after, read: cachedLog(s, executionId), isLast: (x) => isTerminal(x.type), feed: { hub: s.deps.feeds, key } })
  // Delivery lag (commit → send) of live events only: a replay of older ones measures the client's cursor, not us.
  const since = Date.now()
  return transform(events, (x) => {
    if (x.createdAt.getTime() >= since) s.deps.metrics.observeDeliveryLag(x.createdAt, s.meta.transport)
    return x
  })
}

export interface ProgressUpdate {
  status: ExecutionStatus
  step: string
  percent: number
  tokens: number
  updatedAt: Date
}

/**
 * Task progress of an execution: its current state first (folded from the log so far), then every change; ends when
 * the run ends. A finished run sends its final state once.
 */
export async function streamProgress(s: Session, executionId: string): Promise<AsyncIterableIterator<ProgressUpdate>> {
  const e = await s.db.client.execution.findUnique({ where: { id: executionId } })
  if (!e) throw notFound('Execution')
  const state: ProgressUpdate = { status: e.status, step: e.status === 'QUEUED' ? 'queued' : 'running', percent: 0, tokens: e.totalTokens, updatedAt: e.updatedAt }
  const fold = (x: StoredEvent) => foldProgress(state, x.payload)
  const seen = e.lastSeq ? await readEvents(s.db, executionId, 0, e.lastSeq) : []
  for (const x of seen) fold(x)
  if (isFinished(e.status)) {
    Object.assign(state, { status: e.status, tokens: e.totalTokens, updatedAt: e.finishedAt ?? e.updatedAt })
    return once({ ...state })
  }
  const after = seen.at(-1)?.seq ?? 0
  const events = follow({ ...followOptions(s), topic: topics.execution(executionId), after, pageSize: 500, read: cachedLog(s, executionId), isLast: (x) => isTerminal(x.type) })
  return transform(events, (x) => (fold(x) ? { ...state } : undefined), { ...state })
}

/** Applies one event to the progress state; false when the event says nothing about progress. */
function foldProgress(state: ProgressUpdate, ev: AguiEvent): boolean {
  if (ev.type === EventType.STATE_SNAPSHOT) apply(state, ev.snapshot as Record<string, unknown>)
  else if (ev.type === EventType.STATE_DELTA) for (const op of ev.delta as { path: string; value: unknown }[]) apply(state, { [op.path.slice(1)]: op.value })
  else if (ev.type === EventType.RUN_FINISHED) apply(state, { status: (ev.outcome as { type: string }).type === 'cancelled' ? 'CANCELLED' : 'SUCCEEDED', percent: 100 })
  else if (ev.type === EventType.RUN_ERROR) apply(state, { status: ev.code === 'TIMED_OUT' ? 'TIMED_OUT' : 'FAILED' })
  else return false
  state.updatedAt = new Date(ev.timestamp as number)
  return true
}

/** An iterator that yields `values`, then completes. */
function once<T>(...values: T[]): AsyncIterableIterator<T> {
  const rest = [...values]
  return {
    next: async () => (rest.length ? { done: false, value: rest.shift()! } : { done: true, value: undefined }),
    return: async () => {
      rest.length = 0
      return { done: true, value: undefined }
    },
    [Symbol.asyncIterator]() {
      return this
    },
  }
}

const empty = <T>(): AsyncIterableIterator<T> => once<T>()

function apply(state: ProgressUpdate, change: Record<string, unknown>) {
  if (typeof change.status === 'string') state.status = change.status as ExecutionStatus
  if (typeof change.step === 'string') state.step = change.step
  if (typeof change.percent === 'number') state.percent = change.percent
  const tokens = change.tokens as { total?: number } | undefined
  if (typeof tokens?.total === 'number') state.tokens = tokens.total
}

export interface TenantEventEntry {
  seq: number
  type: string
  resourceType: string
  resourceId: string
  data: unknown
  at: Date
}

/**
 * The tenant's domain events strictly after `after`, then live; without `after`, from now on (a tenant's history is
 * unbounded). Optionally only `types` (`x.*` matches a prefix).
 */
export async function streamTenantEvents(s: Session, after: number | undefined, types?: string[] | null): Promise<AsyncIterableIterator<TenantEventEntry>> {
  const start = after ?? (await s.db.client.tenant.findFirstOrThrow({ select: { eventSeq: true } })).eventSeq
  const wanted = (type: string) => !types?.length || types.some((t) => t === type || (t.endsWith('.*') && type.startsWith(t.slice(0, -1))))
  const events = follow({
    ...followOptions(s), topic: topics.tenant(s.principal.tenantId), after: start,
    read: (a, limit) => s.db.client.tenantEvent.findMany({ where: { seq: { gt: a } }, orderBy: { seq: 'asc' }, take: limit }),
  })
  return transform(events, (e) => (wanted(e.type) ? e : undefined))
}
