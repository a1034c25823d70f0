// Continuing an INTERRUPTED run: every open interrupt answered at once, approved calls released (as they were, or
// with the person's edited arguments), refused ones reported to the model. AG-UI: continuing is a new run whose input
// carries `resume`, so the answer queues a new execution on the same thread; the interrupted one stays as it ended.
import { createHash } from 'node:crypto'
import type { Session } from '../session.ts'
import { AppError, notFound } from '../../errors.ts'
import { afterCommit, type Tx } from '../../db/scope.ts'
import { topics } from '../../events/topics.ts'
import { currentTraceParent } from '../../telemetry.ts'
import type { Execution, Prisma } from '../../generated/prisma/client.ts'
import { validateArguments } from '../../tools/schema.ts'
import { actorOf, recordAudit } from '../audit.ts'
import { announceThresholds, subjectsOf } from '../budgets/charge.ts'
import { admitRun } from './admission.ts'
import { agentOf } from './retry.ts'
import { Problems, text } from '../validation.ts'
import { waitTimeoutMs, waitUntilFinished } from './history.ts'
import { findByKeys, keyRule } from './queue.ts'
import { isExpired, storedInterrupts, type ResumeEntry, type ResumeStatus, type StoredInterrupt } from './interrupts.ts'
import { reportStatus } from './lifecycle.ts'

export interface ResumeExecutionInput {
  executionId: string
  resume: { interruptId: string; status: ResumeStatus; payload?: unknown }[]
  idempotencyKey?: string | null
  /** The AG-UI runId of the continuation (unique per tenant; repeating it returns the same run). */
  runId?: string | null
  wait?: boolean | null
}

type Answer = ResumeExecutionInput['resume'][number]

function validateShape(input: ResumeExecutionInput) {
  const p = new Problems()
  if (!input.resume.length) p.add('resume', 'must answer every open interrupt of the execution')
  const seen = new Set<string>()
  input.resume.forEach((r, i) => {
    if (seen.has(r.interruptId)) p.add(`resume.${i}.interruptId`, 'answers an interrupt already answered in this list')
    seen.add(r.interruptId)
  })
  const idempotencyKey = input.idempotencyKey == null ? null : text(p, 'idempotencyKey', input.idempotencyKey, keyRule)
  const runId = input.runId == null ? null : text(p, 'runId', input.runId, { ...keyRule, max: 128 })
  p.check()
  return { idempotencyKey, runId }
}

/** Checks the answers against the interrupts, in the order a client can act on: which, whether open, in time, well-formed. */
function matchAnswers(e: Execution, answers: Answer[], now: Date): { answer: Answer; interrupt: StoredInterrupt }[] {
  const stored = storedInterrupts(e.interrupts)
  const p = new Problems()
  const matched = answers.map((answer, i) => {
    const interrupt = stored.find((x) => x.id === answer.interruptId)
    if (!interrupt) p.add(`resume.${i}.interruptId`, 'is not an interrupt of this execution')
    return { answer, interrupt: interrupt! }
  })
  p.check()
  const answered = matched.find((m) => m.interrupt.resolvedAt)
  if (answered) throw new AppError('CONFLICT', `Interrupt ${answered.interrupt.id} was already answered.`, { interruptId: answered.interrupt.id })
  const expired = matched.find((m) => isExpired(m.interrupt, now))
  if (expired) throw new AppError('INTERRUPT_EXPIRED', `Interrupt ${expired.interrupt.id} expired at ${expired.interrupt.expiresAt}.`, { interruptId: expired.interrupt.id, expiresAt: expired.interrupt.expiresAt })
  const missing = stored.filter((x) => !x.resolvedAt && !answers.some((a) => a.interruptId === x.id))
  if (missing.length) p.add('resume', `must answer every open interrupt of the execution (missing: ${missing.map((x) => x.id).join(', ')})`)
  matched.forEach(({ answer, interrupt }, i) => {
    if (answer.payload == null) return
    for (const f of validateArguments(interrupt.responseSchema, answer.payload, `resume.${i}.payload`)) p.add(f.path, f.message)
  })
  p.check()
  return matched
}

const requestHash = (executionId: string, answers: Answer[]) =>
  createHash('sha256').update(JSON.stringify({ resumeOf: executionId, answers: answers.map((a) => [a.interruptId, a.status, a.payload ?? null]) })).digest('hex')

/** Answers an INTERRUPTED execution's interrupts and queues the run that continues it (idempotent by key). */
export async function resumeExecution(s: Session, input: ResumeExecutionInput): Promise<Execution> {
  const { idempotencyKey, runId } = validateShape(input)
  const hash = requestHash(input.executionId, input.resume)
  const tenantId = s.principal.tenantId
  // A repeated request answers with the run the first one made, without counting anything (as runAgent does).
  const replayed = await findByKeys(s.db.client, runId, idempotencyKey, hash)
  if (replayed) return input.wait ? waitUntilFinished(s, replayed, waitTimeoutMs(replayed)) : replayed
  // Counted in its own transaction first (runAgent counts in its one transaction), given back unless a continuation is created.
  const admitted = await admitRun(s, async (tx) => subjectsOf(s.principal, await agentOf(tx, input.executionId)))
  // The request's span, so that the worker's span of the continuation joins the request's trace.
  const traceParent = currentTraceParent()
  let created = false
  const continuation = await s.db.tx(async (tx) => {
    const [locked] = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM executions WHERE id = ${input.executionId}::uuid FOR UPDATE`
    const e = locked && (await tx.execution.findUnique({ where: { id: input.executionId } }))
    if (!e) throw notFound('Execution')
    // Under the lock, so a repeated request waits for the first and answers with its run.
    const earlier = await findByKeys(tx, runId, idempotencyKey, hash)
    if (earlier) return earlier
    if (e.status !== 'INTERRUPTED') throw new AppError('CONFLICT', `Only an INTERRUPTED execution can be resumed (this one is ${e.status}).`)
    const matched = matchAnswers(e, input.resume, new Date(s.deps.clock()))
    const resume: ResumeEntry[] = matched.map(({ answer, interrupt }) => ({
      interruptId: interrupt.id, status: answer.status, ...(answer.payload != null && { payload: answer.payload }),
      toolCallId: interrupt.toolCallId, toolName: interrupt.toolName, arguments: interrupt.arguments,
    }))
    const next = await tx.execution.create({
      data: {
        tenantId, agentId: e.agentId, threadId: e.threadId, model: e.model, requestHash: hash, idempotencyKey, runId, resumeOfId: e.id,
        input: { messages: [], resume } as unknown as Prisma.InputJsonValue, agentSnapshot: e.agentSnapshot as Prisma.InputJsonValue,
        createdById: s.principal.kind === 'USER' ? s.principal.userId : null, traceParent,
        createdByApiKeyId: s.principal.kind === 'API_KEY' ? s.principal.apiKeyId : null,
        budgetCounted: admitted.budgetCounted,
      },
    })
    await recordAnswers(s, tx, e, matched, next.id)
    await reportStatus(s.deps, tx, tenantId, next.id, 'QUEUED')
    await announceThresholds(s.deps, tx, tenantId, admitted.crossings)
    afterCommit(tx, () => void s.deps.pubsub.publish(topics.queue, { executionId: next.id }))
    created = true
    return next
  }).finally(async () => {
    if (!created) await admitted.giveBack()
  })
  return input.wait ? waitUntilFinished(s, continuation, waitTimeoutMs(continuation)) : continuation
}

/** Marks the interrupts answered and records one audit entry per decision (approve, edit-and-approve, reject). */
async function recordAnswers(s: Session, tx: Tx, e: Execution, matched: { answer: Answer; interrupt: StoredInterrupt }[], continuationId: string) {
  const now = new Date(s.deps.clock()).toISOString()
  const answers = new Map(matched.map((m) => [m.interrupt.id, m.answer]))
  const interrupts = storedInterrupts(e.interrupts).map((i) => {
    const a = answers.get(i.id)
    return a ? { ...i, resolvedAt: now, status: a.status, resolvedBy: continuationId } : i
  })
  await tx.execution.update({ where: { id: e.id }, data: { interrupts: interrupts as unknown as Prisma.InputJsonValue } })
  for (const { answer, interrupt } of matched) {
    const edited = answer.status === 'RESOLVED' && (answer.payload as { editedArgs?: unknown } | null | undefined)?.editedArgs !== undefined
    await recordAudit(tx, e.tenantId, actorOf(s.principal), s.meta, {
      action: answer.status === 'RESOLVED' ? 'interrupt.approve' : 'interrupt.reject', outcome: 'SUCCESS', resourceType: 'Execution', resourceId: e.id,
      metadata: { interruptId: interrupt.id, toolName: interrupt.toolName, toolCallId: interrupt.toolCallId, edited, continuationId },
    })
  }
}
