// Taking due deliveries out of the outbox and recording what their attempt came to. A claim is a lease: the attempt is
// counted and the row held until `lease_until`; a dispatcher that dies mid-attempt (before recording) simply lets
// the lease run out, and the next claim sends the same body under the same `webhook-id` again.
import { Prisma } from '../../generated/prisma/client.ts'
import { applySettings, systemTx } from '../../db/scope.ts'
import type { AppDeps } from '../session.ts'
import type { SendResult } from './send.ts'

export interface ClaimedDelivery {
  id: string
  tenantId: string
  webhookId: string
  eventId: string
  type: string
  body: string
  /** This attempt's number (1 for the first). */
  attempts: number
  createdAt: Date
  url: string
  enabled: boolean
  /** Current secret first, then the rotated-out one while it still signs. */
  secrets: string[]
}

const RETRY_CAP_MS = 6 * 3_600_000

/** The wait before attempt `attempt + 1`: base · 2^(attempt−1), at most six hours, ±20 % jitter. */
export function retryDelayMs(attempt: number, baseMs: number, random = Math.random): number {
  const nominal = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), RETRY_CAP_MS)
  return Math.round(nominal * (0.8 + 0.4 * random()))
}

/**
 * Leases the next due delivery whose endpoint has fewer than `perEndpoint` attempts in flight (over all processes:
 * the count is taken under a per-endpoint advisory lock). Undefined when nothing is due.
 */
export async function claimDelivery(deps: AppDeps, leaseMs: number, perEndpoint: number): Promise<ClaimedDelivery | undefined> {
  const busy: string[] = []
  for (let tries = 0; tries < 20; tries++) {
    const result = await systemTx(deps.db.prisma, { purpose: 'worker' }, async (tx) => {
      const [candidate] = await tx.$queryRaw<{ id: string; tenant_id: string; webhook_id: string }[]>`
        SELECT id, tenant_id, webhook_id FROM webhook_deliveries
        WHERE status IN ('PENDING', 'FAILED') AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until < now())
          AND NOT (webhook_id = ANY(${busy}::uuid[]))
        ORDER BY next_attempt_at, id
        FOR UPDATE SKIP LOCKED
        LIMIT 1`
      if (!candidate) return null
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${candidate.webhook_id}, 4471))`
      const [inFlight] = await tx.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = ${candidate.webhook_id}::uuid AND lease_until > now() AND status IN ('PENDING', 'FAILED')`
      if ((inFlight?.n ?? 0) >= perEndpoint) return { busy: candidate.webhook_id }
      await applySettings(tx, { tenantId: candidate.tenant_id, purpose: 'worker' })
      const [row] = await tx.$queryRaw<Omit<ClaimedDelivery, 'url' | 'enabled' | 'secrets'>[]>`
        UPDATE webhook_deliveries SET attempts = attempts + 1, lease_until = now() + make_interval(secs => ${leaseMs / 1000})
        WHERE id = ${candidate.id}::uuid
        RETURNING id, tenant_id AS "tenantId", webhook_id AS "webhookId", event_id AS "eventId", type, body, attempts, created_at AS "createdAt"`
      const [w] = await tx.$queryRaw<{ url: string; enabled: boolean; secret: string; previous: string | null }[]>`
        SELECT url, enabled, secret, CASE WHEN previous_secret_expires_at > now() THEN previous_secret END AS previous
        FROM webhooks WHERE id = ${candidate.webhook_id}::uuid`
      return { claimed: { ...row!, url: w!.url, enabled: w!.enabled, secrets: [w!.secret, ...(w!.previous ? [w!.previous] : [])] } }
    })
    if (!result) return undefined
    if ('claimed' in result) return result.claimed
    busy.push(result.busy)
  }
  return undefined
}

export type AttemptOutcome = 'succeeded' | 'failed' | 'dead' | 'dropped' | 'superseded'

/**
 * Records the attempt `d` made: SUCCEEDED on a 2xx, else FAILED with the next attempt scheduled, or DEAD after
 * WEBHOOK_MAX_ATTEMPTS; `dropped` marks a delivery whose endpoint was disabled as DEAD without sending. Fenced by the
 * attempt number: if the lease ran out and another dispatcher took over, nothing is written (`superseded`).
 */
export async function recordAttempt(deps: AppDeps, d: ClaimedDelivery, result: SendResult | 'dropped'): Promise<AttemptOutcome> {
  const { maxAttempts, retryBaseMs } = deps.config.webhooks
  let outcome: AttemptOutcome
  let set: Prisma.Sql
  if (result === 'dropped') {
    outcome = 'dropped'
    set = Prisma.sql`status = 'DEAD', last_error = 'Dropped: the endpoint was disabled before delivery.'`
  } else if (result.ok) {
    outcome = 'succeeded'
    set = Prisma.sql`status = 'SUCCEEDED', delivered_at = now(), last_status_code = ${result.statusCode ?? null}, last_error = NULL`
  } else {
    outcome = d.attempts >= maxAttempts ? 'dead' : 'failed'
    const next = outcome === 'dead' ? Prisma.sql`next_attempt_at` : Prisma.sql`now() + make_interval(secs => ${retryDelayMs(d.attempts, retryBaseMs) / 1000})`
    set = Prisma.sql`status = ${outcome === 'dead' ? 'DEAD' : 'FAILED'}::"WebhookDeliveryStatus", last_status_code = ${result.statusCode ?? null}, last_error = ${result.error ?? null}, next_attempt_at = ${next}`
  }
  const written = await deps.db.forTenant(d.tenantId).tx((tx) => tx.$executeRaw`
    UPDATE webhook_deliveries SET ${set}, lease_until = NULL
    WHERE id = ${d.id}::uuid AND attempts = ${d.attempts} AND status IN ('PENDING', 'FAILED')`)
  return written ? outcome : 'superseded'
}
