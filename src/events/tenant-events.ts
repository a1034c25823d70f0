// The tenant's domain-event log (`tenantEvents`): gapless per tenant, in commit order, written in the transaction of
// the change it reports.
import type { ExecutionStatus, Prisma } from '../generated/prisma/client.ts'
import type { AppDeps } from '../services/session.ts'
import { afterCommit, type Tx } from '../db/scope.ts'
import { topics } from './topics.ts'

export interface DomainEvent {
  /** e.g. `execution.status`, `tool.create`, `agent.delete`. */
  type: string
  resourceType: string
  resourceId: string
  data?: Prisma.InputJsonValue
}

/** Appends `event` to the tenant's log inside `tx`; subscribers are woken once `tx` commits. */
export async function emitTenantEvent(deps: Pick<AppDeps, 'pubsub'>, tx: Tx, tenantId: string, event: DomainEvent): Promise<number> {
  // The tenant row's lock orders concurrent writers: sequence numbers are gapless and follow commit order.
  const [row] = await tx.$queryRaw<{ event_seq: number }[]>`UPDATE tenants SET event_seq = event_seq + 1 WHERE id = ${tenantId}::uuid RETURNING event_seq`
  if (!row) throw new Error('tenant not visible while emitting a domain event')
  await tx.tenantEvent.createMany({ data: { tenantId, seq: row.event_seq, type: event.type, resourceType: event.resourceType, resourceId: event.resourceId, data: event.data ?? {} } })
  afterCommit(tx, () => void deps.pubsub.publish(topics.tenant(tenantId), { seq: row.event_seq }))
  return row.event_seq
}

const terminal = new Set<ExecutionStatus>(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT'])

/**
 * Reports an execution's new status inside the transaction that changes it: the tenant's `execution.status` event
 * and, once committed, the executions metric (with the run's duration when it ended after starting).
 */
export async function emitExecutionStatus(deps: Pick<AppDeps, 'pubsub' | 'metrics'>, tx: Tx, tenantId: string, executionId: string, status: ExecutionStatus, startedAt?: Date | null) {
  await emitTenantEvent(deps, tx, tenantId, { type: 'execution.status', resourceType: 'Execution', resourceId: executionId, data: { status } })
  const duration = terminal.has(status) && startedAt ? (Date.now() - startedAt.getTime()) / 1000 : undefined
  afterCommit(tx, () => deps.metrics.recordExecution(status, duration))
}
