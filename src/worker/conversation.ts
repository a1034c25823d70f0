// The turns of one run: stream the model's answer as AG-UI events; when it calls tools, run them, report the results
// and give them back to the model; repeat until it answers without tool calls (or the tool-call budget is spent).
import { ev, type AguiMessage } from '../events/agui.ts'
import type { LlmMessage, LlmProvider, LlmToolCall, LlmToolSpec } from '../llm/types.ts'
import type { Metrics } from '../metrics.ts'
import { toolApprovalInterrupt, type ResumeEntry, type StoredInterrupt } from '../services/runs/interrupts.ts'
import { runTool, type RunToolOptions } from '../tools/run.ts'
import type { HttpToolPolicy } from '../tools/address-policy.ts'
import { traceModelCall, traceToolCall } from './instrument.ts'
import type { RunWriter } from './run-writer.ts'
import type { AgentSnapshot, Progress } from './snapshot.ts'

export interface ConversationInput {
  provider: LlmProvider
  model: string
  agent: AgentSnapshot
  messages: LlmMessage[]
  writer: RunWriter
  signal: AbortSignal
  attempt: number
  /** Prefix making message and tool-call ids unique in the thread (the run and attempt). */
  idPrefix: string
  progress: Progress
  http: { policy: HttpToolPolicy; timeoutMs: number; maxResponseBytes: number }
  mcp: RunToolOptions['mcp']
  metrics: Metrics
  /**
   * For tenants with redactPii: text and tool arguments are then sent as whole values once complete (a value split
   * across deltas could not be recognised), and everything given back to the model goes through it.
   */
  redact?: (text: string) => string
  /** Tools the client runs (AG-UI frontend tools): a call of one ends the run with it pending. */
  clientTools: LlmToolSpec[]
  /** Answers to the interrupts of the run this one continues: their held-back calls run (or are refused) first. */
  resume: ResumeEntry[]
  interruptTtlSeconds: number
}

/** How the turns ended: the answer, and what the run waits for (interrupts) or leaves to the client (pending calls). */
export interface Conversation {
  output: string
  interrupts: StoredInterrupt[]
  pendingToolCallIds: string[]
}

/** Runs the turns. Usage accumulates in `progress`. */
export async function converse(c: ConversationInput): Promise<Conversation> {
  const tools = [...c.agent.tools.map((t) => ({ name: t.name, description: t.description, parameters: t.inputSchema as Record<string, unknown> })), ...c.clientTools]
  let toolCallsLeft = c.agent.maxToolCalls
  let output = ''
  for (const r of c.resume) {
    c.progress.update({ step: `tool ${r.toolName}` })
    const content = r.status === 'RESOLVED'
      ? await callTool(c, { id: r.toolCallId, name: r.toolName, arguments: editedArguments(r) })
      : JSON.stringify({ error: 'A person refused this tool call; it did not run.', ...(reasonOf(r.payload) && { reason: reasonOf(r.payload) }) })
    toolCallsLeft--
    c.writer.emit(ev.toolResult(`${r.toolCallId}-result`, r.toolCallId, content))
    c.messages.push({ role: 'tool', toolCallId: r.toolCallId, content })
  }
  for (let turn = 1; turn <= c.agent.maxToolCalls + 2; turn++) {
    const step = `turn ${turn}`
    c.writer.emit(ev.stepStarted(step))
    c.progress.update({ step, percent: Math.min(90, 10 + 30 * (turn - 1)) })
    const messageId = `${c.idPrefix}-m${turn}`
    let text = ''
    const calls: LlmToolCall[] = []
    let reason: string | undefined
    const temperature = c.agent.temperature ?? undefined
    const maxTokens = c.agent.maxTokens ?? undefined
    await traceModelCall({ metrics: c.metrics, provider: c.provider.name, model: c.model, maxTokens, temperature }, async (llm) => {
      const stream = c.provider.stream({
        model: c.model, messages: c.messages, tools: toolCallsLeft > 0 ? tools : [], temperature, maxTokens, signal: c.signal, attempt: c.attempt,
      })
      for await (const chunk of stream) {
        switch (chunk.type) {
          case 'text':
            if (c.redact) {
              text += chunk.delta
              break
            }
            if (!c.writer.openMessages.has(messageId) && !text) c.writer.emit(ev.textStart(messageId))
            c.writer.emit(ev.textContent(messageId, chunk.delta))
            text += chunk.delta
            break
          case 'tool_call_start':
            calls.push({ id: `${c.idPrefix}-${chunk.id}`, name: chunk.name, arguments: '' })
            c.writer.emit(ev.toolStart(`${c.idPrefix}-${chunk.id}`, chunk.name, messageId))
            break
          case 'tool_call_args': {
            const call = calls.find((x) => x.id === `${c.idPrefix}-${chunk.id}`)
            if (call) call.arguments += chunk.delta
            if (!c.redact) c.writer.emit(ev.toolArgs(`${c.idPrefix}-${chunk.id}`, chunk.delta))
            break
          }
          case 'tool_call_end': {
            const call = calls.find((x) => x.id === `${c.idPrefix}-${chunk.id}`)
            if (c.redact && call?.arguments) c.writer.emit(ev.toolArgs(call.id, c.redact(call.arguments)))
            c.writer.emit(ev.toolEnd(`${c.idPrefix}-${chunk.id}`))
            break
          }
          case 'usage':
            c.progress.addTokens(chunk.promptTokens, chunk.completionTokens)
            llm.tokens(chunk.promptTokens, chunk.completionTokens)
            break
          case 'finish':
            reason = chunk.reason
            llm.finish(chunk.reason)
            break
        }
      }
    })
    if (c.redact && text) {
      text = c.redact(text)
      c.writer.emit(ev.textStart(messageId))
      c.writer.emit(ev.textContent(messageId, text))
    }
    if (c.writer.openMessages.has(messageId)) c.writer.emit(ev.textEnd(messageId))
    c.writer.emit(ev.stepFinished(step))
    const sentCalls = c.redact ? calls.map((x) => ({ ...x, arguments: c.redact!(x.arguments) })) : calls
    c.messages.push({ role: 'assistant', content: text, ...(calls.length && { toolCalls: sentCalls }) })
    if (text) output = text
    if (reason !== 'tool_calls' || !calls.length) break
    await c.writer.flush() // the calls are in the log before any tool runs
    const interrupts: StoredInterrupt[] = []
    const pendingToolCallIds: string[] = []
    for (const call of calls) {
      const tool = c.agent.tools.find((t) => t.name === call.name)
      if (!tool && c.clientTools.some((t) => t.name === call.name)) {
        pendingToolCallIds.push(call.id)
        continue
      }
      if (tool?.requiresApproval && toolCallsLeft > 0) {
        interrupts.push(toolApprovalInterrupt(call, tool.inputSchema, c.interruptTtlSeconds))
        toolCallsLeft--
        continue
      }
      c.progress.update({ step: `tool ${call.name}` })
      const raw = toolCallsLeft > 0 ? await callTool(c, call) : JSON.stringify({ error: 'The tool-call limit of this agent is reached.' })
      const content = c.redact ? c.redact(raw) : raw
      toolCallsLeft--
      c.writer.emit(ev.toolResult(`${call.id}-result`, call.id, content))
      c.messages.push({ role: 'tool', toolCallId: call.id, content })
    }
    // The run stops here: the held-back calls wait for a person, the client's calls for the client.
    if (interrupts.length || pendingToolCallIds.length) return { output, interrupts, pendingToolCallIds }
  }
  return { output, interrupts: [], pendingToolCallIds: [] }
}

const reasonOf = (payload: unknown) =>
  payload && typeof payload === 'object' && typeof (payload as { reason?: unknown }).reason === 'string' ? (payload as { reason: string }).reason : undefined

/** The approved call's arguments: the person's edit when the answer carries one. */
function editedArguments(r: ResumeEntry): string {
  const edited = r.payload && typeof r.payload === 'object' ? (r.payload as { editedArgs?: unknown }).editedArgs : undefined
  return edited === undefined ? r.arguments : JSON.stringify(edited)
}

async function callTool(c: ConversationInput, call: LlmToolCall): Promise<string> {
  const tool = c.agent.tools.find((t) => t.name === call.name)
  if (!tool) return JSON.stringify({ error: `No tool named ${call.name} is available to this agent.` })
  let args: unknown
  try {
    args = call.arguments ? JSON.parse(call.arguments) : {}
  } catch {
    return JSON.stringify({ error: 'The tool arguments are not valid JSON.' })
  }
  let content = ''
  await traceToolCall(c.metrics, tool, call.id, async () => {
    const r = await runTool(tool, args, { signal: c.signal, httpPolicy: c.http.policy, timeoutMs: c.http.timeoutMs, maxResponseBytes: c.http.maxResponseBytes, mcp: c.mcp })
    // An MCP result is already the text the model reads; quoting it as a JSON string would only add escapes.
    if (r.ok && tool.kind === 'MCP' && typeof r.result === 'string') content = r.result
    else content = r.ok ? JSON.stringify(r.result) : JSON.stringify({ error: r.error.message, code: r.error.code })
    return r.ok ? { ok: true } : { ok: false, code: r.error.code }
  })
  return content
}

/**
 * AG-UI messages (thread history, run input) as the model sees them. A call left without a result (an interrupt the
 * thread moved on from, a client call never answered) gets one saying so, except the calls in `answeredLater` (a
 * continuation adds their results itself): providers refuse a tool call without its result.
 */
export function toLlmMessages(messages: AguiMessage[], answeredLater: ReadonlySet<string> = new Set()): LlmMessage[] {
  const answered = new Set(messages.flatMap((m) => (m.role === 'tool' ? [m.toolCallId] : [])))
  const out: LlmMessage[] = []
  let open: string[] = []
  const closeOpen = () => {
    for (const id of open) out.push({ role: 'tool', toolCallId: id, content: JSON.stringify({ error: 'This call was never answered.' }) })
    open = []
  }
  for (const m of toLlm(messages)) {
    if (m.role !== 'tool') closeOpen()
    out.push(m)
    if (m.role === 'assistant') open = (m.toolCalls ?? []).map((c) => c.id).filter((id) => !answered.has(id) && !answeredLater.has(id))
  }
  closeOpen()
  return out
}

function toLlm(messages: AguiMessage[]): LlmMessage[] {
  return messages.flatMap((m): LlmMessage[] => {
    const content = typeof m.content === 'string' ? m.content : ''
    if (m.role === 'user' || m.role === 'system') return [{ role: m.role, content }]
    if (m.role === 'assistant') {
      const toolCalls = m.toolCalls?.map((t) => ({ id: t.id, name: t.function.name, arguments: t.function.arguments }))
      return [{ role: 'assistant', content, ...(toolCalls?.length && { toolCalls }) }]
    }
    if (m.role === 'tool') return [{ role: 'tool', toolCallId: m.toolCallId, content }]
    return []
  })
}
