// The durable, gapless, per-execution AG-UI event log. An event exists once it is committed with its `seq`; only
// then is a wake-up published. Sequence numbers are allocated by the run's single writer (services/runs), which
// inserts the events here inside its own transaction.
import { afterCommit, type TenantDb, type Tx } from '../db/scope.ts'
import { redactionFor } from '../db/pii.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import type { PubSub } from '../pubsub/pubsub.ts'
import type { AguiEvent } from './agui.ts'
import { topics } from './topics.ts'

/** Inserts `events` with consecutive sequence numbers ending at `lastSeq`. */
export async function insertEvents(tx: Tx, tenantId: string, executionId: string, lastSeq: number, events: AguiEvent[]) {
  const first = lastSeq - events.length + 1
  // Tenants with redactPii: every string of every event (the worker sends whole values, not deltas, for them).
  const redact = await redactionFor(tx, tenantId)
  await tx.executionEvent.createMany({
    data: events.map((e, i) => ({ tenantId, executionId, seq: first + i, type: e.type, payload: redact(e) as Prisma.InputJsonValue })),
  })
}

/** Wakes subscribers of the execution once `tx` commits. */
export const wakeSubscribers = (deps: { pubsub: PubSub }, tx: Tx, executionId: string, seq: number) =>
  afterCommit(tx, () => void deps.pubsub.publish(topics.execution(executionId), { seq }))

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
