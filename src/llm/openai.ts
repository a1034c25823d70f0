// OpenAI-compatible streaming provider (OpenAI, Azure-style gateways, vLLM, Ollama, LiteLLM …): one POST to
// `${baseUrl}/chat/completions` per turn, SSE parsed incrementally, HTTP and network failures classified for retries.
import { LlmError, permanentLlmError, transientLlmError } from './errors.ts'
import { createChunkMapper, toWireBody } from './openai-wire.ts'
import { createSseParser } from './sse.ts'
import type { LlmChunk, LlmProvider, LlmRequest } from './types.ts'

export interface OpenAiProviderOptions {
  /** e.g. https://api.openai.com/v1 (trailing slashes ignored). */
  baseUrl: string
  apiKey?: string
  /** Our model name → the provider's; unmapped names are sent unchanged. */
  modelMap?: Record<string, string>
  /** Injected for tests or proxies; defaults to the global fetch. */
  fetch?: typeof fetch
  /** Longest silence tolerated: until response headers, and between two reads of the body. Default 60 s. */
  timeoutMs?: number
}

const DEFAULT_TIMEOUT_MS = 60_000
const MAX_ERROR_DETAIL = 300

/** Creates a provider that streams turns from an OpenAI-compatible chat-completions endpoint. */
export function createOpenAiProvider(opts: OpenAiProviderOptions): LlmProvider {
  const url = `${opts.baseUrl.replace(/\/+$/, '')}/chat/completions`
  const key = opts.apiKey
  return {
    name: 'openai',
    async *stream(req) {
      try {
        yield* streamTurn(req, url, opts)
      } catch (err) {
        // The key must never reach a log or an error message, even when a server echoes it back. A new error, not
        // a mutated message, so that a stack captured with the old text cannot leak it either.
        if (key && err instanceof LlmError && err.message.includes(key)) {
          const { retryable, status, retryAfterSeconds } = err
          throw new LlmError(err.message.split(key).join('[redacted]'), { retryable, status, retryAfterSeconds })
        }
        throw err
      }
    },
  }
}

async function* streamTurn(req: LlmRequest, url: string, opts: OpenAiProviderOptions): AsyncGenerator<LlmChunk> {
  req.signal.throwIfAborted()
  const http = new AbortController()
  const onAbort = () => http.abort(req.signal.reason)
  req.signal.addEventListener('abort', onAbort, { once: true })
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
  let timedOut = false
  let timer: NodeJS.Timeout | undefined
  let finished = false

  // Every await on the network goes through here: a silence watchdog, and failures translated to our error kinds.
  const guard = async <T>(work: () => Promise<T>): Promise<T> => {
    timer = setTimeout(() => {
      timedOut = true
      http.abort(new Error('timeout'))
    }, timeoutMs)
    try {
      return await work()
    } catch (err) {
      if (req.signal.aborted) throw req.signal.reason
      if (timedOut) throw transientLlmError(`The LLM provider did not answer within ${timeoutMs} ms`)
      if (err instanceof LlmError) throw err
      throw transientLlmError(`The LLM provider could not be reached (${networkCode(err)})`, { cause: err })
    } finally {
      clearTimeout(timer)
    }
  }

  try {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'text/event-stream' }
    if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`
    const model = opts.modelMap?.[req.model] ?? req.model
    const body = JSON.stringify(toWireBody(req, model))
    const doFetch = opts.fetch ?? fetch
    const res = await guard(() => doFetch(url, { method: 'POST', headers, body, signal: http.signal }))
    if (!res.ok) {
      const error = await guard(() => httpError(res))
      req.signal.throwIfAborted() // httpError swallows a failed body read, which may have been the abort
      throw error
    }
    if (!res.body) throw permanentLlmError('The LLM provider sent an empty response')
    if (/application\/json/i.test(res.headers.get('content-type') ?? '')) {
      throw permanentLlmError('The LLM provider answered with JSON instead of an event stream')
    }
    const reader = res.body.getReader()
    const decoder = new TextDecoder()
    const sse = createSseParser()
    const mapper = createChunkMapper()
    for (;;) {
      const read = await guard(() => reader.read())
      const events = read.done ? [...sse.push(decoder.decode()), ...sse.end()] : sse.push(decoder.decode(read.value, { stream: true }))
      for (const ev of events) {
        if (ev.data.trim() === '[DONE]') {
          const last = mapper.end(true)
          finished = true
          // Release the connection before handing out the last chunks: the consumer may never ask for more.
          await reader.cancel().catch(() => {})
          yield* emit(last, req.signal)
          return
        }
        const payload = parseJson(ev.data)
        yield* emit(mapper.push(ev.event === 'error' ? { error: payload } : payload), req.signal)
      }
      if (read.done) {
        const last = mapper.end(false)
        finished = true
        yield* emit(last, req.signal)
        return
      }
    }
  } finally {
    clearTimeout(timer)
    req.signal.removeEventListener('abort', onAbort)
    // Error, abort or a consumer that stopped iterating: close the connection so the server stops generating.
    if (!finished) http.abort(new Error('stream closed'))
  }
}

// Re-checks the signal before each chunk: an abort while the consumer held a chunk must stop the rest of a batch.
function* emit(chunks: LlmChunk[], signal: AbortSignal): Generator<LlmChunk> {
  for (const chunk of chunks) {
    signal.throwIfAborted()
    yield chunk
  }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data)
  } catch {
    throw permanentLlmError(`Malformed stream from the LLM provider: invalid JSON (${data.slice(0, 80)})`)
  }
}

async function httpError(res: Response): Promise<LlmError> {
  const retryable = res.status === 408 || res.status === 429 || res.status >= 500
  const retryAfterSeconds = parseRetryAfter(res.headers.get('retry-after'))
  let detail = ''
  try {
    const text = await res.text()
    try {
      const parsed = JSON.parse(text) as { error?: { message?: unknown } }
      detail = typeof parsed.error?.message === 'string' ? parsed.error.message : text
    } catch {
      detail = text
    }
  } catch {
    // The status alone is enough to classify the failure.
  }
  detail = detail.replace(/\s+/g, ' ').trim().slice(0, MAX_ERROR_DETAIL)
  const message = `The LLM provider answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`
  return new LlmError(message, { retryable, status: res.status, ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) })
}

/** Seconds to wait from a Retry-After header: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value.trim())
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000))
}

function networkCode(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown } } | null)?.cause
  if (typeof cause?.code === 'string') return cause.code
  return err instanceof Error ? err.message : 'unknown error'
}
