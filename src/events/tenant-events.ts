// The tenant's domain-event log (`tenantEvents`): gapless per tenant, in commit order, written in the transaction of
// the change it reports.
import type { Prisma } from '../generated/prisma/client.ts'
import type { PubSub } from '../pubsub/pubsub.ts'
import { afterCommit, type Tx } from '../db/scope.ts'
import { topics } from './topics.ts'
import { enqueueWebhookEvent } from './webhook-outbox.ts'
import { encodeGlobalId } from '../global-ids.ts'

export interface DomainEvent {
  /** e.g. `execution.status`, `tool.create`, `agent.delete`. */
  type: string
  resourceType: string
  resourceId: string
  data?: Prisma.InputJsonValue
}

/**
 * Appends `event` to the tenant's log inside `tx`, and to the webhook outbox of endpoints subscribed to its type;
 * subscribers are woken once `tx` commits.
 */
export async function emitTenantEvent(deps: { pubsub: PubSub }, tx: Tx, tenantId: string, event: DomainEvent, opts: { webhook?: boolean } = {}): Promise<number> {
  // The tenant row's lock orders concurrent writers: sequence numbers are gapless and follow commit order.
  const [row] = await tx.$queryRaw<{ event_seq: number }[]>`UPDATE tenants SET event_seq = event_seq + 1 WHERE id = ${tenantId}::uuid RETURNING event_seq`
  if (!row) throw new Error('tenant not visible while emitting a domain event')
  await tx.tenantEvent.createMany({ data: { tenantId, seq: row.event_seq, type: event.type, resourceType: event.resourceType, resourceId: event.resourceId, data: event.data ?? {} } })
  afterCommit(tx, () => void deps.pubsub.publish(topics.tenant(tenantId), { seq: row.event_seq }))
  // The webhook carries what a tenantEvents subscriber receives, so both describe a change the same way (unless the
  // caller sends a richer webhook of the same type itself).
  if (opts.webhook !== false) await enqueueWebhookEvent(deps, tx, tenantId, event.type, {
    seq: row.event_seq, resourceType: event.resourceType, resourceId: encodeGlobalId(event.resourceType, event.resourceId), data: event.data ?? {},
  })
  return row.event_seq
}
