// The webhook outbox: a change that endpoints subscribe to is recorded as delivery rows inside the transaction of
// the change itself, so a crash can neither lose an event (the change committed, so did its rows) nor invent one (the
// change rolled back, so did they). Dispatchers (services/webhooks/dispatch.ts) send them afterwards.
import { Prisma } from '../generated/prisma/client.ts'
import type { PubSub } from '../pubsub/pubsub.ts'
import { afterCommit, type Tx } from '../db/scope.ts'
import { uuidv7 } from '../db/ids.ts'
import { topics } from './topics.ts'

/** Outcomes of runs, one per terminal status. */
export const executionOutcomeTypes = ['execution.succeeded', 'execution.failed', 'execution.cancelled', 'execution.timed_out', 'execution.interrupted'] as const
/** Every event type an endpoint may subscribe to: run outcomes and the `tenantEvents` types. */
export const webhookEventTypes: readonly string[] = [
  ...executionOutcomeTypes,
  'execution.status',
  ...['tool', 'agent', 'thread'].flatMap((r) => [`${r}.create`, `${r}.update`, `${r}.delete`]),
  'budget.threshold',
]

/** Whether `type` is selected by an endpoint's `patterns` (exact types, `prefix.*` wildcards, or `*`). */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === type || p === '*' || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))))
}

/** An enabled endpoint of the tenant and the event patterns it subscribes to. */
export interface Endpoint {
  id: string
  events: string[]
}

// The endpoints one transaction has read, so its every event (a finished run reports two) costs no further statement.
// Keyed by the transaction client, which lives exactly as long as the transaction. Webhook changes run in their own
// transactions, which emit no event.
const endpointsOfTx = new WeakMap<object, { tenantId: string; endpoints: Endpoint[] }>()

/**
 * A scalar subquery giving the tenant's enabled endpoints as a JSON array, for a statement that already runs in the
 * transaction (the tenant event append): reading them there costs no round trip. Pass its result to `knownEndpoints`.
 */
export const endpointsColumn = (tenantId: string) =>
  Prisma.sql`(SELECT coalesce(json_agg(json_build_object('id', w.id, 'events', w.events)), '[]'::json) FROM webhooks w WHERE w.tenant_id = ${tenantId}::uuid AND w.enabled)`

/** Records the endpoints `tx` read (via `endpointsColumn`), so enqueues in `tx` do not read them again. */
export function knownEndpoints(tx: Tx, tenantId: string, endpoints: Endpoint[]) {
  endpointsOfTx.set(tx, { tenantId, endpoints })
}

async function endpointsOf(tx: Tx, tenantId: string): Promise<Endpoint[]> {
  const known = endpointsOfTx.get(tx)
  if (known?.tenantId === tenantId) return known.endpoints
  const endpoints = await tx.webhook.findMany({ where: { tenantId, enabled: true }, select: { id: true, events: true } })
  endpointsOfTx.set(tx, { tenantId, endpoints })
  return endpoints
}

/** The data of an event, or a function computing it (called only when some endpoint wants the event). */
export type WebhookData = Prisma.InputJsonValue | (() => Promise<Prisma.InputJsonValue>)

/**
 * Records event `type` for every enabled endpoint of the tenant that subscribes to it, inside `tx` (which must act for
 * `tenantId`); dispatchers are woken once `tx` commits. Returns the event's `webhook-id`, or null if nobody wants it.
 */
export async function enqueueWebhookEvent(deps: { pubsub: PubSub }, tx: Tx, tenantId: string, type: string, data: WebhookData): Promise<string | null> {
  const targets = (await endpointsOf(tx, tenantId)).filter((e) => matchesEventType(e.events, type))
  if (!targets.length) return null
  const eventId = `msg_${uuidv7()}`
  const body = JSON.stringify({ type, timestamp: new Date().toISOString(), data: typeof data === 'function' ? await data() : data })
  await tx.webhookDelivery.createMany({ data: targets.map((e) => ({ tenantId, webhookId: e.id, eventId, type, body })) })
  afterCommit(tx, () => void deps.pubsub.publish(topics.webhooks, {}))
  return eventId
}
