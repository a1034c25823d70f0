// Re-running a run that ended badly: a new execution with the same input, agent configuration and model.
import { randomUUID } from 'node:crypto'
import type { Session } from '../session.ts'
import { AppError, notFound } from '../../errors.ts'
import { afterCommit, type Tx } from '../../db/scope.ts'
import { topics } from '../../events/topics.ts'
import { currentTraceParent } from '../../telemetry.ts'
import { Prisma, type Execution } from '../../generated/prisma/client.ts'
import { actorOf, recordAudit } from '../audit.ts'
import { announceThresholds, subjectsOf } from '../budgets/charge.ts'
import { admitRun } from './admission.ts'
import { reportStatus } from './lifecycle.ts'

const retryable = new Set(['FAILED', 'TIMED_OUT', 'CANCELLED'])

/**
 * Queues a new execution with the input of a FAILED, TIMED_OUT or CANCELLED one (`retryOf` points back). Retrying
 * the thread's latest run replaces its exchange in the history; retrying an older one adds its input again.
 */
export async function retryExecution(s: Session, input: { id: string }): Promise<Execution> {
  const tenantId = s.principal.tenantId
  // Counted in its own transaction first (runAgent counts inside its one transaction), given back if no retry is
  // created. A retry is charged to its caller and the agent of the run it retries.
  const admitted = await admitRun(s, async (tx) => subjectsOf(s.principal, (await agentOf(tx, input.id))))
  // The request's span (not the transaction's), so that the worker's span of the retry joins the request's trace.
  const traceParent = currentTraceParent()
  return s.db.tx(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM executions WHERE id = ${input.id}::uuid FOR UPDATE`
    const e = locked && (await tx.execution.findUnique({ where: { id: input.id } }))
    if (!e) throw notFound('Execution')
    if (!retryable.has(e.status)) throw new AppError('CONFLICT', `Only a FAILED, TIMED_OUT or CANCELLED execution can be retried (this one is ${e.status}).`)
    const latest = await tx.execution.findFirst({ where: { threadId: e.threadId, rolledBackAt: null, NOT: { messages: { equals: Prisma.DbNull } } }, orderBy: { id: 'desc' }, select: { id: true } })
    if (latest?.id === e.id) await tx.execution.update({ where: { id: e.id }, data: { rolledBackAt: new Date() } })
    const messages = (e.input as { messages: { role: string; content: string }[] }).messages.map((m) => ({ ...m, id: randomUUID() }))
    const retry = await tx.execution.create({
      data: {
        tenantId, agentId: e.agentId, threadId: e.threadId, model: e.model, requestHash: e.requestHash, retryOfId: e.id,
        input: { ...(e.input as object), messages }, agentSnapshot: e.agentSnapshot as Prisma.InputJsonValue,
        createdById: s.principal.kind === 'USER' ? s.principal.userId : null, traceParent,
        createdByApiKeyId: s.principal.kind === 'API_KEY' ? s.principal.apiKeyId : null,
        budgetCounted: admitted.budgetCounted,
      },
    })
    await recordAudit(tx, tenantId, actorOf(s.principal), s.meta, { action: 'execution.retry', outcome: 'SUCCESS', resourceType: 'Execution', resourceId: retry.id, metadata: { retryOf: e.id } })
    await reportStatus(s.deps, tx, tenantId, retry.id, 'QUEUED')
    await announceThresholds(s.deps, tx, tenantId, admitted.crossings)
    afterCommit(tx, () => void s.deps.pubsub.publish(topics.queue, { executionId: retry.id }))
    return retry
  }).catch(async (e: unknown) => {
    await admitted.giveBack()
    throw e
  })
}

/** The agent of a run (null when it is missing, foreign or its agent was deleted): what a retry or resume is charged to. */
export async function agentOf(tx: Tx, executionId: string): Promise<string | null> {
  const [row] = await tx.$queryRaw<{ agent_id: string | null }[]>`SELECT agent_id FROM executions WHERE id = ${executionId}::uuid`
  return row?.agent_id ?? null
}
