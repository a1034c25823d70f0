import { describe, expect, it } from 'vitest'
import { createSseParser, type SseEvent } from '../../src/llm/sse.ts'

const STREAM =
  ': keep-alive comment\r\n\r\n' +
  'data: {"a":1}\r\n\r\n' +
  'data:{"b":2}\n\n' +
  'event: error\ndata: line one\ndata: line two\n\n' +
  'id: 7\nretry: 1000\n\n' + // no data: not an event
  'data: [DONE]\r\r'

const EXPECTED: SseEvent[] = [
  { event: 'message', data: '{"a":1}' },
  { event: 'message', data: '{"b":2}' },
  { event: 'error', data: 'line one\nline two' },
  { event: 'message', data: '[DONE]' },
]

function parseInPieces(text: string, size: number): SseEvent[] {
  const parser = createSseParser()
  const out: SseEvent[] = []
  for (let i = 0; i < text.length; i += size) out.push(...parser.push(text.slice(i, i + size)))
  return [...out, ...parser.end()]
}

describe('SSE parser', () => {
  it.each([1, 2, 3, 5, 8, 1000])('finds the same events whatever the split (%i chars per piece)', (size) => {
    expect(parseInPieces(STREAM, size)).toEqual(EXPECTED)
  })

  it('does not take a split "\\r\\n" for two line ends', () => {
    const parser = createSseParser()
    expect(parser.push('data: x\r')).toEqual([])
    expect(parser.push('\n\r')).toEqual([])
    expect(parser.push('\n')).toEqual([{ event: 'message', data: 'x' }])
  })

  it('returns a last event left without its blank line at the end', () => {
    const parser = createSseParser()
    expect(parser.push('data: [DONE]')).toEqual([])
    expect(parser.end()).toEqual([{ event: 'message', data: '[DONE]' }])
  })
})
