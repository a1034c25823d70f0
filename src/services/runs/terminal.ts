// The end of an attempt, in one transaction: its last events, its status (final, or back to the queue for a retry
// or after a shutdown), what it produced and the tokens it consumed. The terminal event and the terminal status can
// never disagree, and usage is counted exactly once.
import type { AguiEvent, AguiMessage, Usage } from '../../events/agui.ts'
import { insertEvents, wakeSubscribers } from '../../events/execution-log.ts'
import { redactionFor } from '../../db/pii.ts'
import { afterCommit } from '../../db/scope.ts'
import { topics } from '../../events/topics.ts'
import { Prisma } from '../../generated/prisma/client.ts'
import { recordUsage, type UsageDelta } from '../quota.ts'
import { announceThresholds, chargeAttempt } from '../budgets/charge.ts'
import type { AppDeps } from '../session.ts'
import type { StoredInterrupt } from './interrupts.ts'
import { transition } from './lifecycle.ts'
import { ClaimLostError, type Writer } from './writer.ts'

export interface RunEnd {
  status: 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'TIMED_OUT' | 'INTERRUPTED' | 'QUEUED'
  /** QUEUED: the earliest time a worker may claim the run again (default: at once, keeping its place in the queue). */
  runAfter?: Date
  output?: string
  /** The run's error; null clears an earlier attempt's. */
  error?: Prisma.InputJsonValue | null
  /** INTERRUPTED: what the run waits for. */
  interrupts?: StoredInterrupt[]
  /** The thread's messages as this run leaves them. */
  messages?: AguiMessage[]
  /** The run's token counts so far, over all attempts. */
  tokens?: Usage
  /** What this attempt consumed, added to the tenant's monthly usage. */
  usage?: UsageDelta
}

const json = (value: unknown) => (value === null ? Prisma.sql`NULL` : Prisma.sql`${JSON.stringify(value)}::jsonb`)

function endColumns(end: RunEnd): Prisma.Sql[] {
  const t = end.tokens
  return [
    Prisma.sql`claimed_by = NULL`,
    // A Date parameter would be read in the session's time zone; an ISO string names its own.
    ...(end.status !== 'QUEUED' ? [Prisma.sql`finished_at = now()`] : end.runAfter ? [Prisma.sql`run_after = ${end.runAfter.toISOString()}::timestamptz`] : []),
    ...(end.output !== undefined ? [Prisma.sql`output = ${end.output}`] : []),
    ...(end.error !== undefined ? [Prisma.sql`error = ${json(end.error)}`] : []),
    ...(end.messages ? [Prisma.sql`messages = ${json(end.messages)}`] : []),
    ...(end.interrupts ? [Prisma.sql`interrupts = ${json(end.interrupts)}`] : []),
    ...(t ? [Prisma.sql`prompt_tokens = ${t.promptTokens}, completion_tokens = ${t.completionTokens}, total_tokens = ${t.promptTokens + t.completionTokens}`] : []),
  ]
}

/**
 * Ends the attempt of the run `w` holds: appends `events` and moves it to `end.status` with its results and usage, all
 * or nothing; throws ClaimLostError if `w` no longer holds it. Returns the last sequence number written.
 */
export async function endRun(deps: AppDeps, w: Writer, events: AguiEvent[], given: RunEnd): Promise<number> {
  return deps.db.forTenant(w.tenantId).tx(async (tx) => {
    // Tenants with redactPii: the stored output, messages and error too (the events are redacted as they are stored).
    const redact = await redactionFor(tx, w.tenantId)
    const end: RunEnd = { ...given, output: redact(given.output), messages: redact(given.messages), error: redact(given.error) }
    // Usage first: every transaction that touches them locks the tenant's usage, then runs, then the tenant's event
    // log (runAgent counts usage before it locks any run or the event log). A lost claim below
    // rolls the usage back with everything else.
    if (end.usage) await recordUsage(tx, w.tenantId, end.usage, deps.clock())
    const final = end.status !== 'QUEUED'
    const crossings = await chargeAttempt(tx, w.tenantId, w.executionId, { tokens: end.usage?.tokens ?? 0, final }, deps.clock())
    const row = await transition(deps, tx, {
      id: w.executionId, from: 'RUNNING', to: end.status, fence: Prisma.sql`claimed_by = ${w.claim}`,
      set: [Prisma.sql`last_seq = last_seq + ${events.length}`, Prisma.sql`heartbeat_at = now()`, ...endColumns(end), ...(final ? [Prisma.sql`budget_counted = true`] : [])],
    })
    if (!row) throw new ClaimLostError(w.executionId)
    if (events.length) await insertEvents(tx, w.tenantId, w.executionId, row.lastSeq, events)
    if (events.length) wakeSubscribers(deps, tx, w.executionId, row.lastSeq)
    await announceThresholds(deps, tx, w.tenantId, crossings)
    // Handed back (a shutdown, a lost database): other workers take it now rather than at their next poll.
    if (end.status === 'QUEUED' && !end.runAfter) afterCommit(tx, () => void deps.pubsub.publish(topics.queue, { executionId: w.executionId }))
    return row.lastSeq
  })
}
