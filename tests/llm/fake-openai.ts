// A local stand-in for an OpenAI-compatible server: node:http on 127.0.0.1, a random port, one handler per test.
import http, { type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'
import { createOpenAiProvider, type OpenAiProviderOptions } from '../../src/llm/openai.ts'
import type { LlmProvider } from '../../src/llm/types.ts'

export const API_KEY = 'sk-test-SECRET-0123456789'

export interface ReceivedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Record<string, unknown>
}

export interface FakeServer {
  /** Base URL ending in /v1. */
  baseUrl: string
  requests: ReceivedRequest[]
  /** Resolves when a response is closed before the handler ended it (the client went away). */
  clientGone: Promise<void>
  close(): Promise<void>
}

export type Handler = (res: ServerResponse, req: ReceivedRequest) => void | Promise<void>

/** Starts a server that records each request and lets `handler` answer it. */
export async function startFakeServer(handler: Handler): Promise<FakeServer> {
  const requests: ReceivedRequest[] = []
  let gone!: () => void
  const clientGone = new Promise<void>((resolve) => (gone = resolve))
  const server = http.createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (d: string) => (raw += d))
    req.on('end', () => {
      const received = { method: req.method!, url: req.url!, headers: req.headers, body: JSON.parse(raw || '{}') as Record<string, unknown> }
      requests.push(received)
      res.on('close', () => {
        if (!res.writableEnded) gone()
      })
      void Promise.resolve(handler(res, received)).catch(() => res.destroy())
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    clientGone,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** One SSE event carrying `payload` as JSON. */
export const event = (payload: unknown) => `data: ${JSON.stringify(payload)}\n\n`

/** A chat.completion.chunk with one choice. */
export const delta = (d: Record<string, unknown>, finishReason: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta: d, finish_reason: finishReason }],
})

/** Starts an SSE response. */
export function sseHead(res: ServerResponse) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  res.flushHeaders()
}

/**
 * Writes `text` as UTF-8 in separate writes, pausing between them: cut every `size` bytes (so lines are split) and
 * inside every multi-byte character (so the client must decode across reads).
 */
export async function writeInPieces(res: ServerResponse, text: string, size: number) {
  const bytes = Buffer.from(text, 'utf8')
  const cuts = new Set<number>()
  for (let i = size; i < bytes.length; i += size) cuts.add(i)
  let offset = 0
  for (const char of text) {
    const length = Buffer.byteLength(char)
    if (length > 1) cuts.add(offset + 1)
    offset += length
  }
  let start = 0
  for (const cut of [...cuts, bytes.length].sort((a, b) => a - b)) {
    res.write(bytes.subarray(start, cut))
    start = cut
    await sleep(2)
  }
}

/** Per-test fake server and a provider pointed at it (key set, `gpt-main` mapped); closed after each test. */
export function useFakeOpenAi() {
  let current: FakeServer | undefined
  afterEach(async () => {
    await current?.close()
    current = undefined
  })
  return {
    get server(): FakeServer {
      if (!current) throw new Error('no fake server started in this test')
      return current
    },
    async provider(handler: Handler, extra: Partial<OpenAiProviderOptions> = {}): Promise<LlmProvider> {
      current = await startFakeServer(handler)
      // A trailing slash on purpose: the provider must not produce "//chat/completions".
      return createOpenAiProvider({ baseUrl: `${current.baseUrl}/`, apiKey: API_KEY, modelMap: { 'gpt-main': 'gpt-4o-mini' }, ...extra })
    },
  }
}
