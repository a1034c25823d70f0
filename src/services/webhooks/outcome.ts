// The data of an `execution.<status>` webhook: what a receiver needs to act on a finished run without calling back.
import type { Tx } from '../../db/scope.ts'
import type { Prisma } from '../../generated/prisma/client.ts'
import type { ExecutionStatus } from '../../generated/prisma/enums.ts'
import { encodeGlobalId } from '../../global-ids.ts'
import { enqueueWebhookEvent } from '../../events/webhook-outbox.ts'
import { aguiInterrupt, storedInterrupts } from '../runs/interrupts.ts'
import type { PubSub } from '../../pubsub/pubsub.ts'

/** The webhook type reporting that a run ended in `status` (`execution.timed_out` for TIMED_OUT). */
export const outcomeType = (status: ExecutionStatus) => `execution.${status.toLowerCase()}`

/** Records the run's outcome in the webhook outbox inside `tx`, the transaction that sets its final status. */
export function enqueueExecutionOutcome(deps: { pubsub: PubSub }, tx: Tx, tenantId: string, executionId: string, status: ExecutionStatus) {
  return enqueueWebhookEvent(deps, tx, tenantId, outcomeType(status), async () => {
    // Read inside `tx`: the row as this transaction leaves it (output, error and tokens of the final attempt).
    const e = await tx.execution.findUniqueOrThrow({ where: { id: executionId } })
    const data: Prisma.InputJsonObject = {
      executionId: encodeGlobalId('Execution', e.id),
      threadId: encodeGlobalId('Thread', e.threadId),
      agentId: e.agentId ? encodeGlobalId('Agent', e.agentId) : null,
      runId: e.runId,
      status,
      model: e.model,
      output: e.output,
      error: (e.error ?? null) as Prisma.InputJsonValue,
      usage: { promptTokens: e.promptTokens, completionTokens: e.completionTokens, totalTokens: e.totalTokens },
      attempt: e.attempt,
      createdAt: e.createdAt.toISOString(),
      startedAt: e.startedAt?.toISOString() ?? null,
      finishedAt: e.finishedAt?.toISOString() ?? null,
      // What a person must answer (resumeExecution), in AG-UI form.
      ...(status === 'INTERRUPTED' && { interrupts: storedInterrupts(e.interrupts).map(aguiInterrupt) as unknown as Prisma.InputJsonArray }),
    }
    return data
  })
}
