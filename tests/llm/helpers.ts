// Shared helpers for the LLM adapter tests.
import type { LlmChunk, LlmMessage, LlmProvider, LlmRequest, LlmToolSpec } from '../../src/llm/types.ts'

/** A request with defaults: no tools, attempt 1, a signal nobody aborts. */
export const request = (messages: LlmMessage[], extra: Partial<LlmRequest> = {}): LlmRequest => ({
  model: 'mock-1',
  messages,
  tools: [],
  signal: new AbortController().signal,
  attempt: 1,
  ...extra,
})

export const user = (content: string): LlmMessage => ({ role: 'user', content })

/** Reads a whole turn. */
export async function collect(provider: LlmProvider, req: LlmRequest): Promise<LlmChunk[]> {
  const out: LlmChunk[] = []
  for await (const chunk of provider.stream(req)) out.push(chunk)
  return out
}

/** The error a turn fails with (fails the test when the turn succeeds). */
export async function failure(provider: LlmProvider, req: LlmRequest): Promise<unknown> {
  try {
    await collect(provider, req)
  } catch (err) {
    return err
  }
  throw new Error('expected the turn to fail')
}

export const textOf = (chunks: LlmChunk[]) => chunks.flatMap((c) => (c.type === 'text' ? [c.delta] : [])).join('')

/** Tool calls of a turn, arguments reassembled from their deltas. */
export function callsOf(chunks: LlmChunk[]): { id: string; name: string; arguments: string }[] {
  const calls = new Map<string, { id: string; name: string; arguments: string }>()
  for (const c of chunks) {
    if (c.type === 'tool_call_start') calls.set(c.id, { id: c.id, name: c.name, arguments: '' })
    if (c.type === 'tool_call_args') calls.get(c.id)!.arguments += c.delta
  }
  return [...calls.values()]
}

export const calculator: LlmToolSpec = {
  name: 'calculator',
  description: 'Evaluates an arithmetic expression.',
  parameters: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] },
}
