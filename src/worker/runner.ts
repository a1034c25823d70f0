// Drives one claimed execution from its current state to an end: a terminal status, or back to the queue (retry,
// shutdown). Everything it writes is fenced by its claim; if the claim is lost it stops without writing more.
import type { Span } from '@opentelemetry/api'
import { transientKind } from '../db/transient.ts'
import type { AppDeps } from '../services/session.ts'
import { ev, EventType, toWire, type AguiEvent, type AguiMessage } from '../events/agui.ts'
import { applyEvents } from '../events/messages.ts'
import { topics } from '../events/topics.ts'
import type { Execution } from '../generated/prisma/client.ts'
import { LlmError } from '../llm/errors.ts'
import { stripDirectives } from '../llm/mock.ts'
import { markMcpServerStale, markMcpToolGone } from '../services/mcp-refresh.ts'
import { mcpEndpointFor } from '../services/mcp-sync.ts'
import { heartbeat, type Claimed } from '../services/runs/claims.ts'
import { heldRun, previousMessages, runEvents } from '../services/runs/history.ts'
import { encodeRunIds } from '../services/runs/run-ids.ts'
import { endRun, type RunEnd } from '../services/runs/terminal.ts'
import { ClaimLostError } from '../services/runs/writer.ts'
import { converse, toLlmMessages } from './conversation.ts'
import { describeRun, traceRun } from './instrument.ts'
import { RunWriter } from './run-writer.ts'
import { Progress, type AgentSnapshot } from './snapshot.ts'
import { openToolSecrets } from '../services/tool-secrets.ts'
import { redactPiiText } from '../pii.ts'
import { aguiInterrupt, type ResumeEntry } from '../services/runs/interrupts.ts'
import type { LlmToolSpec } from '../llm/types.ts'

type StopReason = 'cancelled' | 'timeout' | 'claim-lost' | 'shutdown'

/** Runs `claimed` until it ends or leaves this worker, inside its trace span. Never throws. */
export function runExecution(deps: AppDeps, claimed: Claimed, shutdown: AbortSignal): Promise<void> {
  return traceRun({ executionId: claimed.id, attempt: claimed.attempt, traceParent: claimed.traceParent }, (span) => drive(deps, claimed, shutdown, span))
}

async function drive(deps: AppDeps, claimed: Claimed, shutdown: AbortSignal, span: Span): Promise<void> {
  const log = deps.logger.child({ executionId: claimed.id, tenantId: claimed.tenantId, attempt: claimed.attempt })
  const writer = new RunWriter(deps, { tenantId: claimed.tenantId, executionId: claimed.id, claim: claimed.claim }, claimed.lastSeq)
  const abort = new AbortController()
  const stop = (reason: StopReason) => abort.signal.aborted || abort.abort(reason)
  const cleanups: (() => void)[] = []
  let execution: Execution | undefined
  let progress: Progress | undefined
  try {
    execution = await heldRun(deps, claimed)
    const agent = openToolSecrets(execution.agentSnapshot as unknown as AgentSnapshot, deps.secrets)
    describeRun(span, agent, execution.model)
    cleanups.push(deps.pubsub.subscribe(topics.control(claimed.id), () => stop('cancelled')))
    const beating = setInterval(() => void heartbeat(deps, claimed).then((r) => r === 'lost' ? stop('claim-lost') : r === 'cancel' && stop('cancelled'), () => {}), deps.config.worker.heartbeatMs)
    // The timeout counts running time only: what earlier attempts ran, not the time the run waited in the queue.
    const timeout = setTimeout(() => stop('timeout'), Math.max(0, agent.timeoutSeconds * 1000 - execution.ranMs))
    const onShutdown = () => stop('shutdown')
    shutdown.addEventListener('abort', onShutdown)
    cleanups.push(() => clearInterval(beating), () => clearTimeout(timeout), () => shutdown.removeEventListener('abort', onShutdown))
    if (execution.cancelRequestedAt) stop('cancelled')
    if (shutdown.aborted) stop('shutdown')

    const ids = encodeRunIds(execution)
    progress = new Progress(writer, { status: 'RUNNING', step: 'starting', percent: 0, attempt: claimed.attempt, tokens: { prompt: execution.promptTokens, completion: execution.completionTokens, total: execution.totalTokens } })
    const provider = deps.llm.providerFor(execution.model)
    const input = [...(await previousMessages(deps, execution)), ...((execution.input as { messages: AguiMessage[] }).messages)]
    if (claimed.lastSeq === 0) {
      writer.emit(ev.runStarted(ids.threadId, ids.runId))
    } else {
      // A later attempt (retry, or a crashed worker's run): close what the previous attempt left open, then restart
      // the conversation from the same messages (the snapshot resets what clients hold).
      writer.replay(await runEvents(deps, claimed))
      for (const e of writer.closingEvents()) writer.emit(e)
      writer.emit(ev.custom('attempt', { attempt: claimed.attempt }))
    }
    progress.snapshot()
    // The mock's test directives steer this run only: the snapshot (hence the thread's history) goes without them.
    writer.emit(ev.messagesSnapshot(provider.name === 'mock' ? input.map(withoutDirectives) : input))
    if (claimed.attempt > deps.config.worker.maxAttempts) throw new LlmError('The run was interrupted too many times.', { retryable: false })
    if (abort.signal.aborted) throw abort.signal.reason

    const runInput = execution.input as { clientTools?: LlmToolSpec[]; resume?: ResumeEntry[] }
    const { output, interrupts, pendingToolCallIds } = await converse({
      provider, model: execution.model, agent, writer, signal: abort.signal,
      attempt: claimed.attempt, idPrefix: `${claimed.id.slice(-12)}-a${claimed.attempt}`, progress,
      messages: [...(agent.systemPrompt ? [{ role: 'system' as const, content: agent.systemPrompt }] : []), ...toLlmMessages(input, new Set((runInput.resume ?? []).map((r) => r.toolCallId)))],
      metrics: deps.metrics,
      http: { policy: { allowPrivateNetworks: deps.config.httpTools.allowPrivateNetworks, allowInsecureHttp: deps.config.httpTools.allowInsecureHttp }, timeoutMs: deps.config.httpTools.timeoutMs, maxResponseBytes: deps.config.httpTools.maxResponseBytes },
      mcp: {
        policy: deps.config.mcp,
        endpoint: (tool) => mcpEndpointFor(deps, claimed.tenantId, tool.id ?? ''),
        // Best effort: the run goes on whatever happens to the bookkeeping.
        onListChanged: (serverId) => void markMcpServerStale(deps, claimed.tenantId, serverId).catch(() => {}),
        onToolGone: (tool, serverId) => void markMcpToolGone(deps, claimed.tenantId, tool.id ?? '', serverId).catch(() => {}),
      },
      clientTools: runInput.clientTools ?? [], resume: runInput.resume ?? [], interruptTtlSeconds: deps.config.runs.interruptTtlSeconds,
      ...(claimed.redactPii && { redact: redactPiiText }),
    })
    if (interrupts.length) {
      progress.update({ status: 'INTERRUPTED', step: 'waiting for approval', percent: 100 })
      const outcome = { type: 'interrupt' as const, interrupts: interrupts.map(aguiInterrupt) }
      await finish(deps, writer, execution, progress, [ev.runFinished(ids.threadId, ids.runId, usageOf(progress), execution.model, outcome)], { status: 'INTERRUPTED', output, error: null, interrupts })
      return
    }
    progress.update({ status: 'SUCCEEDED', step: 'done', percent: 100 })
    const success = { type: 'success' as const, ...(pendingToolCallIds.length && { pendingToolCallIds }) }
    await finish(deps, writer, execution, progress, [ev.runFinished(ids.threadId, ids.runId, usageOf(progress), execution.model, success, { output })], { status: 'SUCCEEDED', output, error: null })
  } catch (err) {
    const reason = (abort.signal.aborted ? abort.signal.reason : undefined) as StopReason | undefined
    if (err instanceof ClaimLostError || reason === 'claim-lost') return
    if (!execution || !progress) {
      // The database went away between the claim and the start: hand the run back as soon as it returns.
      if (transientKind(err) !== undefined) await handBackWhenDatabaseReturns(deps, claimed, log)
      else log.error({ err }, 'execution could not start')
      return
    }
    await end(deps, writer, execution, progress, claimed, reason, err).catch(async (e: unknown) => {
      if (e instanceof ClaimLostError) return
      // The database is still away: marking the run FAILED once it is back would end a run that did nothing wrong.
      if (transientKind(e) !== undefined) return handBackWhenDatabaseReturns(deps, claimed, log)
      log.error({ err: e }, 'could not record the end of an execution')
      // Last resort, so that no stream waits forever: a bare terminal event with the FAILED status.
      await endRun(deps, { tenantId: claimed.tenantId, executionId: claimed.id, claim: claimed.claim },
        [toWire({ type: EventType.RUN_ERROR, message: 'The run failed unexpectedly.', code: 'FAILED' })],
        { status: 'FAILED', error: { code: 'FAILED', message: 'The run failed unexpectedly.' } }).catch(() => {})
    })
  } finally {
    for (const c of cleanups) c()
  }
}

/**
 * Hands a run back to the queue once the database answers again (a restart takes seconds). If it stays away, the run
 * stays claimed: its claim expires and a worker takes it up again, as after a crash.
 */
async function handBackWhenDatabaseReturns(deps: AppDeps, claimed: Claimed, log: AppDeps['logger']) {
  const interrupted = toWire(ev.custom('interrupted', { attempt: claimed.attempt, reason: 'database unavailable' }))
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    await new Promise((resolve) => setTimeout(resolve, 500))
    try {
      // Nothing may come before RUN_STARTED: a log still empty is handed back without a word. Only this claim writes
      // the log, so what it reads here is still true when it ends the attempt.
      const { lastSeq } = await heldRun(deps, claimed)
      return await endRun(deps, { tenantId: claimed.tenantId, executionId: claimed.id, claim: claimed.claim }, lastSeq ? [interrupted] : [], { status: 'QUEUED' })
    } catch (e) {
      if (e instanceof ClaimLostError) return
      if (transientKind(e) === undefined) break
    }
  }
  log.warn('could not hand the run back; it is taken up again when its claim expires')
}

const withoutDirectives = (m: AguiMessage): AguiMessage =>
  m.role === 'user' && typeof m.content === 'string' ? { ...m, content: stripDirectives(m.content) } : m

const usageOf = (p: Progress) => ({ promptTokens: p.state.tokens.prompt, completionTokens: p.state.tokens.completion })

/** Ends the run after a failure or a stop: cancelled, timed out, retried later, requeued, or failed. */
async function end(deps: AppDeps, writer: RunWriter, e: Execution, progress: Progress, claimed: Claimed, reason: StopReason | undefined, err: unknown) {
  for (const c of writer.closingEvents()) writer.emit(c)
  const ids = encodeRunIds(e)
  const usage = usageOf(progress)
  // The database going away mid-run (a restart, a failover) is not the run's fault: hand it back like a shutdown does,
  // for the next attempt, rather than failing it. `worker.maxAttempts` still bounds how often that can happen. A run
  // stopped before its RUN_STARTED goes back with an empty log, which the next attempt opens.
  if (reason === 'shutdown' || (reason === undefined && transientKind(err) !== undefined)) {
    if (writer.started) writer.emit(ev.custom('interrupted', { attempt: claimed.attempt, reason: reason === 'shutdown' ? 'worker shutdown' : 'database unavailable' }))
    return writer.flush({ status: 'QUEUED', tokens: usage, usage: consumed(e, progress) })
  }
  // Every other end is final or a retry, and a log always opens with RUN_STARTED.
  if (!writer.started) writer.emit(ev.runStarted(ids.threadId, ids.runId))
  if (reason === 'cancelled') {
    progress.update({ status: 'CANCELLED', step: 'cancelled' })
    return finish(deps, writer, e, progress, [ev.runFinished(ids.threadId, ids.runId, usage, e.model, 'cancelled')], { status: 'CANCELLED' })
  }
  if (reason === 'timeout') {
    const message = `The run exceeded its agent's timeout.`
    progress.update({ status: 'TIMED_OUT', step: 'timed out' })
    return finish(deps, writer, e, progress, [ev.runError(message, 'TIMED_OUT', usage, e.model)], { status: 'TIMED_OUT', error: { code: 'TIMED_OUT', message } })
  }
  const retryable = err instanceof LlmError && err.retryable && claimed.attempt < deps.config.worker.maxAttempts
  const message = err instanceof LlmError ? err.message : 'The run failed unexpectedly.'
  if (!(err instanceof LlmError)) deps.logger.error({ err, executionId: e.id }, 'execution failed')
  if (retryable) {
    const { retryBaseMs, retryMaxMs } = deps.config.worker
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (claimed.attempt - 1) + Math.floor(Math.random() * retryBaseMs))
    writer.emit(ev.custom('retry', { attempt: claimed.attempt, error: message, retryAt: new Date(Date.now() + delay).toISOString() }))
    progress.update({ status: 'QUEUED', step: 'waiting to retry' })
    return writer.flush({ status: 'QUEUED', runAfter: new Date(Date.now() + delay), error: { code: 'LLM_ERROR', message, attempt: claimed.attempt }, tokens: usage, usage: consumed(e, progress) })
  }
  progress.update({ status: 'FAILED', step: 'failed' })
  return finish(deps, writer, e, progress, [ev.runError(message, 'FAILED', usage, e.model)], { status: 'FAILED', error: { code: 'FAILED', message, attempt: claimed.attempt } })
}

/** Tokens this attempt used (the execution row holds what earlier attempts did), for the tenant's quota. */
const consumed = (e: Execution, p: Progress) => ({ tokens: p.state.tokens.total - e.totalTokens })

/** Writes the terminal events and status together, with the run's usage and the thread's messages as they now are. */
async function finish(deps: AppDeps, writer: RunWriter, e: Execution, progress: Progress, events: ({ type: AguiEvent['type'] } & Record<string, unknown>)[], end: RunEnd) {
  await writer.flush()
  const messages = applyEvents([], await runEvents(deps, e))
  for (const x of events) writer.emit(x)
  await writer.flush({ ...end, messages, tokens: usageOf(progress), usage: consumed(e, progress) })
}
