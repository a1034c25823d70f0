// A worker's hold on runs: claiming a queued run, keeping the claim alive, and returning to the queue the runs whose
// worker stopped heartbeating. The claim (`claimed_by = worker#attempt`) fences every later write of the run.
import { Prisma } from '../../generated/prisma/client.ts'
import { applySettings, systemTx } from '../../db/scope.ts'
import type { AppDeps } from '../session.ts'
import { transition } from './lifecycle.ts'

export interface Claimed {
  id: string
  tenantId: string
  attempt: number
  lastSeq: number
  claim: string
  /** W3C traceparent of the request that queued the run. */
  traceParent?: string
}

/**
 * Claims the next claimable execution for `workerId`: QUEUED, due, and whose agent is below its
 * maxConcurrentExecutions. Atomic across workers and processes: candidates are row-locked with SKIP LOCKED and the
 * running count is taken under a per-agent advisory lock, so two workers can never both start the last free slot.
 */
export async function claimNext(deps: AppDeps, workerId: string): Promise<Claimed | undefined> {
  const skipped: string[] = []
  for (let tries = 0; tries < 20; tries++) {
    const result = await systemTx(deps.db.prisma, { purpose: 'worker' }, async (tx) => {
      const [candidate] = await tx.$queryRaw<{ id: string; tenant_id: string; agent_id: string | null; max: number | null; trace_parent: string | null }[]>`
        SELECT id, tenant_id, agent_id, (agent_snapshot->>'maxConcurrentExecutions')::int AS max, trace_parent FROM executions
        WHERE status = 'QUEUED' AND run_after <= now() AND NOT (id = ANY(${skipped}::uuid[]))
        ORDER BY run_after, id
        FOR UPDATE SKIP LOCKED
        LIMIT 1`
      if (!candidate) return null
      if (candidate.agent_id && candidate.max) {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${candidate.agent_id}, 7291))`
        const [count] = await tx.$queryRaw<{ running: number }[]>`
          SELECT count(*)::int AS running FROM executions WHERE agent_id = ${candidate.agent_id}::uuid AND status = 'RUNNING'`
        if ((count?.running ?? 0) >= candidate.max) return { skip: candidate.id }
      }
      // From here on this transaction acts for the run's tenant (its domain-event log).
      await applySettings(tx, { tenantId: candidate.tenant_id, purpose: 'worker' })
      // The candidate is locked and QUEUED, so the change cannot miss.
      const row = (await transition(deps, tx, {
        id: candidate.id, from: 'QUEUED', to: 'RUNNING',
        set: [
          Prisma.sql`attempt = attempt + 1`, Prisma.sql`claimed_at = now()`, Prisma.sql`heartbeat_at = now()`,
          Prisma.sql`started_at = coalesce(started_at, now())`, Prisma.sql`claimed_by = ${workerId} || '#' || (attempt + 1)`,
        ],
      }))!
      return { claimed: { id: row.id, tenantId: row.tenantId, attempt: row.attempt, lastSeq: row.lastSeq, claim: `${workerId}#${row.attempt}`, traceParent: candidate.trace_parent ?? undefined } }
    })
    if (!result) return undefined
    if ('claimed' in result) return result.claimed
    skipped.push(result.skip)
  }
  return undefined
}

/** Records that the worker holding `c` is alive; tells whether the run was cancelled or the claim lost. */
export async function heartbeat(deps: AppDeps, c: Claimed): Promise<'ok' | 'cancel' | 'lost'> {
  const [row] = await deps.db.forTenant(c.tenantId).tx((tx) => tx.$queryRaw<{ cancel: boolean }[]>`
    UPDATE executions SET heartbeat_at = now() WHERE id = ${c.id}::uuid AND claimed_by = ${c.claim} AND status = 'RUNNING'
    RETURNING cancel_requested_at IS NOT NULL AS cancel`)
  return !row ? 'lost' : row.cancel ? 'cancel' : 'ok'
}

/** Returns to the queue every RUNNING execution whose worker stopped heartbeating (crash, kill -9, partition). */
export async function requeueStale(deps: AppDeps, staleMs: number): Promise<{ id: string; tenantId: string }[]> {
  return systemTx(deps.db.prisma, { purpose: 'worker' }, async (tx) => {
    // A row being written right now belongs to a live worker: skip it rather than wait for it.
    const stale = await tx.$queryRaw<{ id: string; tenant_id: string }[]>`
      SELECT id, tenant_id FROM executions
      WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => ${staleMs / 1000})
      FOR UPDATE SKIP LOCKED`
    for (const r of stale) {
      await applySettings(tx, { tenantId: r.tenant_id, purpose: 'worker' })
      await transition(deps, tx, { id: r.id, from: 'RUNNING', to: 'QUEUED', set: [Prisma.sql`claimed_by = NULL`, Prisma.sql`run_after = now()`] })
    }
    return stale.map((r) => ({ id: r.id, tenantId: r.tenant_id }))
  })
}
