import { describe, expect, it } from 'vitest'
import { isAbortError, LlmError } from '../../src/llm/errors.ts'
import { createOpenAiProvider, parseRetryAfter } from '../../src/llm/openai.ts'
import type { LlmChunk, LlmMessage } from '../../src/llm/types.ts'
import { API_KEY, delta, event, sleep, sseHead, startFakeServer, useFakeOpenAi, writeInPieces } from './fake-openai.ts'
import { calculator, callsOf, collect, failure, request, textOf, user } from './helpers.ts'

const fake = useFakeOpenAi()
const usageEvent = (p: number, c: number) => event({ id: 'chatcmpl-1', choices: [], usage: { prompt_tokens: p, completion_tokens: c, total_tokens: p + c } })

describe('OpenAI-compatible provider: streaming', () => {
  it('sends the wire format and reassembles text split mid-line across writes', async () => {
    const stream =
      ': keep-alive\n\n' +
      event(delta({ role: 'assistant', content: '' })) +
      event(delta({ content: 'Héllo, ' })) +
      ': ping\r\n\r\n' +
      event(delta({ content: 'wörld 🌍!' })) +
      event(delta({}, 'stop')) +
      usageEvent(12, 5) +
      'data: [DONE]\n\n'
    const provider = await fake.provider(async (res) => {
      sseHead(res)
      await writeInPieces(res, stream, 7)
      res.end()
    })
    const assistantCall = { id: 'call_1', name: 'calculator', arguments: '{"expression":"1+1"}' }
    const messages: LlmMessage[] = [
      { role: 'system', content: 'Be brief.' },
      user('add 1 and 1'),
      { role: 'assistant', content: '', toolCalls: [assistantCall] },
      { role: 'tool', toolCallId: 'call_1', content: '2' },
      { role: 'assistant', content: 'It is 2.' },
      user('greet'),
    ]
    const chunks = await collect(provider, request(messages, { model: 'gpt-main', tools: [calculator], temperature: 0.2, maxTokens: 50 }))

    expect(textOf(chunks)).toBe('Héllo, wörld 🌍!')
    expect(chunks.filter((c) => c.type === 'text').length).toBe(2)
    expect(chunks.slice(-2)).toEqual([{ type: 'usage', promptTokens: 12, completionTokens: 5 }, { type: 'finish', reason: 'stop' }])

    const [received] = fake.server.requests
    expect(received!.method).toBe('POST')
    expect(received!.url).toBe('/v1/chat/completions')
    expect(received!.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(received!.headers['content-type']).toBe('application/json')
    expect(received!.body).toEqual({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.2,
      max_tokens: 50,
      tools: [{ type: 'function', function: { name: 'calculator', description: calculator.description, parameters: calculator.parameters } }],
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'add 1 and 1' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'calculator', arguments: '{"expression":"1+1"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '2' },
        { role: 'assistant', content: 'It is 2.' },
        { role: 'user', content: 'greet' },
      ],
    })
  })

  it('sends unmapped model names unchanged, no tools key without tools, and no Authorization without a key', async () => {
    const server = await startFakeServer(async (res) => {
      sseHead(res)
      res.end(event(delta({ content: 'ok' }, 'stop')) + 'data: [DONE]\n\n')
    })
    try {
      const provider = createOpenAiProvider({ baseUrl: server.baseUrl })
      const chunks = await collect(provider, request([user('hi')], { model: 'llama3' }))
      // No usage chunk when the server sends none; finish is still last.
      expect(chunks).toEqual([{ type: 'text', delta: 'ok' }, { type: 'finish', reason: 'stop' }])
      const body = server.requests[0]!.body
      expect(body.model).toBe('llama3')
      expect('tools' in body).toBe(false)
      expect(server.requests[0]!.headers.authorization).toBeUndefined()
    } finally {
      await server.close()
    }
  })

  it('maps two parallel tool calls with fragmented, interleaved arguments', async () => {
    const tc = (index: number, fn: Record<string, string>, id?: string) =>
      event(delta({ tool_calls: [{ index, ...(id && { id, type: 'function' }), function: fn }] }))
    const stream =
      tc(0, { name: 'calculator', arguments: '' }, 'call_a') +
      tc(0, { arguments: '{"expr' }) +
      tc(1, { name: 'weather', arguments: '{"ci' }, 'call_b') +
      tc(0, { arguments: 'ession":"2+2"}' }) +
      tc(1, { arguments: 'ty":"Oslo"}' }) +
      event(delta({}, 'tool_calls')) +
      usageEvent(30, 20) +
      'data: [DONE]\n\n'
    const provider = await fake.provider(async (res) => {
      sseHead(res)
      await writeInPieces(res, stream, 50)
      res.end()
    })
    const chunks = await collect(provider, request([user('go')], { model: 'gpt-main' }))
    expect(callsOf(chunks)).toEqual([
      { id: 'call_a', name: 'calculator', arguments: '{"expression":"2+2"}' },
      { id: 'call_b', name: 'weather', arguments: '{"city":"Oslo"}' },
    ])
    const shape = chunks.map((c) => (c.type.startsWith('tool_call') ? `${c.type}:${(c as { id: string }).id}` : c.type))
    expect(shape).toEqual([
      'tool_call_start:call_a', 'tool_call_args:call_a', 'tool_call_start:call_b', 'tool_call_args:call_b',
      'tool_call_args:call_a', 'tool_call_args:call_b', 'tool_call_end:call_a', 'tool_call_end:call_b', 'usage', 'finish',
    ])
    expect(chunks.at(-1)).toEqual({ type: 'finish', reason: 'tool_calls' })
  })
})

describe('OpenAI-compatible provider: cancellation', () => {
  it('aborts mid-stream promptly, with an AbortError, and closes the connection', async () => {
    const provider = await fake.provider(async (res) => {
      sseHead(res)
      for (let i = 0; i < 200; i++) {
        if (res.destroyed) return
        res.write(event(delta({ content: `word${i} ` })))
        await sleep(20)
      }
      res.end('data: [DONE]\n\n')
    })
    const controller = new AbortController()
    const seen: LlmChunk[] = []
    let abortedAt = Infinity
    const err = await failure(
      {
        name: 'abort-after-2',
        async *stream(r) {
          for await (const c of provider.stream(r)) {
            seen.push(c)
            if (seen.length === 2) {
              // Abort while the provider waits on the network, as a cancel request would.
              setTimeout(() => {
                abortedAt = Date.now()
                controller.abort()
              }, 5)
            }
            yield c
          }
        },
      },
      request([user('hi')], { signal: controller.signal }),
    )
    expect(Date.now() - abortedAt).toBeLessThan(100)
    expect(isAbortError(err, controller.signal)).toBe(true)
    expect(err).not.toBeInstanceOf(LlmError)
    expect(seen.length).toBeLessThan(5)
    await fake.server.clientGone
  })

  it('closes the connection when the consumer stops reading early', async () => {
    const provider = await fake.provider(async (res) => {
      sseHead(res)
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(event(delta({ content: `w${i} ` })))
        await sleep(20)
      }
    })
    for await (const chunk of provider.stream(request([user('hi')]))) {
      expect(chunk.type).toBe('text')
      break
    }
    await fake.server.clientGone
  })

  it('does not even connect when the signal is already aborted', async () => {
    const provider = await fake.provider(() => {})
    const controller = new AbortController()
    const reason = new Error('stop')
    controller.abort(reason)
    expect(await failure(provider, request([user('hi')], { signal: controller.signal }))).toBe(reason)
    expect(fake.server.requests).toEqual([])
  })
})

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    const now = Date.parse('2025-01-01T00:00:00Z')
    expect(parseRetryAfter('12', now)).toBe(12)
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})
