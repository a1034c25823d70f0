// The OpenAI chat-completions wire format: our request → JSON body, and streamed `chat.completion.chunk` payloads →
// LlmChunks. Kept apart from the HTTP code so both directions are plain functions.
import { randomUUID } from 'node:crypto'
import { permanentLlmError, transientLlmError, LlmError } from './errors.ts'
import type { LlmChunk, LlmMessage, LlmRequest } from './types.ts'

/** The JSON body of a streaming chat-completions request for `req`, sent as model `model`. */
export function toWireBody(req: LlmRequest, model: string): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    stream: true,
    stream_options: { include_usage: true },
    messages: req.messages.map(toWireMessage),
  }
  // Some compatible servers reject an empty `tools` array: omit it instead.
  if (req.tools.length > 0) {
    body.tools = req.tools.map((t) => ({
      type: 'function',
      function: { name: t.name, description: t.description, parameters: t.parameters },
    }))
  }
  if (req.temperature !== undefined) body.temperature = req.temperature
  if (req.maxTokens !== undefined) body.max_tokens = req.maxTokens
  return body
}

function toWireMessage(m: LlmMessage): Record<string, unknown> {
  if (m.role === 'tool') return { role: 'tool', tool_call_id: m.toolCallId, content: m.content }
  if (m.role === 'assistant' && m.toolCalls?.length) {
    return {
      role: 'assistant',
      content: m.content === '' ? null : m.content,
      tool_calls: m.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } })),
    }
  }
  return { role: m.role, content: m.content }
}

export interface ChunkMapper {
  /** Maps one parsed `data:` payload; throws LlmError on an error payload or a malformed one. */
  push(payload: unknown): LlmChunk[]
  /** Closes the turn (`sawDone`: the stream said `[DONE]`): pending tool_call_end, usage, then finish. */
  end(sawDone: boolean): LlmChunk[]
}

interface CallState {
  id?: string
  name?: string
  started: boolean
  ended: boolean
  /** Argument fragments that arrived before the call's name (then start could not be emitted yet). */
  pending: string
}

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v)
const malformed = (what: string) => permanentLlmError(`Malformed stream from the LLM provider: ${what}`)

/** Creates the state machine that turns deltas (tool calls keyed by index, several per turn) into chunks. */
export function createChunkMapper(): ChunkMapper {
  const calls = new Map<number, CallState>()
  let finishReason: string | undefined
  let usage: { promptTokens: number; completionTokens: number } | undefined

  const closeCalls = (out: LlmChunk[]) => {
    for (const index of [...calls.keys()].sort((a, b) => a - b)) {
      const call = calls.get(index)!
      if (!call.started) throw malformed(`tool call #${index} has no function name`)
      if (!call.ended) out.push({ type: 'tool_call_end', id: call.id! })
      call.ended = true
    }
  }

  const toolDelta = (tc: unknown, position: number, out: LlmChunk[]) => {
    if (!isObj(tc)) throw malformed('tool_calls entry is not an object')
    const index = typeof tc.index === 'number' ? tc.index : position
    const fn = isObj(tc.function) ? tc.function : {}
    const call = calls.get(index) ?? { started: false, ended: false, pending: '' }
    calls.set(index, call)
    if (call.ended) return // a late fragment after finish_reason: nothing sane to do with it
    if (typeof tc.id === 'string' && tc.id !== '' && call.id === undefined) call.id = tc.id
    if (typeof fn.name === 'string' && fn.name !== '' && call.name === undefined) call.name = fn.name
    const args = typeof fn.arguments === 'string' ? fn.arguments : ''
    if (!call.started && call.name !== undefined) {
      call.id ??= `call_${randomUUID()}` // a few servers omit ids; the worker still needs a unique one
      call.started = true
      out.push({ type: 'tool_call_start', id: call.id, name: call.name })
      if (call.pending) out.push({ type: 'tool_call_args', id: call.id, delta: call.pending })
      call.pending = ''
    }
    if (args === '') return
    if (call.started) out.push({ type: 'tool_call_args', id: call.id!, delta: args })
    else call.pending += args
  }

  return {
    push(payload) {
      if (!isObj(payload)) throw malformed('payload is not a JSON object')
      if (payload.error !== undefined) throw errorPayload(payload.error)
      const out: LlmChunk[] = []
      if (isObj(payload.usage)) {
        const { prompt_tokens: p, completion_tokens: c } = payload.usage
        if (typeof p === 'number' && typeof c === 'number') usage = { promptTokens: p, completionTokens: c }
      }
      if (payload.choices === undefined || payload.choices === null) return out
      if (!Array.isArray(payload.choices)) throw malformed('choices is not an array')
      for (const choice of payload.choices) {
        if (!isObj(choice)) throw malformed('choice is not an object')
        if (typeof choice.index === 'number' && choice.index !== 0) continue // we never ask for n > 1
        const delta = isObj(choice.delta) ? choice.delta : {}
        if (typeof delta.content === 'string' && delta.content !== '') out.push({ type: 'text', delta: delta.content })
        else if (delta.content !== undefined && delta.content !== null && typeof delta.content !== 'string') {
          throw malformed('delta.content is not a string')
        }
        if (Array.isArray(delta.tool_calls)) delta.tool_calls.forEach((tc, i) => toolDelta(tc, i, out))
        if (typeof choice.finish_reason === 'string' && finishReason === undefined) {
          finishReason = choice.finish_reason
          closeCalls(out)
        }
      }
      return out
    },
    end(sawDone) {
      // A body cut off before any finish_reason and without [DONE] is a dropped connection: worth retrying.
      if (finishReason === undefined && !sawDone) throw transientLlmError('The LLM stream ended before the turn finished')
      const out: LlmChunk[] = []
      closeCalls(out)
      if (usage) out.push({ type: 'usage', ...usage })
      out.push({ type: 'finish', reason: finishFrom(finishReason, calls.size > 0) })
      return out
    },
  }
}

// Some compatible servers say "stop" after tool calls; the calls are what the worker must act on.
function finishFrom(reason: string | undefined, hadCalls: boolean): 'stop' | 'tool_calls' | 'length' {
  if (reason === 'length') return 'length'
  return hadCalls ? 'tool_calls' : 'stop'
}

// An `{"error": …}` payload mid-stream (vLLM, LiteLLM and others do this): retry only what looks like load.
function errorPayload(error: unknown): LlmError {
  const e = isObj(error) ? (isObj(error.error) ? error.error : error) : { message: String(error) }
  const text = [e.type, e.code, e.message].filter((v) => typeof v === 'string' || typeof v === 'number').join(' ')
  const detail = text.slice(0, 300)
  const retryable = /rate|overload|server_error|timeout|unavailable|capacity|\b5\d\d\b/i.test(text)
  return new LlmError(`The LLM provider reported an error mid-stream: ${detail}`, { retryable })
}
