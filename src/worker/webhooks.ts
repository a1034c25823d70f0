// The webhook dispatcher: sends due outbox deliveries (woken after a commit that added some, or polling), up to
// WEBHOOK_DELIVERY_SLOTS at once per process and WEBHOOK_CONCURRENCY_PER_ENDPOINT per endpoint over all processes.
// Runs wherever the worker pool runs; any number of them share the outbox safely (leases, services/webhooks/dispatch.ts).
import type { AppDeps } from '../services/session.ts'
import { topics } from '../events/topics.ts'
import { pollLoop } from './alarm.ts'
import { claimDelivery, recordAttempt, type ClaimedDelivery } from '../services/webhooks/dispatch.ts'
import { webhookPolicy } from '../services/webhooks/endpoints.ts'
import { sendWebhook } from '../services/webhooks/send.ts'
import { signedHeaders } from '../services/webhooks/signing.ts'
import { traceWebhookDelivery } from './instrument.ts'

export interface WebhookDispatcher {
  /** Stops claiming and waits for attempts in flight (an attempt cut short would simply be sent again later). */
  stop(): Promise<void>
}

/** Starts the dispatch loop. */
export function startWebhookDispatcher(deps: AppDeps): WebhookDispatcher {
  const c = deps.config.webhooks
  const log = deps.logger.child({ component: 'webhooks' })
  // Long enough for the attempt and its recording; a dispatcher that died is replaced once it runs out.
  const leaseMs = c.timeoutMs + 5_000
  const running = new Set<Promise<void>>()

  const attempt = (d: ClaimedDelivery) => traceWebhookDelivery({ deliveryId: d.id, webhookId: d.webhookId, type: d.type, attempts: d.attempts }, async () => {
    const result = d.enabled
      ? await sendWebhook(d.url, signedHeaders(d.secrets, d.eventId, Math.floor(Date.now() / 1000), d.body), d.body, { policy: webhookPolicy({ deps }), timeoutMs: c.timeoutMs })
      : 'dropped' as const
    const outcome = await recordAttempt(deps, d, result)
    deps.metrics.webhookDeliveries.inc({ outcome })
    if (outcome === 'succeeded') deps.metrics.webhookDeliveryLag.observe(Math.max(0, Date.now() - d.createdAt.getTime()) / 1000)
    if (outcome === 'dead') log.warn({ deliveryId: d.id, webhookId: d.webhookId, attempts: d.attempts }, 'webhook delivery gave up')
    return { outcome, statusCode: result === 'dropped' ? undefined : result.statusCode }
  })

  const loop = pollLoop(deps.pubsub, topics.webhooks, { pollMs: c.pollMs, log, what: 'webhook dispatch loop' }, async () => {
    if (running.size >= c.slots) return false
    const claimed = await claimDelivery(deps, leaseMs, c.concurrencyPerEndpoint)
    if (!claimed) return false
    const p = attempt(claimed)
      .catch((err: unknown) => log.warn({ err: (err as Error).message, deliveryId: claimed.id }, 'recording a webhook attempt failed; its lease will expire'))
      .finally(() => {
        running.delete(p)
        loop.wake()
      })
    running.add(p)
    return true
  })

  return {
    async stop() {
      await loop.stop()
      await Promise.all(running)
    },
  }
}
