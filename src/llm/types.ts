// The LLM adapter contract. The execution worker drives a model one turn at a time: one `stream()` call per turn;
// tool results go back as `role: 'tool'` messages in the next call. Nothing here knows about GraphQL or AG-UI.

export interface LlmToolCall {
  id: string
  name: string
  /** JSON text, exactly as the model produced it (the worker validates it against the tool's schema). */
  arguments: string
}

export type LlmMessage =
  | { role: 'system' | 'user'; content: string }
  | { role: 'assistant'; content: string; toolCalls?: LlmToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string }

export interface LlmToolSpec {
  name: string
  description: string
  /** JSON Schema object describing the arguments. */
  parameters: Record<string, unknown>
}

export interface LlmRequest {
  model: string
  messages: LlmMessage[]
  tools: LlmToolSpec[]
  temperature?: number
  maxTokens?: number
  /** Aborting it stops the turn promptly; the stream then throws `signal.reason` (an AbortError by default). */
  signal: AbortSignal
  /** 1-based attempt number of this execution (retries) */
  attempt: number
}

/**
 * One streamed piece of a turn. Order guaranteed by every provider: text and tool-call chunks as they arrive
 * (a call's `tool_call_args` come after its `tool_call_start`, and its `tool_call_end` after them), then at most
 * one `usage`, then exactly one `finish`, always last.
 */
export type LlmChunk =
  | { type: 'text'; delta: string }
  | { type: 'tool_call_start'; id: string; name: string }
  | { type: 'tool_call_args'; id: string; delta: string }
  | { type: 'tool_call_end'; id: string }
  | { type: 'usage'; promptTokens: number; completionTokens: number }
  | { type: 'finish'; reason: 'stop' | 'tool_calls' | 'length' }

export interface LlmProvider {
  readonly name: string
  /** Streams one turn. Failures: LlmError (see errors.ts), or `signal.reason` when aborted. */
  stream(req: LlmRequest): AsyncIterable<LlmChunk>
}
