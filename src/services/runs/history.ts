// Reading runs: the history (newest first), one run's event log by page, waiting for a run to finish, the messages
// of a thread (assembled from the event logs), and what a worker reads of the run it holds.
import type { AppDeps, Session } from '../session.ts'
import { notFound, serviceUnavailable } from '../../errors.ts'
import { isTerminal, type AguiEvent, type AguiMessage } from '../../events/agui.ts'
import { readEvents, type StoredEvent } from '../../events/execution-log.ts'
import { follow } from '../../events/follow.ts'
import { topics } from '../../events/topics.ts'
import { Prisma, type Execution, type ExecutionStatus } from '../../generated/prisma/client.ts'
import { isFinished } from './lifecycle.ts'
import { page, type PageRequest } from '../paging.ts'

export interface ExecutionFilter {
  agentId?: string | null
  threadId?: string | null
  status?: ExecutionStatus | null
  createdAfter?: Date | null
  createdBefore?: Date | null
  /** The run that ended with this interrupt (what an AG-UI `resume` entry names). */
  interruptId?: string | null
}

/** The execution history of the caller's tenant, newest first. */
export function listExecutions(s: Session, req: PageRequest, filter: ExecutionFilter = {}, query: object = {}) {
  const where: Prisma.ExecutionWhereInput = {
    ...(filter.agentId && { agentId: filter.agentId }),
    ...(filter.threadId && { threadId: filter.threadId }),
    ...(filter.status && { status: filter.status }),
    ...(filter.interruptId && { interrupts: { array_contains: [{ id: filter.interruptId }] } }),
    ...((filter.createdAfter || filter.createdBefore) && { createdAt: { ...(filter.createdAfter && { gt: filter.createdAfter }), ...(filter.createdBefore && { lt: filter.createdBefore }) } }),
  }
  return page(req, 'id', (args) => s.db.client.execution.findMany({ ...query, ...args, where: { AND: [args.where, where] } }), () => s.db.client.execution.count({ where }))
}

/** One execution of the caller's tenant (NOT_FOUND otherwise). */
export async function getExecution(s: Session, id: string, query: object = {}): Promise<Execution> {
  const execution = await s.db.client.execution.findUnique({ ...query, where: { id } })
  if (!execution) throw notFound('Execution')
  return execution
}

/**
 * A page of an execution's event log, in order, between the sequence numbers `after` and `before` (both exclusive):
 * the first `first` of them, or with `last` the last `last` (Relay's rules).
 */
export async function listEvents(s: Session, executionId: string, w: { after: number; before?: number; first?: number; last?: number }) {
  const seq = { gt: w.after, ...(w.before !== undefined && { lt: w.before }) }
  const fromEnd = w.last !== undefined && w.first === undefined
  const take = (fromEnd ? w.last : w.first)!
  const rows = (await s.db.client.executionEvent.findMany({
    where: { executionId, seq }, orderBy: { seq: fromEnd ? 'desc' : 'asc' }, take: take + 1,
    select: { seq: true, type: true, payload: true, createdAt: true },
  })) as unknown as StoredEvent[]
  const more = rows.length > take
  const events = rows.slice(0, take)
  if (fromEnd) events.reverse()
  return { events, hasNextPage: fromEnd ? w.before !== undefined : more, hasPreviousPage: fromEnd ? more : w.after > 0 }
}

/** How long a `wait: true` request waits for `execution`: its agent's timeout (frozen in the run's snapshot) plus a margin for the queue. */
export const waitTimeoutMs = (execution: Execution) => ((execution.agentSnapshot as { timeoutSeconds?: number }).timeoutSeconds ?? 300) * 1000 + 30_000

/** Resolves with the execution once it has finished, or as it is after `timeoutMs`. */
export async function waitUntilFinished(s: Session, execution: Execution, timeoutMs: number): Promise<Execution> {
  if (isFinished(execution.status)) return execution
  const events = follow({
    pubsub: s.deps.pubsub, topic: topics.execution(execution.id), after: 0, pageSize: 500,
    read: (after, limit) => readEvents(s.db, execution.id, after, limit), isLast: (e) => isTerminal(e.type),
    pollMs: s.deps.config.subscriptions.pollMs, maxLag: Number.MAX_SAFE_INTEGER,
  })
  const timer = setTimeout(() => void events.return?.(), timeoutMs)
  // A process shutting down answers a retryable refusal rather than cutting the connection; the run itself goes on.
  const onShutdown = () => void events.return?.()
  s.deps.shutdownDeadline.addEventListener('abort', onShutdown)
  // While this process drains, its worker still claims the runs its requests wait on (see ./waiters.ts).
  const release = s.deps.waiters.hold(execution.id)
  try {
    for await (const _ of events) {
      // drain until the terminal event, or until the timer ends the iteration
    }
  } finally {
    release()
    clearTimeout(timer)
    s.deps.shutdownDeadline.removeEventListener('abort', onShutdown)
  }
  // No database read for the refusal: the process has moments left, and the client retries by its key.
  if (s.deps.shutdownDeadline.aborted) throw serviceUnavailable(1)
  return getExecution(s, execution.id)
}

/** The thread's messages: those recorded by its latest finished run (its history plus what it added); runs rolled back by a later one do not count. */
export async function threadMessages(s: Session, threadId: string): Promise<AguiMessage[]> {
  const latest = await s.db.client.execution.findFirst({
    where: { threadId, rolledBackAt: null, NOT: { messages: { equals: Prisma.DbNull } } },
    orderBy: { id: 'desc' },
    select: { messages: true },
  })
  return (latest?.messages as AguiMessage[] | null) ?? []
}

type RunRef = { id: string; tenantId: string }

/** The run a worker holds, as stored (outside any caller's session: the worker acts for the run's tenant). */
export const heldRun = (deps: AppDeps, r: RunRef): Promise<Execution> =>
  deps.db.forTenant(r.tenantId).client.execution.findUniqueOrThrow({ where: { id: r.id } })

/** The run's whole event log: a resumed attempt learns what its predecessor left open; the end builds messages. */
export async function runEvents(deps: AppDeps, r: RunRef): Promise<AguiEvent[]> {
  return (await readEvents(deps.db.forTenant(r.tenantId), r.id, 0, Number.MAX_SAFE_INTEGER)).map((e) => e.payload)
}

/** The thread's messages before this run: those its previous run ended with. */
export async function previousMessages(deps: AppDeps, e: Execution): Promise<AguiMessage[]> {
  const prev = await deps.db.forTenant(e.tenantId).client.execution.findFirst({
    where: { threadId: e.threadId, id: { lt: e.id }, rolledBackAt: null, NOT: { messages: { equals: Prisma.DbNull } } },
    orderBy: { id: 'desc' },
    select: { messages: true },
  })
  return (prev?.messages as AguiMessage[] | null) ?? []
}
