// Incremental server-sent-events parser (WHATWG rules, reduced to what chat-completion streams use). Fed decoded text
// in arbitrary pieces — a line, even a "\r\n", may be split across network reads — it returns complete events only.

export interface SseEvent {
  /** The `event:` field; "message" when absent. */
  event: string
  /** The `data:` lines of the event, joined with "\n". */
  data: string
}

export interface SseParser {
  /** Adds text; returns the events completed by it. */
  push(text: string): SseEvent[]
  /** Ends the stream; returns a last event left without its blank line (lenient with servers that omit it). */
  end(): SseEvent[]
}

/** Creates a parser holding the partial line and partial event between pushes. */
export function createSseParser(): SseParser {
  let buffer = ''
  let data: string[] = []
  let event = ''

  const line = (text: string, out: SseEvent[]) => {
    if (text === '') {
      // A blank line dispatches; an event without data lines is ignored, as in browsers.
      if (data.length > 0) out.push({ event: event || 'message', data: data.join('\n') })
      data = []
      event = ''
      return
    }
    if (text.startsWith(':')) return // comment, e.g. ": keep-alive"
    const colon = text.indexOf(':')
    const field = colon < 0 ? text : text.slice(0, colon)
    const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '')
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
  }

  return {
    push(text) {
      buffer += text
      const out: SseEvent[] = []
      const eol = /\r\n|\r|\n/g
      let start = 0
      for (let m = eol.exec(buffer); m; m = eol.exec(buffer)) {
        // A trailing "\r" may be the first half of "\r\n": wait for the next piece before deciding.
        if (m[0] === '\r' && m.index === buffer.length - 1) break
        line(buffer.slice(start, m.index), out)
        start = m.index + m[0].length
      }
      buffer = buffer.slice(start)
      return out
    },
    end() {
      const out: SseEvent[] = []
      if (buffer !== '') line(buffer.replace(/\r$/, ''), out)
      buffer = ''
      line('', out)
      return out
    },
  }
}
