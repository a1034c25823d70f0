// The delivery history of an endpoint, and sending one again on request.
import { AppError, notFound } from '../../errors.ts'
import type { WebhookDeliveryStatus } from '../../generated/prisma/enums.ts'
import { topics } from '../../events/topics.ts'
import { afterCommit } from '../../db/scope.ts'
import { auditChange } from '../audit.ts'
import { page, type PageRequest } from '../paging.ts'
import type { Session } from '../session.ts'

export interface DeliveryFilter {
  status?: WebhookDeliveryStatus | null
}

/** Deliveries of one endpoint of the tenant, newest first, optionally of one status. */
export function listWebhookDeliveries(s: Session, webhookId: string, req: PageRequest, filter: DeliveryFilter = {}) {
  const where = { webhookId, ...(filter.status ? { status: filter.status } : {}) }
  return page(
    req,
    'id',
    (args) => s.db.client.webhookDelivery.findMany({ ...args, where: { AND: [args.where, where] } }),
    () => s.db.client.webhookDelivery.count({ where }),
  )
}

/**
 * Queues a delivery to be sent again now, with the same `webhook-id` (receivers deduplicate on it). A finished one
 * (SUCCEEDED or DEAD) starts a fresh series of attempts; one still retrying is just brought forward.
 */
export async function redeliverWebhook(s: Session, input: { deliveryId: string }) {
  return s.db.tx(async (tx) => {
    await tx.$queryRaw`SELECT id FROM webhook_deliveries WHERE id = ${input.deliveryId}::uuid AND tenant_id = app_tenant_id() FOR UPDATE`
    const d = await tx.webhookDelivery.findUnique({ where: { id: input.deliveryId }, include: { webhook: { select: { enabled: true } } } })
    if (!d) throw notFound('Webhook delivery')
    if (!d.webhook.enabled) throw new AppError('CONFLICT', 'The endpoint is disabled; enable it before redelivering.')
    if (d.leaseUntil && d.leaseUntil > new Date()) throw new AppError('CONFLICT', 'The delivery is being sent right now.')
    const finished = d.status === 'SUCCEEDED' || d.status === 'DEAD'
    const updated = await tx.webhookDelivery.update({
      where: { id: d.id },
      data: { status: finished ? 'PENDING' : d.status, attempts: finished ? 0 : d.attempts, nextAttemptAt: new Date(), deliveredAt: finished ? null : d.deliveredAt },
    })
    await auditChange(tx, s, { action: 'webhook.redeliver', resourceType: 'Webhook', resourceId: d.webhookId, metadata: { deliveryId: d.id, eventId: d.eventId, previousStatus: d.status } })
    afterCommit(tx, () => void s.deps.pubsub.publish(topics.webhooks, {}))
    return updated
  })
}
