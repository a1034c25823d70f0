import { describe, expect, it } from 'vitest'
import { LlmError } from '../../src/llm/errors.ts'
import { createChunkMapper } from '../../src/llm/openai-wire.ts'
import type { LlmChunk } from '../../src/llm/types.ts'

const choice = (delta: Record<string, unknown>, finish_reason: string | null = null) => ({ choices: [{ index: 0, delta, finish_reason }] })
const run = (payloads: unknown[], sawDone = true): LlmChunk[] => {
  const mapper = createChunkMapper()
  return [...payloads.flatMap((p) => mapper.push(p)), ...mapper.end(sawDone)]
}

describe('chat-completion chunk mapping', () => {
  it('holds argument fragments that arrive before the function name', () => {
    const chunks = run([
      choice({ tool_calls: [{ index: 0, id: 'c1', function: { arguments: '{"q":' } }] }),
      choice({ tool_calls: [{ index: 0, function: { name: 'search', arguments: '"x"}' } }] }),
      choice({}, 'tool_calls'),
    ])
    expect(chunks).toEqual([
      { type: 'tool_call_start', id: 'c1', name: 'search' },
      { type: 'tool_call_args', id: 'c1', delta: '{"q":' },
      { type: 'tool_call_args', id: 'c1', delta: '"x"}' },
      { type: 'tool_call_end', id: 'c1' },
      { type: 'finish', reason: 'tool_calls' },
    ])
  })

  it('invents an id when the server sends none, and reports tool_calls even after "stop"', () => {
    const chunks = run([choice({ tool_calls: [{ index: 0, function: { name: 'echo', arguments: '{}' } }] }, 'stop')])
    const start = chunks[0] as Extract<LlmChunk, { type: 'tool_call_start' }>
    expect(start.id).toMatch(/^call_/)
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' })
  })

  it('keeps the last usage (some servers repeat it) and emits it once, before finish', () => {
    const chunks = run([
      { ...choice({ content: 'a' }), usage: { prompt_tokens: 3, completion_tokens: 1 } },
      choice({ content: 'b' }, 'length'),
      { choices: [], usage: { prompt_tokens: 3, completion_tokens: 2 } },
    ])
    expect(chunks).toEqual([
      { type: 'text', delta: 'a' },
      { type: 'text', delta: 'b' },
      { type: 'usage', promptTokens: 3, completionTokens: 2 },
      { type: 'finish', reason: 'length' },
    ])
  })

  it('rejects payloads that are not chat-completion chunks as permanent', () => {
    for (const bad of [[1, 2], 'text', { choices: {} }, choice({ content: 42 })]) {
      const err = (() => {
        try {
          run([bad])
        } catch (e) {
          return e
        }
      })()
      expect(err).toBeInstanceOf(LlmError)
      expect((err as LlmError).retryable).toBe(false)
    }
  })

  it('rejects a tool call that never got a name', () => {
    expect(() => run([choice({ tool_calls: [{ index: 0, id: 'c1', function: { arguments: '{}' } }] }, 'tool_calls')])).toThrow(LlmError)
  })
})
