// Queueing runs: runAgent validates and creates a QUEUED execution (idempotently); a worker does the rest.
import { createHash, randomUUID } from 'node:crypto'
import type { Session } from '../session.ts'
import { AppError, notFound } from '../../errors.ts'
import { topics } from '../../events/topics.ts'
import { afterCommit, type Tx } from '../../db/scope.ts'
import { Prisma, type Execution } from '../../generated/prisma/client.ts'
import { actorOf, auditEntrySql } from '../audit.ts'
import { uuidv7 } from '../../db/ids.ts'
import { knownRedaction, redaction } from '../../db/pii.ts'
import { announceThresholds, subjectsOf } from '../budgets/charge.ts'
import { countBudgets, countRun } from './admission.ts'
import { executionCount, type Taken } from '../quota.ts'
import { waitTimeoutMs, waitUntilFinished } from './history.ts'
import { reportStatus } from './lifecycle.ts'
import { applyThreadPolicy, type MultitaskStrategy } from './thread-policy.ts'
import { Problems, text } from '../validation.ts'
import { isUniqueViolation } from '../db-errors.ts'
import { currentTraceParent } from '../../telemetry.ts'
import { validateClientTools, type ClientTool, type ClientToolInput } from './client-tools.ts'

export interface InputMessage {
  /** The client's message id (AG-UI clients keep theirs); one is made when absent. */
  id?: string | null
  role: 'user' | 'system' | 'assistant' | 'tool'
  content: string
  /** tool: the call this message answers (a client tool's pending call). */
  toolCallId?: string | null
}

export interface RunAgentInput {
  agentId: string
  prompt?: string | null
  messages?: InputMessage[] | null
  model?: string | null
  threadId?: string | null
  runId?: string | null
  idempotencyKey?: string | null
  wait?: boolean | null
  /** What to do with runs already active on the thread (default ENQUEUE). */
  multitaskStrategy?: MultitaskStrategy | null
  /** Tools the client runs itself (AG-UI frontend tools). */
  clientTools?: ClientToolInput[] | null
}

// Ids chosen by clients: printable ASCII, no spaces.
/** How runId and idempotencyKey must look. */
export const keyRule = { max: 255, singleLine: true, pattern: /^[\x21-\x7e]+$/, patternMessage: 'must be printable ASCII without spaces' }

function validate(s: Session, input: RunAgentInput) {
  const p = new Problems()
  if ((input.prompt == null) === (input.messages == null)) p.add('prompt', 'give either prompt or messages')
  const messages: InputMessage[] = input.prompt != null ? [{ role: 'user', content: input.prompt }] : (input.messages ?? [])
  if (input.messages && !input.messages.length) p.add('messages', 'must not be empty')
  messages.forEach((m, i) => {
    if (typeof m.content !== 'string' || !m.content.trim()) p.add(input.prompt != null ? 'prompt' : `messages.${i}.content`, 'must not be empty')
    if (m.id != null) text(p, `messages.${i}.id`, m.id, { ...keyRule, max: 128 })
    if (m.role === 'tool' && m.toolCallId == null) p.add(`messages.${i}.toolCallId`, 'is required for a tool message')
    if (m.role !== 'tool' && m.toolCallId != null) p.add(`messages.${i}.toolCallId`, 'is only for tool messages')
    if (m.toolCallId != null) text(p, `messages.${i}.toolCallId`, m.toolCallId, { ...keyRule, max: 128 })
  })
  const runId = input.runId == null ? null : text(p, 'runId', input.runId, { ...keyRule, max: 128 })
  const idempotencyKey = input.idempotencyKey == null ? null : text(p, 'idempotencyKey', input.idempotencyKey, keyRule)
  p.check()
  const length = messages.reduce((n, m) => n + m.content.length, 0)
  const max = s.deps.config.runs.promptMaxChars
  if (length > max) throw new AppError('PROMPT_TOO_LONG', `The prompt is ${length} characters; the limit is ${max}.`, { limit: max, actual: length })
  return { messages, runId, idempotencyKey }
}

/** What identifies "the same request" for idempotency. */
const requestHash = (agentId: string, model: string, threadId: string | null, messages: InputMessage[], clientTools: ClientTool[]) =>
  createHash('sha256').update(JSON.stringify({
    agentId, model, threadId, messages: messages.map((m) => [m.role, m.content, ...(m.toolCallId ? [m.toolCallId] : [])]), ...(clientTools.length && { clientTools }),
  })).digest('hex')

/** Queues a run of an agent (or returns the run an earlier identical request queued); `wait` returns it finished. */
export async function runAgent(s: Session, input: RunAgentInput): Promise<Execution> {
  const valid = validate(s, input)
  const { runId, idempotencyKey } = valid
  const strategy = input.multitaskStrategy ?? 'ENQUEUE'
  const threadId = input.threadId ?? null
  // The request's span, so that the worker's span of this run joins the request's trace.
  const traceParent = currentTraceParent()
  let run: NewRun | undefined
  // One transaction reads the agent (with its tools, the tenant's plan and redaction setting),
  // then creates the run and counts it against the quota and budgets (see create).
  const execution = await s.db.tx(async (tx) => {
    const agent = await tx.agent.findUnique({
      where: { id: input.agentId },
      include: { agentTools: { orderBy: { position: 'asc' }, include: { tool: true } }, tenant: { select: { redactPii: true, plan: true } } },
    })
    if (!agent) throw notFound('Agent')
    // Tenants with redactPii: the messages are stored, hashed, titled and sent to the model redacted.
    const redact = redaction(agent.tenant.redactPii)
    const messages = valid.messages.map((m) => ({ ...m, content: redact(m.content) }))
    const model = input.model ?? agent.model
    if (!s.deps.llm.isAllowed(model)) throw new AppError('INVALID_MODEL', `Model "${model}" is not available.`, { fields: [{ path: 'model', message: 'is not in the model allowlist' }] })
    const clientTools = validateClientTools(input.clientTools, agent.agentTools.map((at) => at.tool.name))
    const hash = requestHash(agent.id, model, threadId, messages, clientTools)
    run = { agent, model, messages, clientTools, runId, idempotencyKey, hash, threadId, strategy, traceParent }
    return (await findByKeys(tx, runId, idempotencyKey, hash)) ?? create(s, tx, run)
  }).catch(async (e: unknown) => {
    // A concurrent identical request won the unique key: answer with its execution (or refuse a different payload).
    const winner = run && isUniqueViolation(e) ? await findByKeys(s.db.client, run.runId, run.idempotencyKey, run.hash) : undefined
    if (!winner) throw e
    return winner
  })
  return input.wait ? waitUntilFinished(s, execution, waitTimeoutMs(execution)) : execution
}

/** The run an earlier request made with these keys, if the request was the same; IDEMPOTENCY_KEY_REUSED if not. */
export async function findByKeys(db: Pick<Tx, 'execution'>, runId: string | null, idempotencyKey: string | null, hash: string): Promise<Execution | undefined> {
  if (!runId && !idempotencyKey) return undefined
  const OR = [...(runId ? [{ runId }] : []), ...(idempotencyKey ? [{ idempotencyKey }] : [])]
  const found = await db.execution.findMany({ where: { OR }, take: 2 })
  if (!found.length) return undefined
  if (found.length > 1 || found[0]!.requestHash !== hash) {
    throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This runId or idempotencyKey was already used for a different request.')
  }
  return found[0]
}

type AgentWithTools = Prisma.AgentGetPayload<{ include: { agentTools: { include: { tool: true } }; tenant: { select: { redactPii: true; plan: true } } } }>

/** What the run uses of the agent, frozen: editing or deleting the agent later changes nothing about this run. */
function agentSnapshot(agent: AgentWithTools) {
  const { agentTools, tenant: _tenant, tenantId: _t, createdAt: _c, updatedAt: _u, ...config } = agent
  return {
    ...config,
    tools: agentTools.map(({ tool }) => ({
      id: tool.id, name: tool.name, description: tool.description, kind: tool.kind, handler: tool.handler, url: tool.url, headersSealed: tool.headersSealed, inputSchema: tool.inputSchema, requiresApproval: tool.requiresApproval,
    })),
  }
}

interface NewRun {
  agent: AgentWithTools
  model: string
  messages: InputMessage[]
  clientTools: ClientTool[]
  runId: string | null
  idempotencyKey: string | null
  hash: string
  threadId: string | null
  strategy: MultitaskStrategy
  traceParent: string | undefined
}

/**
 * Creates the run in `tx` and counts it against the quota and budgets (admission.ts), which refuses by throwing, so a
 * refused run rolls back with everything else and nothing has to be given back. The count takes the month's usage
 * row: it comes after the inserts, so that row stays locked for the end of the transaction only, and concurrent runs
 * of one tenant do not queue on it through the whole creation. It comes before anything that locks runs or the
 * tenant's event log: endRun locks usage, then runs, then the event log, and the opposite order could deadlock.
 */
async function create(s: Session, tx: Tx, a: NewRun): Promise<Execution> {
  const tenantId = s.principal.tenantId
  const subjects = () => subjectsOf(s.principal, a.agent.id)
  // The run is stored under the setting its messages were redacted with (read with the agent): no second read.
  knownRedaction(tx, tenantId, a.agent.tenant.redactPii)
  // INTERRUPT and ROLLBACK cancel the thread's active runs (runs and the event log locked): counted before them.
  const early = a.threadId && (a.strategy === 'INTERRUPT' || a.strategy === 'ROLLBACK') ? await countRun(s, tx, a.agent.tenant.plan, subjects) : undefined
  // An unknown or foreign thread is found here, in the transaction, rather than by a read of its own before it.
  if (a.threadId) await applyThreadPolicy(s, tx, a.threadId, a.strategy)
  // The new thread, the run, its audit entry and (unless counted above) its count against the quota in one statement:
  // one round trip, and no Prisma query to build. The usage row is then locked from this statement to the commit.
  const threadId = a.threadId ?? uuidv7()
  const executionId = uuidv7()
  const createdById = s.principal.kind === 'USER' ? s.principal.userId : null
  const input = {
    messages: a.messages.map((m) => ({ id: m.id ?? randomUUID(), role: m.role, content: m.content, ...(m.toolCallId && { toolCallId: m.toolCallId }) })),
    ...(a.clientTools.length && { clientTools: a.clientTools }),
  }
  const audit = auditEntrySql(tenantId, actorOf(s.principal), s.meta, { action: 'execution.create', outcome: 'SUCCESS', resourceType: 'Execution', resourceId: executionId, metadata: { agentId: a.agent.id, model: a.model } }, redaction(a.agent.tenant.redactPii))
  const count = early ? undefined : executionCount(s, tenantId, a.agent.tenant.plan)
  const [row] = await tx.$queryRaw<(Execution & { counted: boolean; tokens: Taken['tokens'] })[]>`
    WITH ${count ? Prisma.sql`counted AS (${count.sql}),` : Prisma.empty}
    ${a.threadId ? Prisma.empty : Prisma.sql`thread AS (
      INSERT INTO threads (id, tenant_id, title, created_by_id, updated_at)
      VALUES (${threadId}::uuid, ${tenantId}::uuid, ${a.messages.at(-1)!.content.slice(0, 80)}, ${createdById}::uuid, now())),`}
    audit AS (${audit})
    INSERT INTO executions (id, tenant_id, agent_id, thread_id, model, run_id, idempotency_key, request_hash, input, agent_snapshot, created_by_id,
      trace_parent, created_by_api_key_id, budget_counted, updated_at)
    VALUES (${executionId}::uuid, ${tenantId}::uuid, ${a.agent.id}::uuid, ${threadId}::uuid, ${a.model}, ${a.runId}, ${a.idempotencyKey}, ${a.hash},
      ${JSON.stringify(input)}::jsonb, ${JSON.stringify(agentSnapshot(a.agent))}::jsonb, ${createdById}::uuid, ${a.traceParent ?? null},
      ${s.principal.kind === 'API_KEY' ? s.principal.apiKeyId : null}::uuid,
      ${early ? Prisma.sql`${early.budgeted}` : Prisma.sql`coalesce((SELECT budgeted FROM counted), false)`}, now())
    RETURNING ${executionColumns}${count ? Prisma.sql`, EXISTS (SELECT 1 FROM counted) AS counted, (SELECT tokens FROM counted) AS tokens` : Prisma.empty}`
  const { counted: taken, tokens, ...execution } = row!
  // Whether the tenant has budgets comes from the count's statement, which also stored it as the run's budget_counted.
  const counted = early ?? (await countBudgets(s, tx, await count!.settle(tx, taken ? { tokens, budgeted: execution.budgetCounted } : undefined), subjects))
  await reportStatus(s.deps, tx, tenantId, execution.id, 'QUEUED')
  await announceThresholds(s.deps, tx, tenantId, counted.crossings)
  afterCommit(tx, () => void s.deps.pubsub.publish(topics.queue, { executionId: execution.id }))
  return execution
}

/** Every column of `executions` under its Prisma field name: a raw statement's row as `Execution`. */
const executionColumns = Prisma.raw(`id, tenant_id AS "tenantId", agent_id AS "agentId", thread_id AS "threadId", run_id AS "runId",
  idempotency_key AS "idempotencyKey", request_hash AS "requestHash", status::text AS status, model, input, agent_snapshot AS "agentSnapshot", output,
  messages, error, prompt_tokens AS "promptTokens", completion_tokens AS "completionTokens", total_tokens AS "totalTokens", attempt,
  run_after AS "runAfter", ran_ms AS "ranMs", claimed_by AS "claimedBy", claimed_at AS "claimedAt", heartbeat_at AS "heartbeatAt",
  cancel_requested_at AS "cancelRequestedAt", last_seq AS "lastSeq", rolled_back_at AS "rolledBackAt", retry_of_id AS "retryOfId",
  trace_parent AS "traceParent", interrupts, resume_of_id AS "resumeOfId", created_by_id AS "createdById",
  created_by_api_key_id AS "createdByApiKeyId", budget_counted AS "budgetCounted", created_at AS "createdAt", started_at AS "startedAt",
  finished_at AS "finishedAt", updated_at AS "updatedAt"`)
