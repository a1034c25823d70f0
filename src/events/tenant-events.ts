// The tenant's domain-event log (`tenantEvents`): gapless per tenant, in commit order, written in the transaction of
// the change it reports.
import type { Prisma } from '../generated/prisma/client.ts'
import type { PubSub } from '../pubsub/pubsub.ts'
import { afterCommit, type Tx } from '../db/scope.ts'
import { topics } from './topics.ts'

export interface DomainEvent {
  /** e.g. `execution.status`, `tool.create`, `agent.delete`. */
  type: string
  resourceType: string
  resourceId: string
  data?: Prisma.InputJsonValue
}

/** Appends `event` to the tenant's log inside `tx`; subscribers are woken once `tx` commits. */
export async function emitTenantEvent(deps: { pubsub: PubSub }, tx: Tx, tenantId: string, event: DomainEvent): Promise<number> {
  // The tenant row's lock orders concurrent writers: sequence numbers are gapless and follow commit order. One
  // statement takes the number and appends the event (one round trip less while that lock is held).
  const [row] = await tx.$queryRaw<{ event_seq: number }[]>`
    WITH next AS (UPDATE tenants SET event_seq = event_seq + 1 WHERE id = ${tenantId}::uuid RETURNING event_seq)
    INSERT INTO tenant_events (tenant_id, seq, type, resource_type, resource_id, data)
    SELECT ${tenantId}::uuid, event_seq, ${event.type}, ${event.resourceType}, ${event.resourceId}, ${JSON.stringify(event.data ?? {})}::jsonb FROM next
    RETURNING seq AS event_seq`
  if (!row) throw new Error('tenant not visible while emitting a domain event')
  afterCommit(tx, () => void deps.pubsub.publish(topics.tenant(tenantId), { seq: row.event_seq }))
  return row.event_seq
}
