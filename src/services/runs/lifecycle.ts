// The run lifecycle, the one writer of `executions`. Every run-state behaviour is in this folder:
//   lifecycle.ts  the state machine: the table of allowed status changes and `transition`, the only write that
//                 changes a status (each change is reported to the tenant in the same transaction)
//   queue.ts      runAgent: validate, count against the quota, create the QUEUED run (idempotent by runId / key)
//   admission.ts  admitRun: count a new run against the quota and budgets before its transaction (give back on failure)
//   claims.ts     a worker's hold on runs: claimNext (QUEUED → RUNNING; thread order, tenant caps, fairness),
//                 heartbeat, requeueStale (→ QUEUED)
//   writer.ts     appendAsWriter: a running run's events, fenced by its writer's claim
//   terminal.ts   endRun: final events, the attempt's usage and the status change, in one transaction
//   cancel.ts     cancelExecution: end a queued run at once, flag a running one for its worker
//   thread-policy.ts  multitaskStrategy: what a new run does to the active runs of its thread
//   retry.ts      retryExecution: a new execution with the input of one that ended badly
//   interrupts.ts what an INTERRUPTED run waits for: the stored interrupts, their expiry and answers
//   resume.ts     resumeExecution: answer an INTERRUPTED run's interrupts with a new run on its thread
//   history.ts    reads: the history, one run, its event log, waiting for its end, thread messages, a worker's reads
//   run-ids.ts    the AG-UI threadId / runId of a run
// The database holds the same state machine (trigger executions_status_transition, prisma/migrations/*_executions);
// tests/runs/transitions.test.ts proves the two agree.
import { Prisma } from '../../generated/prisma/client.ts'
import type { ExecutionStatus } from '../../generated/prisma/enums.ts'
import { afterCommit, type Tx } from '../../db/scope.ts'
import { emitTenantEvent } from '../../events/tenant-events.ts'
import type { AppDeps } from '../session.ts'
import { enqueueExecutionOutcome } from '../webhooks/outcome.ts'

/** The status changes a run may make; a status not listed as a source is final. */
export const transitions: Readonly<Record<ExecutionStatus, readonly ExecutionStatus[]>> = {
  QUEUED: ['RUNNING', 'CANCELLED'],
  RUNNING: ['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'QUEUED', 'INTERRUPTED'],
  SUCCEEDED: [],
  FAILED: [],
  CANCELLED: [],
  TIMED_OUT: [],
  // Final: the run is over; resumeExecution answers its interrupts with a new run (AG-UI: continuing is a new run).
  INTERRUPTED: [],
}

/** Whether a run in status `s` has ended for good (no change leads out of it). */
export const isFinished = (s: ExecutionStatus) => transitions[s].length === 0

/** Throws on a status change the state machine does not allow (a programming error). */
export function assertTransition(from: ExecutionStatus, to: ExecutionStatus) {
  if (!transitions[from].includes(to)) throw new Error(`invalid execution transition ${from} -> ${to}`)
}

type StatusDeps = Pick<AppDeps, 'pubsub' | 'metrics'>

interface Move {
  id: string
  from: ExecutionStatus
  to: ExecutionStatus
  /** A further condition on the row, e.g. the writer's claim. */
  fence?: Prisma.Sql
  /** Other columns written by the same statement. */
  set?: Prisma.Sql[]
  /** Leaving RUNNING: when the attempt stopped running (default now(); a silent worker's last heartbeat). */
  ranUntil?: Prisma.Sql
}

/** What a status change returns of the row, as it is afterwards. */
export interface Moved {
  id: string
  tenantId: string
  attempt: number
  lastSeq: number
  startedAt: Date | null
}

/**
 * The only write that changes a run's status: refuses a change the table does not allow, applies it only while the
 * row is still in `from` (and passes `fence`), and reports it to the run's tenant in `tx`, which must act for that
 * tenant. Undefined when the row was not in `from` (someone else moved it first).
 */
export async function transition(deps: StatusDeps, tx: Tx, m: Move): Promise<Moved | undefined> {
  assertTransition(m.from, m.to)
  const set = [Prisma.sql`status = ${m.to}::"ExecutionStatus"`, Prisma.sql`updated_at = now()`, ...(m.set ?? [])]
  // Leaving RUNNING ends an attempt: its running time counts against the agent's timeout, time in the queue never does.
  if (m.from === 'RUNNING') set.push(Prisma.sql`ran_ms = ran_ms + greatest(0, round(extract(epoch FROM ${m.ranUntil ?? Prisma.sql`now()`} - claimed_at) * 1000))::int`)
  // Raw SQL: claims and heartbeats are judged by the database clock (now()), so every timestamp here uses it too.
  const [row] = await tx.$queryRaw<Moved[]>`
    UPDATE executions SET ${Prisma.join(set, ', ')}
    WHERE id = ${m.id}::uuid AND status = ${m.from}::"ExecutionStatus" AND ${m.fence ?? Prisma.sql`true`}
    RETURNING id, tenant_id AS "tenantId", attempt, last_seq AS "lastSeq", started_at AS "startedAt"`
  if (row) await reportStatus(deps, tx, row.tenantId, row.id, m.to, row.startedAt)
  return row
}

/**
 * Reports a run's status inside the transaction that sets it: the tenant's `execution.status` event, for a final
 * status the `execution.<status>` webhook, and, once committed, the executions metric (with the run's duration when it
 * ended after starting).
 */
export async function reportStatus(deps: StatusDeps, tx: Tx, tenantId: string, executionId: string, status: ExecutionStatus, startedAt?: Date | null) {
  await emitTenantEvent(deps, tx, tenantId, { type: 'execution.status', resourceType: 'Execution', resourceId: executionId, data: { status } })
  // The execution.interrupted webhook is the outcome's below (it names the interrupts); the tenant event only wakes UIs.
  if (status === 'INTERRUPTED') await emitTenantEvent(deps, tx, tenantId, { type: 'execution.interrupted', resourceType: 'Execution', resourceId: executionId, data: { status } }, { webhook: false })
  if (isFinished(status)) await enqueueExecutionOutcome(deps, tx, tenantId, executionId, status)
  const duration = isFinished(status) && startedAt ? (Date.now() - startedAt.getTime()) / 1000 : undefined
  afterCommit(tx, () => deps.metrics.recordExecution(status, duration))
}
