// AG-UI (@ag-ui/core 1.0) events as this server emits them: validated with the package's own schemas before they
// are persisted, and stored in wire form (no null optional fields, nothing beyond the protocol's fields; cursors and
// sequence numbers live in the GraphQL wrapper, never in the event).
import { EventType, omitOptionalNulls, type Message, type RunFinishedOutcome } from '@ag-ui/core'
import { EventSchemas } from '@ag-ui/core/schemas'

export { EventType }
export type AguiEvent = { type: EventType; timestamp: number } & Record<string, unknown>
export type AguiMessage = Message

export class InvalidEventError extends Error {}

/** Validates an event and returns its wire form; throws InvalidEventError (a bug of ours, never a client's). */
export function toWire(event: { type: EventType } & Record<string, unknown>, now = Date.now()): AguiEvent {
  const stamped = { timestamp: now, ...event }
  const parsed = EventSchemas.safeParse(stamped)
  if (!parsed.success) throw new InvalidEventError(`invalid ${event.type} event: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`)
  return omitOptionalNulls(parsed.data, 'Event') as AguiEvent
}

/** Events after which a run's stream ends. */
export const isTerminal = (type: string) => type === EventType.RUN_FINISHED || type === EventType.RUN_ERROR

export interface Usage {
  promptTokens: number
  completionTokens: number
}

const tokenUsage = (u: Usage, model: string) => [{ model, inputTokens: u.promptTokens, outputTokens: u.completionTokens, totalTokens: u.promptTokens + u.completionTokens }]

/** Builders for the events a run emits (payloads only; `toWire` stamps and validates them). */
export const ev = {
  runStarted: (threadId: string, runId: string) => ({ type: EventType.RUN_STARTED, threadId, runId }),
  runFinished: (threadId: string, runId: string, usage: Usage, model: string, outcome: 'success' | 'cancelled' | RunFinishedOutcome, result?: unknown) =>
    ({ type: EventType.RUN_FINISHED, threadId, runId, outcome: typeof outcome === 'string' ? { type: outcome } : outcome, usage: tokenUsage(usage, model), ...(result !== undefined && { result }) }),
  runError: (message: string, code: string, usage: Usage, model: string) => ({ type: EventType.RUN_ERROR, message, code, usage: tokenUsage(usage, model) }),
  stepStarted: (stepName: string) => ({ type: EventType.STEP_STARTED, stepName }),
  stepFinished: (stepName: string) => ({ type: EventType.STEP_FINISHED, stepName }),
  textStart: (messageId: string) => ({ type: EventType.TEXT_MESSAGE_START, messageId, role: 'assistant' }),
  textContent: (messageId: string, delta: string) => ({ type: EventType.TEXT_MESSAGE_CONTENT, messageId, delta }),
  textEnd: (messageId: string) => ({ type: EventType.TEXT_MESSAGE_END, messageId }),
  toolStart: (toolCallId: string, toolCallName: string, parentMessageId: string) => ({ type: EventType.TOOL_CALL_START, toolCallId, toolCallName, parentMessageId }),
  toolArgs: (toolCallId: string, delta: string) => ({ type: EventType.TOOL_CALL_ARGS, toolCallId, delta }),
  toolEnd: (toolCallId: string) => ({ type: EventType.TOOL_CALL_END, toolCallId }),
  toolResult: (messageId: string, toolCallId: string, content: string) => ({ type: EventType.TOOL_CALL_RESULT, messageId, toolCallId, content, role: 'tool' }),
  stateSnapshot: (snapshot: Record<string, unknown>) => ({ type: EventType.STATE_SNAPSHOT, snapshot }),
  stateDelta: (delta: { op: 'replace' | 'add'; path: string; value: unknown }[]) => ({ type: EventType.STATE_DELTA, delta }),
  messagesSnapshot: (messages: AguiMessage[]) => ({ type: EventType.MESSAGES_SNAPSHOT, messages }),
  custom: (name: string, value: unknown) => ({ type: EventType.CUSTOM, name, value }),
}
