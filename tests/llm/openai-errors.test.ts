import net from 'node:net'
import { describe, expect, it } from 'vitest'
import { LlmError } from '../../src/llm/errors.ts'
import { createOpenAiProvider } from '../../src/llm/openai.ts'
import type { LlmChunk } from '../../src/llm/types.ts'
import { API_KEY, delta, event, sseHead, useFakeOpenAi } from './fake-openai.ts'
import { failure, request, user } from './helpers.ts'

const fake = useFakeOpenAi()

describe('OpenAI-compatible provider: failures', () => {
  const expectLlmError = (err: unknown, retryable: boolean): LlmError => {
    expect(err).toBeInstanceOf(LlmError)
    expect((err as LlmError).retryable).toBe(retryable)
    expect((err as LlmError).message).not.toContain(API_KEY)
    return err as LlmError
  }

  it('treats 429 as retryable and reports Retry-After', async () => {
    const provider = await fake.provider((res) => {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' })
      res.end(JSON.stringify({ error: { message: 'Rate limit reached', type: 'requests' } }))
    })
    const err = expectLlmError(await failure(provider, request([user('hi')])), true)
    expect(err.status).toBe(429)
    expect(err.retryAfterSeconds).toBe(7)
    expect(err.message).toContain('Rate limit reached')
  })

  it('treats 5xx as retryable', async () => {
    const provider = await fake.provider((res) => {
      res.writeHead(503)
      res.end('upstream overloaded')
    })
    expect(expectLlmError(await failure(provider, request([user('hi')])), true).status).toBe(503)
  })

  it('treats 400 as permanent', async () => {
    const provider = await fake.provider((res) => {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: "Invalid value for 'tools'", type: 'invalid_request_error' } }))
    })
    const err = expectLlmError(await failure(provider, request([user('hi')])), false)
    expect(err.status).toBe(400)
    expect(err.retryAfterSeconds).toBeUndefined()
  })

  it('never repeats the API key, even when the server echoes it', async () => {
    const provider = await fake.provider((res) => {
      res.writeHead(401, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { message: `Incorrect API key provided: ${API_KEY}` } }))
    })
    const err = expectLlmError(await failure(provider, request([user('hi')])), false)
    expect(err.message).toContain('[redacted]')
  })

  it('treats a malformed JSON line as permanent', async () => {
    const provider = await fake.provider((res) => {
      sseHead(res)
      res.end(event(delta({ content: 'ok' })) + 'data: {"choices": [\n\n' + 'data: [DONE]\n\n')
    })
    expectLlmError(await failure(provider, request([user('hi')])), false)
  })

  it('treats an error payload mid-stream as an LlmError', async () => {
    const provider = await fake.provider((res) => {
      sseHead(res)
      res.end(event(delta({ content: 'ok' })) + event({ error: { message: 'model overloaded', type: 'server_error' } }))
    })
    expectLlmError(await failure(provider, request([user('hi')])), true)
  })

  it('treats a stream cut before the turn finished as retryable', async () => {
    const provider = await fake.provider((res) => {
      sseHead(res)
      res.end(event(delta({ content: 'partial' })))
    })
    expectLlmError(await failure(provider, request([user('hi')])), true)
  })

  it('treats a refused connection as retryable', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address() as net.AddressInfo
        s.close(() => resolve(port))
      })
    })
    const provider = createOpenAiProvider({ baseUrl: `http://127.0.0.1:${port}/v1`, apiKey: API_KEY })
    expectLlmError(await failure(provider, request([user('hi')])), true)
  })

  it('times out as retryable when the server never responds', async () => {
    const provider = await fake.provider(() => {}, { timeoutMs: 200 })
    const started = Date.now()
    const err = expectLlmError(await failure(provider, request([user('hi')])), true)
    expect(err.message).toMatch(/200 ms/)
    expect(Date.now() - started).toBeLessThan(2_000)
    await fake.server.clientGone
  })

  it('times out as retryable when the stream goes silent', async () => {
    const provider = await fake.provider((res) => {
      sseHead(res)
      res.write(event(delta({ content: 'first' })))
    }, { timeoutMs: 200 })
    const seen: LlmChunk[] = []
    const err = await failure({ name: 'spy', stream: (r) => spy(provider.stream(r), seen) }, request([user('hi')]))
    expectLlmError(err, true)
    expect(seen).toEqual([{ type: 'text', delta: 'first' }])
  })
})

async function* spy(source: AsyncIterable<LlmChunk>, seen: LlmChunk[]): AsyncGenerator<LlmChunk> {
  for await (const c of source) {
    seen.push(c)
    yield c
  }
}
