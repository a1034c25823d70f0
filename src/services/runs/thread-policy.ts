// What a new run does to the runs already active on its thread (LangGraph's multitask strategies). Whatever the
// strategy, runs of one thread never overlap: the claim (claims.ts) starts a run only once every earlier run of its
// thread has finished, so each starts from the whole history committed by those before it.
import type { Session } from '../session.ts'
import { AppError, notFound } from '../../errors.ts'
import type { Tx } from '../../db/scope.ts'
import { Prisma, type Execution } from '../../generated/prisma/client.ts'
import { cancelLocked } from './cancel.ts'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export type MultitaskStrategy = 'ENQUEUE' | 'REJECT' | 'INTERRUPT' | 'ROLLBACK'

/**
 * Applies `strategy` to the thread's active (queued or running) runs inside the transaction that creates the new
 * run, after checking the thread is the tenant's (NOT_FOUND otherwise): ENQUEUE leaves them; REJECT refuses with
 * THREAD_BUSY; INTERRUPT cancels them (their partial replies stay in the history); ROLLBACK cancels them and drops
 * their messages from the history.
 */
export async function applyThreadPolicy(s: Session, tx: Tx, threadId: string, strategy: MultitaskStrategy) {
  // Callers decode ids, but a malformed one must stay NOT_FOUND here rather than fail the cast below.
  if (!uuid.test(threadId)) throw notFound('Thread')
  // Other strategies lock the thread: that serialises the decisions about it, so two concurrent REJECT runs cannot
  // both find it idle.
  const [thread] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM threads WHERE id = ${threadId}::uuid ${strategy === 'ENQUEUE' ? Prisma.empty : Prisma.sql`FOR UPDATE`}`
  if (!thread) throw notFound('Thread')
  if (strategy === 'ENQUEUE') return
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
