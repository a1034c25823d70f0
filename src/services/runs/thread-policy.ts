// What a new run does to the runs already active on its thread (LangGraph's multitask strategies). Whatever the
// strategy, runs of one thread never overlap: the claim (claims.ts) starts a run only once every earlier run of its
// thread has finished, so each starts from the whole history committed by those before it.
import type { Session } from '../session.ts'
import { AppError } from '../../errors.ts'
import type { Tx } from '../../db/scope.ts'
import type { Execution } from '../../generated/prisma/client.ts'
import { cancelLocked } from './cancel.ts'

export type MultitaskStrategy = 'ENQUEUE' | 'REJECT' | 'INTERRUPT' | 'ROLLBACK'

/**
 * Applies `strategy` to the thread's active (queued or running) runs inside the transaction that creates the new
 * run: ENQUEUE leaves them; REJECT refuses with THREAD_BUSY; INTERRUPT cancels them (their partial replies stay in
 * the history); ROLLBACK cancels them and drops their messages from the history.
 */
export async function applyThreadPolicy(s: Session, tx: Tx, threadId: string, strategy: MultitaskStrategy) {
  if (strategy === 'ENQUEUE') return
  // Serialises the decisions about one thread: two concurrent REJECT runs cannot both find it idle.
  await tx.$queryRaw`SELECT id FROM threads WHERE id = ${threadId}::uuid FOR UPDATE`
  const active = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM executions WHERE thread_id = ${threadId}::uuid AND status IN ('QUEUED', 'RUNNING') ORDER BY id FOR UPDATE`
  if (!active.length) return
  if (strategy === 'REJECT') {
    throw new AppError('THREAD_BUSY', 'A run is active on this thread; wait for it to end, or choose another multitaskStrategy.', { retryAfter: 1 })
  }
  for (const { id } of active) {
    const e = (await tx.execution.findUnique({ where: { id } })) as Execution
    await cancelLocked(s, tx, e, { reason: strategy.toLowerCase() })
    if (strategy === 'ROLLBACK') await tx.execution.update({ where: { id }, data: { rolledBackAt: new Date() } })
  }
}
