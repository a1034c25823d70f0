// A worker's hold on runs: claiming a queued run, keeping the claim alive, and returning to the queue the runs whose
// worker stopped heartbeating. The claim (`claimed_by = worker#attempt`) fences every later write of the run.
import { Prisma } from '../../generated/prisma/client.ts'
import { applySettings, systemTx, type Tx } from '../../db/scope.ts'
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
  /** The tenant's redactPii setting as the claim read it: the run redacts what it stores and sends when set. */
  redactPii: boolean
}

/**
 * Claims the next claimable execution for `workerId`: QUEUED and due; first on its thread (no earlier run of the
 * thread is unfinished, none is running: a thread's runs never overlap and each starts from the history of those
 * before it); its tenant below its plan's cap and its agent below maxConcurrentExecutions. Fair across tenants: the
 * tenant with the fewest running runs goes first, ties to the one that started a run least recently (round robin, even
 * with one slot), so no tenant waits behind another's backlog. `only` restricts it to those runs (a draining worker
 * takes only the runs its own process's requests wait on; the same rules apply to them). Atomic across workers
 * and processes: candidates are row-locked with SKIP LOCKED, and the running counts are taken under per-tenant and
 * per-agent advisory locks, so two workers can never both start the last free slot.
 */
export async function claimNext(deps: AppDeps, workerId: string, opts: { only?: string[] } = {}): Promise<Claimed | undefined> {
  const caps = deps.config.worker.tenantMaxRunning
  const skipped: string[] = []
  for (let tries = 0; tries < 20; tries++) {
    const result = await systemTx(deps.db.prisma, { purpose: 'worker' }, async (tx) => {
      const [candidate] = await tx.$queryRaw<Candidate[]>`
        WITH recent AS (
          SELECT tenant_id, status, claimed_at FROM executions WHERE status = 'RUNNING'
          UNION ALL
          SELECT tenant_id, status, claimed_at FROM executions
          WHERE status IN ('SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT') AND heartbeat_at > now() - interval '60 seconds'
        ), busy AS (
          SELECT tenant_id, count(*) FILTER (WHERE status = 'RUNNING')::int AS running, max(claimed_at) AS last_claim FROM recent GROUP BY tenant_id
        )
        SELECT e.id, e.tenant_id, e.agent_id, (e.agent_snapshot->>'maxConcurrentExecutions')::int AS max, e.trace_parent, t.redact_pii,
          CASE t.plan WHEN 'ENTERPRISE' THEN ${caps.ENTERPRISE}::int WHEN 'PRO' THEN ${caps.PRO}::int ELSE ${caps.FREE}::int END AS tenant_max
        FROM executions e
        JOIN tenants t ON t.id = e.tenant_id
        LEFT JOIN busy b ON b.tenant_id = e.tenant_id
        WHERE e.status = 'QUEUED' AND e.run_after <= now() AND NOT (e.id = ANY(${skipped}::uuid[]))
          ${opts.only ? Prisma.sql`AND e.id = ANY(${opts.only}::uuid[])` : Prisma.empty}
          AND coalesce(b.running, 0) < CASE t.plan WHEN 'ENTERPRISE' THEN ${caps.ENTERPRISE}::int WHEN 'PRO' THEN ${caps.PRO}::int ELSE ${caps.FREE}::int END
          AND NOT EXISTS (
            SELECT 1 FROM executions o
            WHERE o.tenant_id = e.tenant_id AND o.thread_id = e.thread_id AND o.id <> e.id
              AND (o.status = 'RUNNING' OR (o.status = 'QUEUED' AND o.id < e.id)))
        ORDER BY coalesce(b.running, 0), b.last_claim NULLS FIRST, e.run_after, e.id
        FOR UPDATE OF e SKIP LOCKED
        LIMIT 1`
      if (!candidate) return null
      if (!(await belowCap(tx, 'tenant', candidate.tenant_id, candidate.tenant_max))) return { skip: candidate.id }
      if (candidate.agent_id && candidate.max && !(await belowCap(tx, 'agent', candidate.agent_id, candidate.max))) return { skip: candidate.id }
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
      return { claimed: { id: row.id, tenantId: row.tenantId, attempt: row.attempt, lastSeq: row.lastSeq, claim: `${workerId}#${row.attempt}`, traceParent: candidate.trace_parent ?? undefined, redactPii: candidate.redact_pii } }
    })
    if (!result) return undefined
    if ('claimed' in result) return result.claimed
    skipped.push(result.skip)
  }
  return undefined
}

/** Which of `ids` a worker could claim now but for its tenant's and agent's caps (QUEUED, due, first on its thread). */
export async function claimableAmong(deps: AppDeps, ids: string[]): Promise<string[]> {
  if (!ids.length) return []
  const rows = await systemTx(deps.db.prisma, { purpose: 'worker' }, (tx) => tx.$queryRaw<{ id: string }[]>`
    SELECT e.id FROM executions e
    WHERE e.id = ANY(${ids}::uuid[]) AND e.status = 'QUEUED' AND e.run_after <= now()
      AND NOT EXISTS (
        SELECT 1 FROM executions o
        WHERE o.tenant_id = e.tenant_id AND o.thread_id = e.thread_id AND o.id <> e.id
          AND (o.status = 'RUNNING' OR (o.status = 'QUEUED' AND o.id < e.id)))`)
  return rows.map((r) => r.id)
}

interface Candidate {
  id: string
  tenant_id: string
  agent_id: string | null
  max: number | null
  tenant_max: number
  trace_parent: string | null
  redact_pii: boolean
}

/**
 * Whether fewer than `max` runs of one tenant or agent are running, counted under an advisory lock held until the
 * claim commits: the count cannot change under us, so the last free slot is started once.
 */
async function belowCap(tx: Tx, of: 'tenant' | 'agent', id: string, max: number) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${id}, ${of === 'agent' ? 7291 : 7293}::bigint))`
  const [count] = await tx.$queryRaw<{ running: number }[]>`
    SELECT count(*)::int AS running FROM executions WHERE ${Prisma.raw(`${of}_id`)} = ${id}::uuid AND status = 'RUNNING'`
  return (count?.running ?? 0) < max
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
      // It keeps its run_after, hence its place ahead of the runs queued after it.
      await transition(deps, tx, { id: r.id, from: 'RUNNING', to: 'QUEUED', set: [Prisma.sql`claimed_by = NULL`], ranUntil: Prisma.sql`heartbeat_at` })
    }
    return stale.map((r) => ({ id: r.id, tenantId: r.tenant_id }))
  })
}
