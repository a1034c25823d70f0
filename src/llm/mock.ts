// The deterministic mock model `mock-1`: the same messages, tools and model always stream the same chunks, so runs,
// events and tests are reproducible without any network. Behaviour (documented in docs/llm.md):
//   - names an offered tool (whole word) with no result yet → calls it (arguments derived from the prompt + schema);
//   - otherwise → a text reply that grows with the last user message, mentions tool results, 3 words per chunk;
//   - every turn ends with `usage` (toy tokenizer: words + punctuation) and `finish`.
// Test directives in the last user message (stripped before the mock reads it):
//   [[mock:delay=<ms>]]            sleep before each chunk (abortable; at most 60 s)
//   [[mock:fail=transient]]        retryable LlmError before any chunk, on every attempt
//   [[mock:fail=transient-once]]   retryable LlmError only when `attempt === 1`
//   [[mock:fail=permanent]]        non-retryable LlmError before any chunk
//   [[mock:call=<toolName>]]       call that offered tool (also a client tool) unless it already has a result
import { abortableSleep, permanentLlmError, transientLlmError } from './errors.ts'
import { answeredToolNames, plannedToolCalls } from './mock-tools.ts'
import { canonicalJson, countTokens, replyText, sha256, truncateToTokens, type ToolResultMention } from './mock-text.ts'
import type { LlmChunk, LlmMessage, LlmProvider, LlmRequest } from './types.ts'

export const MOCK_MODEL = 'mock-1'
const WORDS_PER_CHUNK = 3
const ARGS_PER_CHUNK = 12
const MAX_DELAY_MS = 60_000

export interface MockDirectives {
  delayMs?: number
  fail?: 'transient' | 'transient-once' | 'permanent'
  /** A tool to call as if the prompt named it. */
  call?: string
}

const DIRECTIVE = /\[\[mock:([\w-]+)=([\w.-]+)\]\]/g

/** The message without its directives (what is stored in a thread's history). */
export const stripDirectives = (content: string): string =>
  content.includes('[[mock:') ? content.replace(DIRECTIVE, ' ').replace(/\s+/g, ' ').trim() : content

/** Splits `[[mock:key=value]]` directives out of a message; unknown ones are stripped and ignored. */
export function parseDirectives(content: string): { text: string; directives: MockDirectives } {
  const directives: MockDirectives = {}
  const text = content.replace(DIRECTIVE, (_all, key: string, value: string) => {
    if (key === 'call') directives.call = value
    if (key === 'delay' && /^\d+$/.test(value)) directives.delayMs = Math.min(Number(value), MAX_DELAY_MS)
    if (key === 'fail' && (value === 'transient' || value === 'transient-once' || value === 'permanent')) {
      directives.fail = value
    }
    return ' '
  })
  return { text: text.replace(/\s+/g, ' ').trim(), directives }
}

/** Creates the mock provider (stateless: every call depends only on its request). */
export function createMockProvider(): LlmProvider {
  return { name: 'mock', stream: (req) => streamMockTurn(req) }
}

async function* streamMockTurn(req: LlmRequest): AsyncGenerator<LlmChunk> {
  req.signal.throwIfAborted()
  const lastUser = req.messages.findLastIndex((m) => m.role === 'user')
  const { text: prompt, directives } = parseDirectives(lastUser >= 0 ? req.messages[lastUser]!.content : '')
  if (directives.fail === 'permanent') throw permanentLlmError('mock-1: permanent failure requested by directive')
  if (directives.fail === 'transient' || (directives.fail === 'transient-once' && req.attempt === 1)) {
    throw transientLlmError(`mock-1: transient failure requested by directive (attempt ${req.attempt})`)
  }
  // The mock reads the conversation without the directives: a delayed or retried turn says exactly the same.
  const messages = req.messages.map((m, i) => (i === lastUser ? { ...m, content: prompt } : m))
  for (const chunk of planMockTurn({ ...req, messages }, lastUser, directives.call)) {
    if (directives.delayMs) await abortableSleep(directives.delayMs, req.signal)
    // Checked before every chunk so an abort between two reads stops the stream even without a delay.
    req.signal.throwIfAborted()
    yield chunk
  }
}

/** The whole turn as a list, computed up front: a pure function of the (directive-free) request. */
export function planMockTurn(req: Pick<LlmRequest, 'model' | 'messages' | 'tools' | 'maxTokens'>, lastUser: number, call?: string): LlmChunk[] {
  const prompt = lastUser >= 0 ? req.messages[lastUser]!.content : ''
  const seed = sha256(canonicalJson({ model: req.model, messages: withoutIds(req.messages), tools: req.tools }))
  const promptTokens = req.messages.reduce((sum, m) => sum + messageTokens(m), 0)
  const calls = plannedToolCalls(prompt, req.tools, answeredToolNames(req.messages, lastUser), seed, call)
  if (calls.length > 0) {
    const chunks: LlmChunk[] = []
    for (const call of calls) {
      chunks.push({ type: 'tool_call_start', id: call.id, name: call.name })
      for (const delta of pieces(call.arguments)) chunks.push({ type: 'tool_call_args', id: call.id, delta })
      chunks.push({ type: 'tool_call_end', id: call.id })
    }
    const completionTokens = calls.reduce((sum, c) => sum + countTokens(c.name) + countTokens(c.arguments), 0)
    chunks.push({ type: 'usage', promptTokens, completionTokens }, { type: 'finish', reason: 'tool_calls' })
    return chunks
  }
  const full = replyText(prompt, seed, toolResultsAfter(req.messages, lastUser))
  const { text, cut } = req.maxTokens === undefined ? { text: full, cut: false } : truncateToTokens(full, req.maxTokens)
  const words = text.split(' ').filter(Boolean)
  const chunks: LlmChunk[] = []
  for (let i = 0; i < words.length; i += WORDS_PER_CHUNK) {
    const last = i + WORDS_PER_CHUNK >= words.length
    chunks.push({ type: 'text', delta: words.slice(i, i + WORDS_PER_CHUNK).join(' ') + (last ? '' : ' ') })
  }
  chunks.push({ type: 'usage', promptTokens, completionTokens: countTokens(text) })
  chunks.push({ type: 'finish', reason: cut ? 'length' : 'stop' })
  return chunks
}

/**
 * The conversation as the seed sees it: tool-call ids are generated by whoever runs the model (the worker prefixes
 * them with the execution and attempt), so they are replaced by their position; otherwise a retried attempt, or the
 * same conversation in another run, would answer differently.
 */
function withoutIds(messages: LlmMessage[]): unknown[] {
  const position = new Map<string, number>()
  const idOf = (id: string) => position.get(id) ?? position.set(id, position.size).get(id)!
  return messages.map((m) => {
    if (m.role === 'assistant') return { ...m, toolCalls: m.toolCalls?.map((c) => ({ name: c.name, arguments: c.arguments, n: idOf(c.id) })) }
    if (m.role === 'tool') return { role: m.role, content: m.content, n: idOf(m.toolCallId) }
    return m
  })
}

function messageTokens(m: LlmMessage): number {
  const calls = m.role === 'assistant' ? (m.toolCalls ?? []) : []
  return countTokens(m.content) + calls.reduce((sum, c) => sum + countTokens(c.name) + countTokens(c.arguments), 0)
}

// Tool results after the last user message, named after the call they answer, in conversation order.
function toolResultsAfter(messages: LlmMessage[], lastUser: number): ToolResultMention[] {
  const names = new Map<string, string>()
  const results: ToolResultMention[] = []
  for (const m of messages.slice(lastUser + 1)) {
    if (m.role === 'assistant') for (const c of m.toolCalls ?? []) names.set(c.id, c.name)
    if (m.role === 'tool') results.push({ name: names.get(m.toolCallId) ?? 'requested', content: m.content })
  }
  return results
}

// Code-point slices, so a delta never ends in half a surrogate pair.
function pieces(text: string): string[] {
  const chars = Array.from(text)
  const out: string[] = []
  for (let i = 0; i < chars.length; i += ARGS_PER_CHUNK) out.push(chars.slice(i, i + ARGS_PER_CHUNK).join(''))
  return out
}
