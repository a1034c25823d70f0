// Human in the loop: what an INTERRUPTED execution waits for (Execution.interrupts) and resumeExecution.
import { sessionOf } from '../../context.ts'
import { getExecution } from '../../services/runs/history.ts'
import { storedInterrupts, type StoredInterrupt } from '../../services/runs/interrupts.ts'
import { resumeExecution } from '../../services/runs/resume.ts'
import { builder } from '../builder.ts'
import { decodeId } from '../ids.ts'
import { ExecutionRef } from './execution.ts'

const ResumeStatusEnum = builder.enumType('ResumeStatus', {
  values: {
    RESOLVED: { description: 'Answered: for a tool approval, the call runs (with `payload.editedArgs` when given).' },
    CANCELLED: { description: 'Refused: the call does not run and the model is told so.' },
  },
})

const InterruptRef = builder.objectRef<StoredInterrupt>('Interrupt').implement({
  description: 'Something an INTERRUPTED run waits for (AG-UI 1.0 Interrupt); answered by resumeExecution.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The AG-UI interrupt id (`resume[].interruptId`).' }),
    reason: t.exposeString('reason', { description: '`tool_approval`: a call of a tool with requiresApproval is held back.' }),
    message: t.exposeString('message', { nullable: true }),
    toolCallId: t.exposeString('toolCallId', { nullable: true }),
    toolName: t.exposeString('toolName', { nullable: true, description: 'The tool whose call waits for approval.' }),
    arguments: t.exposeString('arguments', { nullable: true, description: 'The held-back call’s arguments (JSON text).' }),
    responseSchema: t.field({ type: 'JSON', nullable: true, description: 'JSON Schema of `payload`: `{ editedArgs?, reason? }`.', resolve: (i) => i.responseSchema }),
    expiresAt: t.field({ type: 'DateTime', resolve: (i) => new Date(i.expiresAt) }),
    resolvedAt: t.field({ type: 'DateTime', nullable: true, resolve: (i) => (i.resolvedAt ? new Date(i.resolvedAt) : null) }),
    status: t.field({ type: ResumeStatusEnum, nullable: true, description: 'The answer, once given.', resolve: (i) => i.status ?? null }),
  }),
})

builder.prismaObjectFields('Execution', (t) => ({
  interrupts: t.field({
    type: [InterruptRef],
    description: 'What the run waits for when INTERRUPTED (empty otherwise); answered ones keep their `resolvedAt`.',
    select: { interrupts: true },
    resolve: (e) => storedInterrupts(e.interrupts),
  }),
  resumeOf: t.field({
    type: ExecutionRef, nullable: true, description: 'The INTERRUPTED execution whose interrupts this one answers.',
    select: { resumeOfId: true },
    resolve: (e, _a, ctx) => (e.resumeOfId ? getExecution(sessionOf(ctx), e.resumeOfId).catch(() => null) : null),
  }),
}))

const ResumeEntryInput = builder.inputType('ResumeEntryInput', {
  fields: (t) => ({
    interruptId: t.id({ required: true }),
    status: t.field({ type: ResumeStatusEnum, required: true }),
    payload: t.field({ type: 'JSON', description: "Must match the interrupt's responseSchema, e.g. `{ editedArgs: { … } }` or `{ reason }`." }),
  }),
})
const ResumeExecutionInput = builder.inputType('ResumeExecutionInput', {
  fields: (t) => ({
    executionId: t.id({ required: true, description: 'An INTERRUPTED execution.' }),
    resume: t.field({ type: [ResumeEntryInput], required: true, description: 'One answer for every open interrupt.' }),
    idempotencyKey: t.string({ description: 'Repeating the request with the same key returns the same execution.' }),
    runId: t.string({ description: 'Client-chosen AG-UI run id of the continuation, unique per tenant.' }),
    wait: t.boolean({ description: 'Return only once the continuation has finished.' }),
  }),
})

builder.mutationFields((t) => ({
  resumeExecution: t.field({
    type: builder.objectRef<{ execution: object }>('ResumeExecutionPayload').implement({
      fields: (f) => ({ execution: f.field({ type: ExecutionRef, description: 'The new run that continues the thread.', resolve: (p) => p.execution as never }) }),
    }),
    description: 'Answers the interrupts of an INTERRUPTED execution; continuing is a new execution on its thread (AG-UI `resume`).',
    auditAction: 'execution.resume',
    authScopes: { scope: 'EXECUTIONS_RUN' },
    args: { input: t.arg({ type: ResumeExecutionInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({
      execution: await resumeExecution(sessionOf(ctx), {
        executionId: decodeId(input.executionId, 'Execution'),
        resume: input.resume.map((r) => ({ interruptId: String(r.interruptId), status: r.status, payload: r.payload ?? undefined })),
        idempotencyKey: input.idempotencyKey, runId: input.runId, wait: input.wait,
      }),
    }),
  }),
}))
