import { sessionOf } from '../../context.ts'
import { cancelExecution } from '../../services/runs/cancel.ts'
import { getExecution, listEvents, listExecutions, threadMessages } from '../../services/runs/history.ts'
import { runAgent } from '../../services/runs/queue.ts'
import { retryExecution } from '../../services/runs/retry.ts'
import { validationFailed } from '../../errors.ts'
import { publicAgentSnapshot } from '../../services/tool-secrets.ts'
import { builder } from '../builder.ts'
import { tenantRowScopes } from '../type-scopes.ts'
import { connectionNames, decodeCursor, encodeCursor, nodeQuery, pageConnection } from '../connection.ts'
import { decodeId } from '../ids.ts'

export const ExecutionStatusEnum = builder.enumType('ExecutionStatus', { values: ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'INTERRUPTED'] as const })

const Usage = builder.objectRef<{ promptTokens: number; completionTokens: number; totalTokens: number }>('Usage').implement({
  fields: (t) => ({
    promptTokens: t.exposeInt('promptTokens'),
    completionTokens: t.exposeInt('completionTokens'),
    totalTokens: t.exposeInt('totalTokens'),
  }),
})

/** One entry of an execution's event log: `event` is the AG-UI event exactly as the protocol defines it. */
export const ExecutionEventRef = builder.objectRef<{ cursor: string; seq: number; type: string; event: unknown; createdAt: Date }>('ExecutionEvent').implement({
  fields: (t) => ({
    cursor: t.exposeString('cursor', { description: 'Pass as `after` to continue strictly after this event.' }),
    seq: t.exposeInt('seq', { description: 'Position in the log: 1, 2, 3… without gaps.' }),
    type: t.exposeString('type'),
    event: t.field({ type: 'JSON', resolve: (e) => e.event }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
})

export const eventsList = (executionId: string) => `events:${executionId}`
/** The sequence number inside an event cursor of this execution (0 for none). */
export function afterSeq(ctx: Parameters<typeof decodeCursor>[0], executionId: string, after: string | null | undefined, path: 'after' | 'before' = 'after'): number {
  if (after == null) return 0
  const seq = Number(decodeCursor(ctx, eventsList(executionId), after, path))
  if (!Number.isSafeInteger(seq) || seq < 0) throw validationFailed([{ path, message: 'is not a cursor of this list' }])
  return seq
}

export const ExecutionRef = builder.prismaNode('Execution', {
  id: { field: 'id' },
  authScopes: tenantRowScopes(),
  fields: (t) => ({
    status: t.expose('status', { type: ExecutionStatusEnum }),
    agent: t.relation('agent', { nullable: true, description: 'Null once the agent is deleted (agentSnapshot keeps what the run used).' }),
    thread: t.relation('thread'),
    model: t.exposeString('model'),
    runId: t.exposeString('runId', { nullable: true }),
    idempotencyKey: t.exposeString('idempotencyKey', { nullable: true }),
    input: t.expose('input', { type: 'JSON', description: '`{ messages: [{ id, role, content }] }` as submitted.' }),
    output: t.exposeString('output', { nullable: true, description: 'The final answer.' }),
    error: t.expose('error', { type: 'JSON', nullable: true, description: '`{ code, message, attempt }` of the last failure.' }),
    usage: t.field({ type: Usage, resolve: (e) => e }),
    attempt: t.exposeInt('attempt', { description: 'Attempts started so far (retries and recoveries included).' }),
    agentSnapshot: t.field({ type: 'JSON', description: 'The agent configuration (and tools) this run used; tool URL query values redacted, header values never shown.', select: { agentSnapshot: true }, resolve: (e) => publicAgentSnapshot(e.agentSnapshot) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
    cancelRequestedAt: t.expose('cancelRequestedAt', { type: 'DateTime', nullable: true }),
    rolledBackAt: t.expose('rolledBackAt', { type: 'DateTime', nullable: true, description: 'Set when a ROLLBACK run cancelled this one: its messages left the history.' }),
    events: t.connection(
      {
        type: ExecutionEventRef,
        description: 'The AG-UI event log, in order. `after`/`before` take cursors of this list; `first`/`last` are capped.',
        resolve: async (e, args, ctx) => {
          const cap = (n: number | null | undefined) => (n == null ? undefined : Math.min(Math.max(n, 0), ctx.deps.config.pagination.maxSize * 10))
          const after = afterSeq(ctx, e.id, args.after)
          const before = args.before == null ? undefined : afterSeq(ctx, e.id, args.before, 'before')
          const window = { after, before, first: cap(args.first) ?? (args.last == null ? 100 : undefined), last: cap(args.last) }
          const { events, hasNextPage, hasPreviousPage } = await listEvents(sessionOf(ctx), e.id, window)
          const edges = events.map((x) => ({ cursor: encodeCursor(ctx, eventsList(e.id), String(x.seq)), node: { ...x, event: x.payload, cursor: encodeCursor(ctx, eventsList(e.id), String(x.seq)) } }))
          return { edges, totalCount: e.lastSeq, pageInfo: { hasNextPage, hasPreviousPage, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null } }
        },
      },
      ...connectionNames('ExecutionEventLog'),
    ),
  }),
})

builder.prismaObjectFields('Execution', (t) => ({
  retryOf: t.field({
    type: ExecutionRef, nullable: true, description: 'The execution this one re-runs (retryExecution).',
    resolve: (e, _a, ctx) => (e.retryOfId ? getExecution(sessionOf(ctx), e.retryOfId).catch(() => null) : null),
  }),
}))

const ToolCallRef = builder.objectRef<{ id: string; function: { name: string; arguments: string } }>('ThreadToolCall').implement({
  fields: (t) => ({
    id: t.exposeString('id'),
    name: t.string({ resolve: (c) => c.function.name }),
    arguments: t.string({ description: 'JSON text.', resolve: (c) => c.function.arguments }),
  }),
})

type StoredMessage = { id: string; role: string; content?: unknown; toolCalls?: { id: string; function: { name: string; arguments: string } }[]; toolCallId?: string }
const ThreadMessageRef = builder.objectRef<StoredMessage>('ThreadMessage').implement({
  description: 'A message of the thread, as AG-UI defines it (user, assistant with tool calls, tool result, system).',
  fields: (t) => ({
    id: t.exposeString('id'),
    role: t.exposeString('role'),
    content: t.string({ nullable: true, resolve: (m) => (typeof m.content === 'string' ? m.content : null) }),
    toolCalls: t.field({ type: [ToolCallRef], nullable: true, resolve: (m) => m.toolCalls ?? null }),
    toolCallId: t.exposeString('toolCallId', { nullable: true }),
  }),
})

builder.prismaObjectFields('Thread', (t) => ({
  messages: t.field({
    type: [ThreadMessageRef],
    description: 'The conversation in order, assembled from the event logs of its runs.',
    resolve: (thread, _a, ctx) => threadMessages(sessionOf(ctx), thread.id) as Promise<StoredMessage[]>,
  }),
  executions: t.connection(
    {
      type: ExecutionRef,
      description: "The thread's runs, newest first.",
      resolve: (thread, args, ctx, info) =>
        pageConnection(ctx, `thread-executions:${thread.id}`, args, (s, req) => listExecutions(s, req, { threadId: thread.id }, nodeQuery(ctx, info))),
    },
    ...connectionNames('ThreadExecution'),
  ),
}))

const ExecutionFilter = builder.inputType('ExecutionFilter', {
  fields: (t) => ({
    agentId: t.id(),
    threadId: t.id(),
    status: t.field({ type: ExecutionStatusEnum, description: 'e.g. FAILED: the dead-letter view.' }),
    createdAfter: t.field({ type: 'DateTime' }),
    createdBefore: t.field({ type: 'DateTime' }),
    interruptId: t.id({ description: 'The run that ended with this interrupt (an AG-UI `resume[].interruptId`).' }),
  }),
})

const decodeFilter = (f: typeof ExecutionFilter.$inferInput | null | undefined) => ({
  agentId: f?.agentId ? decodeId(f.agentId, 'Agent') : undefined, threadId: f?.threadId ? decodeId(f.threadId, 'Thread') : undefined,
  status: f?.status, createdAfter: f?.createdAfter, createdBefore: f?.createdBefore, interruptId: f?.interruptId == null ? undefined : String(f.interruptId),
})

builder.queryFields((t) => ({
  execution: t.prismaField({
    type: 'Execution',
    authScopes: { scope: 'EXECUTIONS_READ' },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _r, { id }, ctx) => getExecution(sessionOf(ctx), decodeId(id, 'Execution'), query),
  }),
  executions: t.connection(
    {
      type: ExecutionRef,
      description: 'The execution history, newest first.',
      authScopes: { scope: 'EXECUTIONS_READ' },
      args: { filter: t.arg({ type: ExecutionFilter }) },
      resolve: (_r, args, ctx, info) =>
        pageConnection(ctx, 'executions', args, (s, req) => listExecutions(s, req, decodeFilter(args.filter), nodeQuery(ctx, info))),
    },
    ...connectionNames('Execution'),
  ),
}))

const MessageInput = builder.inputType('RunMessageInput', {
  fields: (t) => ({
    id: t.string({ description: 'Your message id (kept in the thread); generated when absent.' }),
    role: t.field({ type: builder.enumType('RunMessageRole', { values: ['user', 'system', 'assistant', 'tool'] as const }), required: true }),
    content: t.string({ required: true, description: 'For a tool message: the result of the client tool call.' }),
    toolCallId: t.string({ description: 'tool messages: the pending client tool call this answers (`pendingToolCallIds`).' }),
  }),
})
const ClientToolInput = builder.inputType('ClientToolInput', {
  description: 'A tool the client runs itself (AG-UI frontend tool): a call of it ends the run with the call pending.',
  fields: (t) => ({
    name: t.string({ required: true, description: 'Letters, digits, _ and -; not the name of one of the agent’s tools.' }),
    description: t.string(),
    parameters: t.field({ type: 'JSON', description: 'JSON Schema (type object) of the arguments.' }),
  }),
})
const RunAgentInput = builder.inputType('RunAgentInput', {
  fields: (t) => ({
    agentId: t.id({ required: true }),
    prompt: t.string({ description: 'A single user message. Give either prompt or messages.' }),
    messages: t.field({ type: [MessageInput], description: 'New messages for the thread (its history is kept on the server).' }),
    model: t.string({ description: "Overrides the agent's model (must be allowed)." }),
    threadId: t.id({ description: 'Continue this thread; a new one is created when absent.' }),
    runId: t.string({ description: 'Client-chosen AG-UI run id, unique per tenant; repeating it returns the same execution.' }),
    idempotencyKey: t.string({ description: 'Repeating a request with the same key returns the same execution.' }),
    wait: t.boolean({ description: 'Return only once the run has finished.' }),
    multitaskStrategy: t.field({
      type: builder.enumType('MultitaskStrategy', {
        description: 'What a run does to the runs already active on its thread. Runs of one thread never overlap.',
        values: {
          ENQUEUE: { description: 'Wait for them; runs execute one at a time in creation order (default).' },
          REJECT: { description: 'Refuse with THREAD_BUSY.' },
          INTERRUPT: { description: 'Cancel them (their partial replies stay in the history), then run.' },
          ROLLBACK: { description: 'Cancel them and remove their messages from the history, then run.' },
        },
      }),
      description: 'Default ENQUEUE.',
    }),
    clientTools: t.field({ type: [ClientToolInput], description: 'Tools the client runs; their calls end the run SUCCEEDED with `pendingToolCallIds` in RUN_FINISHED.' }),
  }),
})
const CancelExecutionInput = builder.inputType('CancelExecutionInput', { fields: (t) => ({ id: t.id({ required: true }) }) })
const RetryExecutionInput = builder.inputType('RetryExecutionInput', { fields: (t) => ({ id: t.id({ required: true, description: 'A FAILED, TIMED_OUT or CANCELLED execution.' }) }) })
const ExecutionPayload = (name: string) =>
  builder.objectRef<{ execution: object }>(name).implement({ fields: (t) => ({ execution: t.field({ type: ExecutionRef, resolve: (p) => p.execution as never }) }) })

builder.mutationFields((t) => ({
  runAgent: t.field({
    type: ExecutionPayload('RunAgentPayload'),
    // Refused runs have always been audited as agent.run; a run that starts records execution.create (its service).
    auditAction: 'agent.run',
    authScopes: { scope: 'EXECUTIONS_RUN' },
    args: { input: t.arg({ type: RunAgentInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({
      execution: await runAgent(sessionOf(ctx), {
        ...input,
        agentId: decodeId(input.agentId, 'Agent'),
        threadId: input.threadId ? decodeId(input.threadId, 'Thread') : null,
      }),
    }),
  }),
  cancelExecution: t.field({
    type: ExecutionPayload('CancelExecutionPayload'),
    auditAction: 'execution.cancel',
    authScopes: { scope: 'EXECUTIONS_RUN' },
    args: { input: t.arg({ type: CancelExecutionInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ execution: await cancelExecution(sessionOf(ctx), { id: decodeId(input.id, 'Execution') }) }),
  }),
  retryExecution: t.field({
    type: ExecutionPayload('RetryExecutionPayload'),
    description: 'Queues a new execution with the same input (`retryOf` set).',
    auditAction: 'execution.retry',
    authScopes: { scope: 'EXECUTIONS_RUN' },
    args: { input: t.arg({ type: RetryExecutionInput, required: true }) },
    resolve: async (_r, { input }, ctx) => ({ execution: await retryExecution(sessionOf(ctx), { id: decodeId(input.id, 'Execution') }) }),
  }),
}))
