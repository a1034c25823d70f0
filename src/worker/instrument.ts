// Spans and metrics for what a run spends its time on: the run itself, each model call and each tool call. Spans
// follow the OpenTelemetry GenAI semantic conventions (invoke_agent, chat, execute_tool; gen_ai.* attributes), so
// a trace backend shows a slow run as its turns and tool calls. Prompts, messages and tool arguments are never
// attached (they are tenant data).
import { ROOT_CONTEXT, SpanKind, type Span } from '@opentelemetry/api'
import type { Metrics } from '../metrics.ts'
import { contextFromTraceParent, inSpan } from '../telemetry.ts'
import type { AgentSnapshot } from './snapshot.ts'

type Tool = AgentSnapshot['tools'][number]
export type CallOutcome = 'ok' | 'error'

/** Runs a claimed run inside its `invoke_agent` span, the child of the request that queued it. */
export function traceRun<T>(run: { executionId: string; attempt: number; traceParent?: string }, fn: (span: Span) => Promise<T>): Promise<T> {
  return inSpan('invoke_agent', {
    kind: SpanKind.INTERNAL,
    parent: contextFromTraceParent(run.traceParent),
    attributes: { 'gen_ai.operation.name': 'invoke_agent', 'agent_platform.execution.id': run.executionId, 'agent_platform.execution.attempt': run.attempt },
  }, fn)
}

/** Names the agent and model on the run's span once the run is loaded. */
export function describeRun(span: Span, agent: AgentSnapshot, model: string) {
  span.updateName(`invoke_agent ${agent.name}`)
  span.setAttributes({ 'gen_ai.agent.id': agent.id, 'gen_ai.agent.name': agent.name, 'gen_ai.request.model': model })
}

export interface ModelCallRecorder {
  tokens(input: number, output: number): void
  finish(reason: string): void
}

/** One model turn as a `chat {model}` span, with model_calls_total, model_call_duration_seconds and tokens. */
export async function traceModelCall<T>(m: { metrics: Metrics; provider: string; model: string; maxTokens?: number; temperature?: number },
  fn: (r: ModelCallRecorder) => Promise<T>): Promise<T> {
  const started = performance.now()
  let input = 0
  let output = 0
  let outcome: CallOutcome = 'error'
  try {
    return await inSpan(`chat ${m.model}`, {
      kind: SpanKind.CLIENT,
      attributes: {
        'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': m.provider, 'gen_ai.system': m.provider, 'gen_ai.request.model': m.model,
        ...(m.maxTokens !== undefined && { 'gen_ai.request.max_tokens': m.maxTokens }),
        ...(m.temperature !== undefined && { 'gen_ai.request.temperature': m.temperature }),
      },
    }, async (span) => {
      const result = await fn({
        tokens(i, o) {
          input += i
          output += o
          span.setAttributes({ 'gen_ai.usage.input_tokens': input, 'gen_ai.usage.output_tokens': output })
        },
        finish: (reason) => span.setAttribute('gen_ai.response.finish_reasons', [reason]),
      })
      outcome = 'ok'
      return result
    })
  } finally {
    // Models come from the allowlist: a bounded label.
    const labels = { model: m.model, outcome }
    m.metrics.modelCalls.inc(labels)
    m.metrics.modelCallDuration.observe(labels, (performance.now() - started) / 1000)
    if (input) m.metrics.tokens.inc({ model: labels.model, type: 'input' }, input)
    if (output) m.metrics.tokens.inc({ model: labels.model, type: 'output' }, output)
  }
}

/** One tool call as an `execute_tool {name}` span, with tool_calls_total and tool_call_duration_seconds. */
export async function traceToolCall(metrics: Metrics, tool: Tool, callId: string, fn: () => Promise<{ ok: boolean; code?: string }>): Promise<void> {
  const started = performance.now()
  let outcome: CallOutcome = 'error'
  try {
    await inSpan(`execute_tool ${tool.name}`, {
      kind: SpanKind.INTERNAL,
      attributes: {
        'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool.name, 'gen_ai.tool.call.id': callId,
        // HTTP and MCP tools run outside this process (an "extension" in the conventions); built-ins run in it.
        'gen_ai.tool.type': tool.kind === 'BUILTIN' ? 'function' : 'extension',
      },
    }, async (span) => {
      const r = await fn()
      if (r.ok) outcome = 'ok'
      else span.setAttribute('error.type', r.code ?? 'tool_error')
    })
  } finally {
    const labels = { kind: toolKindLabel(tool.kind), outcome }
    metrics.toolCalls.inc(labels)
    metrics.toolCallDuration.observe(labels, (performance.now() - started) / 1000)
  }
}

function toolKindLabel(kind: Tool['kind']): 'http' | 'mcp' | 'builtin' {
  return kind === 'HTTP' ? 'http' : kind === 'MCP' ? 'mcp' : 'builtin'
}

export interface WebhookAttempt {
  deliveryId: string
  webhookId: string
  type: string
  attempts: number
}

/**
 * One webhook delivery attempt (send and record) as a `deliver_webhook {type}` CLIENT span. A root span: the outbox
 * row carries no trace, and one event fans out to many endpoints long after its request ended. No URL or body.
 */
export function traceWebhookDelivery(d: WebhookAttempt, fn: () => Promise<{ outcome: string; statusCode?: number }>): Promise<void> {
  return inSpan(`deliver_webhook ${d.type}`, {
    kind: SpanKind.CLIENT,
    parent: ROOT_CONTEXT,
    attributes: {
      'http.request.method': 'POST', 'agent_platform.webhook.id': d.webhookId, 'agent_platform.webhook.delivery.id': d.deliveryId,
      'agent_platform.webhook.event.type': d.type, 'agent_platform.webhook.attempt': d.attempts,
    },
  }, async (span) => {
    const { outcome, statusCode } = await fn()
    span.setAttribute('agent_platform.webhook.outcome', outcome)
    if (statusCode) span.setAttribute('http.response.status_code', statusCode)
    if (outcome !== 'succeeded' && outcome !== 'superseded') span.setAttribute('error.type', statusCode ? String(statusCode) : outcome)
  })
}
