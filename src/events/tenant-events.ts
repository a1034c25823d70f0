// The tenant's domain-event log (`tenantEvents`): gapless per tenant, in commit order, written in the transaction of
// the change it reports.
import type { Prisma } from '../generated/prisma/client.ts'
import type { PubSub } from '../pubsub/pubsub.ts'
import { afterCommit, type Tx } from '../db/scope.ts'
import { knownRedaction, knownRedactionFor, redaction } from '../db/pii.ts'
import { topics } from './topics.ts'
import { endpointsColumn, enqueueWebhookEvent, knownEndpoints, type Endpoint } from './webhook-outbox.ts'
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
  // The tenant row's lock orders concurrent writers: sequence numbers are gapless and follow commit order. One
  // statement takes the number, appends the event (redacted when the tenant asks for it) and reads the tenant's
  // webhook endpoints for the outbox (fewer round trips while that lock is held; a tenant without endpoints pays
  // nothing more for webhooks).
  const plain = event.data ?? {}
  const redacted = (knownRedactionFor(tx, tenantId) ?? redaction(true))(plain)
  const [row] = await tx.$queryRaw<{ event_seq: number; redact_pii: boolean; endpoints: Endpoint[] }[]>`
    WITH next AS (UPDATE tenants SET event_seq = event_seq + 1 WHERE id = ${tenantId}::uuid RETURNING event_seq, redact_pii),
    appended AS (
      INSERT INTO tenant_events (tenant_id, seq, type, resource_type, resource_id, data)
      SELECT ${tenantId}::uuid, event_seq, ${event.type}, ${event.resourceType}, ${event.resourceId},
        CASE WHEN redact_pii THEN ${JSON.stringify(redacted)}::jsonb ELSE ${JSON.stringify(plain)}::jsonb END FROM next
      RETURNING seq)
    SELECT seq AS event_seq, (SELECT redact_pii FROM next) AS redact_pii, ${endpointsColumn(tenantId)} AS endpoints FROM appended`
  if (!row) throw new Error('tenant not visible while emitting a domain event')
  const data = row.redact_pii ? redacted : plain
  knownRedaction(tx, tenantId, row.redact_pii)
  knownEndpoints(tx, tenantId, row.endpoints)
  afterCommit(tx, () => void deps.pubsub.publish(topics.tenant(tenantId), { seq: row.event_seq }))
  // The webhook carries what a tenantEvents subscriber receives, so both describe a change the same way (unless the
  // caller sends a richer webhook of the same type itself).
  if (opts.webhook !== false) await enqueueWebhookEvent(deps, tx, tenantId, event.type, {
    seq: row.event_seq, resourceType: event.resourceType, resourceId: encodeGlobalId(event.resourceType, event.resourceId), data,
  })
  return row.event_seq
}
