// The execution state machine. The database enforces it (trigger executions_status_transition); this module holds
// the same table for code, and every statement that moves an execution between states.
import type { AppDeps } from '../session.ts'
import type { ExecutionStatus } from '../../generated/prisma/enums.ts'
import { applySettings, systemTx } from '../../db/scope.ts'
import { emitExecutionStatus } from '../../events/tenant-events.ts'

export const transitions: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
  QUEUED: ['RUNNING', 'CANCELLED'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'QUEUED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
  TIMED_OUT: [],
}

export const isFinished = (s: ExecutionStatus) => transitions[s].length === 0

/** Throws on a transition the state machine does not allow (a programming error). */
export function assertTransition(from: ExecutionStatus, to: ExecutionStatus) {
  if (from !== to && !transitions[from].includes(to)) throw new Error(`invalid execution transition ${from} -> ${to}`)
}

export interface Claimed {
  id: string
  tenantId: string
  attempt: number
  lastSeq: number
  claim: string
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
      const [candidate] = await tx.$queryRaw<{ id: string; agent_id: string | null; max: number | null }[]>`
        SELECT id, agent_id, (agent_snapshot->>'maxConcurrentExecutions')::int AS max FROM executions
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
      const [row] = await tx.$queryRaw<{ id: string; tenant_id: string; attempt: number; last_seq: number }[]>`
        UPDATE executions SET status = 'RUNNING', attempt = attempt + 1, claimed_at = now(), heartbeat_at = now(),
          started_at = coalesce(started_at, now()), updated_at = now(),
          claimed_by = ${workerId} || '#' || (attempt + 1)
        WHERE id = ${candidate.id}::uuid
        RETURNING id, tenant_id, attempt, last_seq`
      // From here on this transaction acts for the run's tenant (its domain-event log).
      await applySettings(tx, { tenantId: row!.tenant_id, purpose: 'worker' })
      await emitExecutionStatus(deps, tx, row!.tenant_id, row!.id, 'RUNNING')
      return { claimed: { id: row!.id, tenantId: row!.tenant_id, attempt: row!.attempt, lastSeq: row!.last_seq, claim: `${workerId}#${row!.attempt}` } }
    })
    if (!result) return undefined
    if ('claimed' in result) return result.claimed
    skipped.push(result.skip)
  }
  return undefined
}

/** Returns to the queue every RUNNING execution whose worker stopped heartbeating (crash, kill -9, partition). */
export async function requeueStale(deps: AppDeps, staleMs: number): Promise<{ id: string; tenantId: string }[]> {
  return systemTx(deps.db.prisma, { purpose: 'worker' }, async (tx) => {
    const rows = await tx.$queryRaw<{ id: string; tenant_id: string }[]>`
      UPDATE executions SET status = 'QUEUED', claimed_by = NULL, run_after = now(), updated_at = now()
      WHERE status = 'RUNNING' AND heartbeat_at < now() - make_interval(secs => ${staleMs / 1000})
      RETURNING id, tenant_id`
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id }))
  })
}
