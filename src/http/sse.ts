// Server-sent events in both directions: reading yoga's GraphQL-over-SSE stream, writing AG-UI frames.
import type http from 'node:http'

export interface SseMessage {
  event?: string
  data: string
}

/** Parses a text/event-stream body into messages (comments, used as keep-alives, are reported as `ping`). */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage | 'ping'> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true })
    let end: number
    while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '')
      const lines = block.split(/\r?\n/)
      if (lines.every((l) => l.startsWith(':') || l === '')) {
        yield 'ping'
        continue
      }
      const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim()
      const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n')
      yield { event, data }
    }
  }
}

/** Starts an event-stream response (no buffering by proxies, no caching). */
export function openSse(res: http.ServerResponse, headers: Record<string, string> = {}) {
  res.writeHead(200, { ...headers, 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' })
  res.flushHeaders()
}

/** One SSE frame; `id` becomes the client's Last-Event-ID on reconnect. */
export function writeSse(res: http.ServerResponse, data: unknown, id?: string) {
  res.write(`${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`)
}
