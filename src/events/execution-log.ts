// The durable, gapless, per-execution AG-UI event log. An event exists once it is committed with its `seq`; only
// then is a wake-up published. One writer per execution: every append is fenced by the writer's claim, so a worker
// that lost its claim (reclaimed after missing heartbeats, or cancelled) can never add a single event.
import type { AppDeps } from '../services/session.ts'
import { afterCommit, type TenantDb, type Tx } from '../db/scope.ts'
import type { ExecutionStatus, Prisma } from '../generated/prisma/client.ts'
import type { AguiEvent } from './agui.ts'
import { recordUsage, type UsageDelta } from '../services/quota.ts'
import { emitExecutionStatus } from './tenant-events.ts'
import { topics } from './topics.ts'

/** The claim a worker holds on a running execution (`claimed_by`). */
export interface Writer {
  tenantId: string
  executionId: string
  claim: string
}

export interface RunEnd {
  status: Exclude<ExecutionStatus, 'QUEUED' | 'RUNNING'> | 'QUEUED'
  data?: Prisma.ExecutionUpdateInput
  /** What this attempt consumed, added to the tenant's monthly usage in the same transaction. */
  usage?: UsageDelta
}

/** Thrown when the writer no longer holds the execution: it must stop at once (a CONFLICT, internally). */
export class ClaimLostError extends Error {
  constructor(executionId: string) {
    super(`claim on execution ${executionId} lost`)
  }
}

/** Inserts `events` with consecutive sequence numbers ending at `lastSeq`. */
export async function insertEvents(tx: Tx, tenantId: string, executionId: string, lastSeq: number, events: AguiEvent[]) {
  const first = lastSeq - events.length + 1
  await tx.executionEvent.createMany({
    data: events.map((e, i) => ({ tenantId, executionId, seq: first + i, type: e.type, payload: e as Prisma.InputJsonValue })),
  })
}

/** Wakes subscribers of the execution once `tx` commits. */
export const wakeSubscribers = (deps: Pick<AppDeps, 'pubsub'>, tx: Tx, executionId: string, seq: number) =>
  afterCommit(tx, () => void deps.pubsub.publish(topics.execution(executionId), { seq }))

/**
 * Appends events as the execution's writer and, with `end`, changes its status in the same transaction (so the
 * terminal event and the terminal status can never disagree). Returns the last sequence number written.
 */
export async function appendEvents(deps: AppDeps, w: Writer, events: AguiEvent[], end?: RunEnd): Promise<number> {
  return deps.db.forTenant(w.tenantId).tx(async (tx) => {
    const [row] = await tx.$queryRaw<{ last_seq: number; started_at: Date | null }[]>`
      UPDATE executions SET last_seq = last_seq + ${events.length}, heartbeat_at = now(), updated_at = now()
      WHERE id = ${w.executionId}::uuid AND claimed_by = ${w.claim} AND status = 'RUNNING'
      RETURNING last_seq, started_at`
    if (!row) throw new ClaimLostError(w.executionId)
    if (events.length) await insertEvents(tx, w.tenantId, w.executionId, row.last_seq, events)
    if (end) {
      const finished = end.status !== 'QUEUED'
      await tx.execution.update({
        where: { id: w.executionId },
        data: { ...end.data, status: end.status, claimedBy: null, ...(finished && { finishedAt: new Date() }) },
      })
      if (end.usage) await recordUsage(tx, w.tenantId, end.usage, deps.clock())
      await emitExecutionStatus(deps, tx, w.tenantId, w.executionId, end.status, row.started_at)
    }
    if (events.length) wakeSubscribers(deps, tx, w.executionId, row.last_seq)
    return row.last_seq
  })
}

export interface StoredEvent {
  seq: number
  type: string
  payload: AguiEvent
  createdAt: Date
}

/** Events with `seq` > `after`, in order, at most `limit`. */
export async function readEvents(db: TenantDb, executionId: string, after: number, limit: number): Promise<StoredEvent[]> {
  const rows = await db.client.executionEvent.findMany({
    where: { executionId, seq: { gt: after } },
    orderBy: { seq: 'asc' },
    take: limit,
    select: { seq: true, type: true, payload: true, createdAt: true },
  })
  return rows as unknown as StoredEvent[]
}
