import { describe, expect, it } from 'vitest'
import { isAbortError, LlmError } from '../../src/llm/errors.ts'
import { createMockProvider } from '../../src/llm/mock.ts'
import { countTokens } from '../../src/llm/mock-text.ts'
import type { LlmChunk, LlmMessage, LlmToolSpec } from '../../src/llm/types.ts'
import { calculator, callsOf, collect, failure, request, textOf, user } from './helpers.ts'

const mock = createMockProvider()
const system: LlmMessage = { role: 'system', content: 'You are a careful assistant.' }

const weather: LlmToolSpec = {
  name: 'weather',
  description: 'Current weather for a city.',
  parameters: {
    type: 'object',
    properties: {
      city: { type: 'string' },
      days: { type: 'integer', minimum: 1 },
      units: { type: 'string', enum: ['metric', 'imperial'] },
      alerts: { type: 'boolean' },
    },
    required: ['city'],
  },
}

describe('mock-1: text turns', () => {
  it('streams the same chunks for the same input, and different ones for another prompt', async () => {
    const a = await collect(mock, request([system, user('Tell me about the sea')]))
    const b = await collect(mock, request([system, user('Tell me about the sea')]))
    const c = await collect(mock, request([system, user('Tell me about the mountains')]))
    expect(b).toEqual(a)
    expect(c).not.toEqual(a)
    expect(textOf(c)).not.toBe(textOf(a))
  })

  it('streams several chunks of a few words, then usage, then finish', async () => {
    const chunks = await collect(mock, request([user('Summarise the plan for next week please')]))
    const texts = chunks.filter((c) => c.type === 'text')
    expect(texts.length).toBeGreaterThanOrEqual(3)
    for (const t of texts) expect(t.delta.trim().split(/\s+/).length).toBeLessThanOrEqual(3)
    expect(chunks.at(-2)?.type).toBe('usage')
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
    expect(chunks.slice(0, -2).every((c) => c.type === 'text')).toBe(true)
  })

  it('replies with more text to a longer prompt', async () => {
    const short = textOf(await collect(mock, request([user('Hi there')])))
    const long = textOf(await collect(mock, request([user('Hi there, '.repeat(1) + 'please explain in depth '.repeat(8))])))
    expect(long.split(' ').length).toBeGreaterThan(short.split(' ').length + 10)
  })

  it('reports usage consistent with the input and the streamed reply', async () => {
    const messages = [system, user('How many legs does a spider have?')]
    const chunks = await collect(mock, request(messages))
    const usage = chunks.find((c) => c.type === 'usage')
    expect(usage).toEqual({
      type: 'usage',
      promptTokens: countTokens(system.content) + countTokens('How many legs does a spider have?'),
      completionTokens: countTokens(textOf(chunks)),
    })
    expect(countTokens('a spider, 8 legs!')).toBe(6)
  })

  it('stops at maxTokens with finish reason length', async () => {
    const chunks = await collect(mock, request([user('Describe a long journey across the country')], { maxTokens: 5 }))
    const usage = chunks.find((c): c is Extract<LlmChunk, { type: 'usage' }> => c.type === 'usage')!
    expect(usage.completionTokens).toBeLessThanOrEqual(5)
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'length' })
  })
})

describe('mock-1: tool calls', () => {
  it('calls the calculator with the arithmetic from the prompt', async () => {
    const chunks = await collect(mock, request([user('use calculator to compute 2 + 3 * 4')], { tools: [calculator] }))
    expect(callsOf(chunks)).toEqual([{ id: expect.stringMatching(/^call_/), name: 'calculator', arguments: '{"expression":"2 + 3 * 4"}' }])
    expect(chunks.map((c) => c.type)).toEqual([
      'tool_call_start', ...chunks.filter((c) => c.type === 'tool_call_args').map(() => 'tool_call_args'), 'tool_call_end', 'usage', 'finish',
    ])
    expect(chunks.filter((c) => c.type === 'tool_call_args').length).toBeGreaterThan(1)
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' })
    // Deterministic ids: the same conversation gives the same call id.
    const again = await collect(mock, request([user('use calculator to compute 2 + 3 * 4')], { tools: [calculator] }))
    expect(callsOf(again)[0]!.id).toBe(callsOf(chunks)[0]!.id)
  })

  it('derives arguments from the schema: strings after the tool name, numbers, enums, booleans', async () => {
    const chunks = await collect(mock, request([user('Check the WEATHER in Paris for 3 days')], { tools: [calculator, weather] }))
    const [call] = callsOf(chunks)
    expect(call!.name).toBe('weather')
    expect(JSON.parse(call!.arguments)).toEqual({ city: 'in Paris for 3 days', days: 3, units: 'metric', alerts: false })
  })

  it('calls every named tool in the order the prompt names them', async () => {
    const chunks = await collect(mock, request([user('weather in Oslo, then calculator for 1+1')], { tools: [calculator, weather] }))
    expect(callsOf(chunks).map((c) => c.name)).toEqual(['weather', 'calculator'])
    const ids = callsOf(chunks).map((c) => c.id)
    expect(new Set(ids).size).toBe(2)
  })

  it('does not call a tool the prompt does not name as a whole word', async () => {
    const prompt = 'what is the weatherman saying about 2 + 2 on his supercalculator?'
    const chunks = await collect(mock, request([user(prompt)], { tools: [calculator, weather] }))
    expect(callsOf(chunks)).toEqual([])
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
  })

  it('answers with the tool result once the call has been answered', async () => {
    const tools = [calculator]
    const first = await collect(mock, request([user('use calculator to compute 2 + 3 * 4')], { tools }))
    const [call] = callsOf(first)
    const messages: LlmMessage[] = [
      user('use calculator to compute 2 + 3 * 4'),
      { role: 'assistant', content: '', toolCalls: [call!] },
      { role: 'tool', toolCallId: call!.id, content: '14' },
    ]
    const second = await collect(mock, request(messages, { tools }))
    expect(callsOf(second)).toEqual([])
    expect(textOf(second)).toContain('The calculator tool returned: 14.')
    expect(second.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
    // A new user message naming the tool again starts a new round.
    const third = await collect(mock, request([...messages, { role: 'assistant', content: textOf(second) }, user('calculator: 7 * 6')], { tools }))
    expect(callsOf(third).map((c) => JSON.parse(c.arguments))).toEqual([{ expression: '7 * 6' }])
  })
})

describe('mock-1: directives', () => {
  it('strips directives from what it reads', async () => {
    const plain = await collect(mock, request([user('Tell me a story')]))
    const withDelay = await collect(mock, request([user('Tell me a story [[mock:delay=1]]')]))
    expect(textOf(withDelay)).toBe(textOf(plain))
  })

  it('delays chunks and stops within 100 ms of an abort', async () => {
    const controller = new AbortController()
    const iterator = mock.stream(request([user('Tell me a story [[mock:delay=5000]]')], { signal: controller.signal }))[Symbol.asyncIterator]()
    const next = iterator.next()
    let abortedAt = Infinity
    setTimeout(() => {
      abortedAt = Date.now()
      controller.abort()
    }, 50)
    const err = await next.then(() => undefined, (e: unknown) => e)
    expect(Date.now() - abortedAt).toBeLessThan(100)
    expect(isAbortError(err, controller.signal)).toBe(true)
    expect(err).not.toBeInstanceOf(LlmError)
  })

  it('surfaces the abort reason itself when one is given', async () => {
    const controller = new AbortController()
    const reason = new Error('cancelled by user')
    const pending = failure(mock, request([user('slow [[mock:delay=5000]]')], { signal: controller.signal }))
    controller.abort(reason)
    expect(await pending).toBe(reason)
  })

  it('fail=transient is retryable on every attempt', async () => {
    for (const attempt of [1, 2, 3]) {
      const err = await failure(mock, request([user('hi [[mock:fail=transient]]')], { attempt }))
      expect(err).toBeInstanceOf(LlmError)
      expect((err as LlmError).retryable).toBe(true)
    }
  })

  it('fail=transient-once fails only on attempt 1', async () => {
    const err = await failure(mock, request([user('hi [[mock:fail=transient-once]]')], { attempt: 1 }))
    expect((err as LlmError).retryable).toBe(true)
    const chunks = await collect(mock, request([user('hi [[mock:fail=transient-once]]')], { attempt: 2 }))
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'stop' })
  })

  it('fail=permanent is not retryable', async () => {
    const err = await failure(mock, request([user('hi [[mock:fail=permanent]]')], { attempt: 2 }))
    expect(err).toBeInstanceOf(LlmError)
    expect((err as LlmError).retryable).toBe(false)
  })
})

describe('mock-1: generated ids do not matter', () => {
  it('answers the same whatever ids the caller gave the tool calls', async () => {
    const tools = [calculator]
    const [call] = callsOf(await collect(mock, request([user('use calculator to compute 2 + 3 * 4')], { tools })))
    const after = (id: string): LlmMessage[] => [
      user('use calculator to compute 2 + 3 * 4'),
      { role: 'assistant', content: '', toolCalls: [{ ...call!, id }] },
      { role: 'tool', toolCallId: id, content: '14' },
    ]
    expect(await collect(mock, request(after('run-a-call-1'), { tools }))).toEqual(await collect(mock, request(after('run-b-attempt-2-call-1'), { tools })))
  })

  it('[[mock:call=<name>]] calls an offered tool the prompt does not name', async () => {
    const chunks = await collect(mock, request([user('what is 2 + 2 [[mock:call=calculator]]')], { tools: [calculator, weather] }))
    expect(callsOf(chunks).map((c) => c.name)).toEqual(['calculator'])
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' })
  })
})
