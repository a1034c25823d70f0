// Cancelling runs. A queued run is ended right here (this transaction becomes its writer); a running one is flagged
// and its worker is told at once, stopping the model and ending the run within about a second.
import type { Session } from '../session.ts'
import { AppError, notFound } from '../../errors.ts'
import { ev, toWire, type AguiEvent } from '../../events/agui.ts'
import { insertEvents, wakeSubscribers } from '../../events/execution-log.ts'
import { topics } from '../../events/topics.ts'
import { afterCommit, type Tx } from '../../db/scope.ts'
import { Prisma, type Execution } from '../../generated/prisma/client.ts'
import { actorOf, recordAudit } from '../audit.ts'
import { transition } from './lifecycle.ts'
import { encodeRunIds } from './run-ids.ts'

/** Cancels a queued or running execution; cancelling a cancelled one is a no-op, a finished one a CONFLICT. */
export async function cancelExecution(s: Session, input: { id: string }): Promise<Execution> {
  return s.db.tx(async (tx) => {
    const e = await lockExecution(tx, input.id)
    if (!e) throw notFound('Execution')
    if (e.status === 'CANCELLED' || (e.status === 'RUNNING' && e.cancelRequestedAt)) return e
    if (e.status !== 'QUEUED' && e.status !== 'RUNNING') throw new AppError('CONFLICT', `The execution already ended (${e.status}).`)
    await cancelLocked(s, tx, e, {})
    return tx.execution.findUniqueOrThrow({ where: { id: e.id } })
  })
}

/** Locks an execution of the session's tenant for the rest of `tx`; undefined when there is none. */
export async function lockExecution(tx: Tx, id: string): Promise<Execution | undefined> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM executions WHERE id = ${id}::uuid FOR UPDATE`
  return (row && (await tx.execution.findUnique({ where: { id } }))) ?? undefined
}

/**
 * Cancels `e` (locked in `tx`, QUEUED or RUNNING) on behalf of the session: a queued run ends here, a running one is
 * flagged and its worker told once `tx` commits. `reason` is recorded in the audit entry (a thread policy).
 */
export async function cancelLocked(s: Session, tx: Tx, e: Execution, o: { reason?: string }) {
  const tenantId = s.principal.tenantId
  await recordAudit(tx, tenantId, actorOf(s.principal), s.meta, {
    action: 'execution.cancel', outcome: 'SUCCESS', resourceType: 'Execution', resourceId: e.id,
    changes: { before: { status: e.status } }, ...(o.reason && { metadata: { reason: o.reason } }),
  })
  if (e.status === 'RUNNING') {
    if (e.cancelRequestedAt) return
    afterCommit(tx, () => void s.deps.pubsub.publish(topics.control(e.id), { cancel: true }))
    await tx.execution.update({ where: { id: e.id }, data: { cancelRequestedAt: new Date() } })
    return
  }
  // Never started, or waiting for a retry: no worker owns it, so the terminal events are written here.
  const { threadId, runId } = encodeRunIds(e)
  const usage = { promptTokens: e.promptTokens, completionTokens: e.completionTokens }
  const events: AguiEvent[] = [
    ...(e.lastSeq === 0 ? [toWire(ev.runStarted(threadId, runId))] : []),
    toWire(ev.runFinished(threadId, runId, usage, e.model, 'cancelled')),
  ]
  // The row is locked and QUEUED, so the change cannot miss.
  const { lastSeq } = (await transition(s.deps, tx, {
    id: e.id, from: 'QUEUED', to: 'CANCELLED',
    set: [Prisma.sql`cancel_requested_at = now()`, Prisma.sql`finished_at = now()`, Prisma.sql`last_seq = last_seq + ${events.length}`],
  }))!
  await insertEvents(tx, tenantId, e.id, lastSeq, events)
  wakeSubscribers(s.deps, tx, e.id, lastSeq)
}
