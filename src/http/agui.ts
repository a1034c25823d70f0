// AG-UI over HTTP (the protocol's HttpAgent transport): POST /agui/agents/:agentId runs an agent and streams that
// run's AG-UI events as server-sent events, each with `id: <cursor>`; GET /agui/runs/:executionId/events resumes
// after Last-Event-ID (or ?after=). It adapts the public GraphQL API (runAgent, executionEvents) through yoga, so
// authentication, limits, tenancy, audit and error policy are exactly those of /graphql.
import type http from 'node:http'
import type { Config } from '../config.ts'
import { httpStatusFor, type ErrorCode } from '../errors.ts'
import type { Yoga } from '../yoga.ts'
import { openSse, readSse, writeSse } from './sse.ts'

const runAgentMutation = `mutation AguiRunAgent($input: RunAgentInput!) { runAgent(input: $input) { execution { id } } }`
const threadMessagesQuery = `query AguiThreadMessages($id: ID!) { node(id: $id) { ... on Thread { messages { id } } } }`
const latestRunQuery = `query AguiLatestRun($id: ID!) { node(id: $id) { ... on Thread { executions(first: 1) { edges { node { id } } } } } }`
const interruptedRunQuery = `query AguiInterruptedRun($interruptId: ID!) { executions(first: 1, filter: { interruptId: $interruptId }) { edges { node { id } } } }`
const resumeMutation = `mutation AguiResume($input: ResumeExecutionInput!) { resumeExecution(input: $input) { execution { id } } }`
const eventsSubscription = `subscription AguiEvents($executionId: ID!, $after: String) { executionEvents(executionId: $executionId, after: $after) { cursor event } }`

/** Headers a caller's request passes on to /graphql: its credentials, request id, proxy chain and trace context. */
const forwarded = ['authorization', 'x-api-key', 'x-request-id', 'x-forwarded-for', 'x-forwarded-proto', 'user-agent', 'traceparent']

interface GraphQLBody {
  data?: Record<string, unknown> | null
  errors?: { message: string; extensions?: { code?: string } & Record<string, unknown> }[]
}

interface AguiResumeEntry {
  interruptId?: unknown
  status?: unknown
  payload?: unknown
}

interface AguiMessage {
  id?: string
  role?: string
  content?: unknown
  toolCallId?: string
}

/** Mounted by the app: answers /agui/* requests, returns false for anything else. */
export function createAguiHandler(yoga: Yoga, config: Pick<Config, 'queryLimits'>) {
  const gqlFetch = (req: http.IncomingMessage, body: object, accept = 'application/graphql-response+json', signal?: AbortSignal) => {
    const headers = new Headers({ 'content-type': 'application/json', accept })
    for (const h of forwarded) if (typeof req.headers[h] === 'string') headers.set(h, req.headers[h] as string)
    return Promise.resolve(yoga.fetch('http://localhost/graphql', { method: 'POST', headers, body: JSON.stringify(body), signal }, { req }))
  }

  const gql = async (req: http.IncomingMessage, query: string, variables: object) => {
    const r = await gqlFetch(req, { query, variables })
    return { status: r.status, headers: r.headers, body: (await r.json()) as GraphQLBody }
  }

  /** Follows the run's events after `after`, as SSE frames; resumes by itself when the inner stream is interrupted. */
  async function stream(req: http.IncomingMessage, res: http.ServerResponse, executionId: string, after: string | null) {
    const abort = new AbortController()
    res.on('close', () => abort.abort())
    let cursor = after
    let opened = false
    for (let attempt = 0; attempt < 5 && !abort.signal.aborted; attempt++) {
      const r = await gqlFetch(req, { query: eventsSubscription, variables: { executionId, after: cursor } }, 'text/event-stream', abort.signal).catch(() => undefined)
      if (!r) return void res.end()
      if (!r.ok || !r.body) return failed(res, r.status, (await r.json().catch(() => ({}))) as GraphQLBody)
      let interrupted = false
      try {
        for await (const m of readSse(r.body)) {
          if (m === 'ping') {
            if (opened) res.write(': ping\n\n')
            continue
          }
          if (m.event === 'complete') return void res.end()
          const payload = JSON.parse(m.data) as GraphQLBody
          const error = payload.errors?.[0]
          if (error) {
            // A stream interrupted on our side (slow consumer, broker trouble) resumes from the last cursor.
            if (opened && error.extensions?.code === 'SERVICE_UNAVAILABLE') {
              interrupted = true
              break
            }
            if (!opened) return failed(res, 200, payload)
            return void res.end()
          }
          const e = payload.data?.executionEvents as { cursor: string; event: unknown } | undefined
          if (!e) continue
          if (!opened) {
            openSse(res, { 'X-Execution-ID': executionId })
            opened = true
          }
          cursor = e.cursor
          writeSse(res, e.event, e.cursor)
        }
      } catch {
        if (abort.signal.aborted) return
        interrupted = true
      }
      if (!interrupted) break
    }
    res.end()
  }

  async function runAgent(req: http.IncomingMessage, res: http.ServerResponse, agentId: string) {
    const input = await readJson(req, config.queryLimits.maxBodyBytes)
    if (!input.ok) return sendError(res, input.status, 'VALIDATION_FAILED', input.message)
    const body = input.value as { threadId?: unknown; runId?: unknown; messages?: unknown; resume?: unknown; tools?: unknown }
    if (!Array.isArray(body.messages)) return sendError(res, 400, 'VALIDATION_FAILED', 'An AG-UI RunAgentInput with `messages` is expected.')
    const threadId = isThreadId(body.threadId) ? body.threadId : null
    if (Array.isArray(body.resume) && body.resume.length) return resume(req, res, threadId, body.resume as AguiResumeEntry[], body.runId)
    let known = new Set<string>()
    if (threadId) {
      const t = await gql(req, threadMessagesQuery, { id: threadId })
      if (t.status !== 200 || t.body.errors) return failed(res, t.status, t.body)
      known = new Set(((t.body.data?.node as { messages?: { id: string }[] } | null)?.messages ?? []).map((m) => m.id))
    }
    // The thread's history lives on the server: send only what it has not seen, in the roles it accepts.
    const messages = (body.messages as AguiMessage[])
      .filter((m) => m && (!m.id || !known.has(m.id)) && (m.role === 'user' || m.role === 'system' || m.role === 'tool' || (!threadId && m.role === 'assistant')))
      .map((m) => ({ ...(m.id && { id: m.id }), role: m.role, content: textOf(m.content), ...(m.role === 'tool' && { toolCallId: m.toolCallId }) }))
      .filter((m) => m.content)
    // AG-UI `tools` are the client's (frontend) tools.
    const clientTools = Array.isArray(body.tools) ? (body.tools as { name?: unknown; description?: unknown; parameters?: unknown }[]).map((x) => ({ name: x?.name, description: x?.description, parameters: x?.parameters })) : []
    const run = await gql(req, runAgentMutation, {
      input: { agentId, threadId, messages, ...(clientTools.length && { clientTools }), ...(typeof body.runId === 'string' && body.runId && { runId: body.runId }) },
    })
    const execution = (run.body.data?.runAgent as { execution?: { id: string } } | null)?.execution
    if (!execution) return failed(res, run.status, run.body, run.headers)
    await stream(req, res, execution.id, null)
  }

  /** The first run a query lists (`pick` finds its connection in the data), or the query's failure. */
  async function firstRun(req: http.IncomingMessage, query: string, variables: object, pick: (data: Record<string, unknown>) => unknown) {
    const r = await gql(req, query, variables)
    if (r.status !== 200 || r.body.errors) return { failure: r }
    const edges = (pick(r.body.data ?? {}) as { edges?: { node: { id: string } }[] } | null | undefined)?.edges
    return { run: edges?.[0]?.node }
  }

  /**
   * AG-UI `resume`: answers the interrupts of the run that ended with them (found by the first interrupt id; else the
   * platform thread's latest run, whose resumeExecution then says what is wrong) and streams the continuation.
   */
  async function resume(req: http.IncomingMessage, res: http.ServerResponse, threadId: string | null, entries: AguiResumeEntry[], runId: unknown) {
    const interruptId = typeof entries[0]?.interruptId === 'string' ? entries[0].interruptId : null
    let found = interruptId ? await firstRun(req, interruptedRunQuery, { interruptId }, (d) => d.executions) : { run: undefined }
    if (!found.failure && !found.run && threadId) found = await firstRun(req, latestRunQuery, { id: threadId }, (d) => (d.node as { executions?: unknown } | null)?.executions)
    if (found.failure) return failed(res, found.failure.status, found.failure.body)
    const run = found.run
    if (!run) return sendError(res, 404, 'NOT_FOUND', 'No run of yours waits on these interrupts.')
    const answers = entries.map((e) => ({ interruptId: e?.interruptId, status: e?.status === 'resolved' ? 'RESOLVED' : e?.status === 'cancelled' ? 'CANCELLED' : e?.status, payload: e?.payload }))
    const r = await gql(req, resumeMutation, { input: { executionId: run.id, resume: answers, ...(typeof runId === 'string' && runId && { runId }) } })
    const execution = (r.body.data?.resumeExecution as { execution?: { id: string } } | null)?.execution
    if (!execution) return failed(res, r.status, r.body, r.headers)
    await stream(req, res, execution.id, null)
  }

  return async function handle(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<boolean> {
    const agent = /^\/agui\/agents\/([^/]+)$/.exec(path)
    const events = /^\/agui\/runs\/([^/]+)\/events$/.exec(path)
    if (!agent && !events) return false
    try {
      if (agent && req.method === 'POST') await runAgent(req, res, decodeURIComponent(agent[1]!))
      else if (events && req.method === 'GET') {
        const after = (req.headers['last-event-id'] as string | undefined) || new URL(req.url ?? '', 'http://localhost').searchParams.get('after')
        await stream(req, res, decodeURIComponent(events[1]!), after || null)
      } else sendError(res, 405, 'VALIDATION_FAILED', `${req.method} is not allowed here.`)
    } catch {
      if (!res.headersSent) sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.')
      else res.end()
    }
    return true
  }
}

/** Statuses for refusals that GraphQL reports with 200 (field errors): an HTTP-only client needs them as statuses. */
const statusFor: Partial<Record<string, number>> = { NOT_FOUND: 404, CONFLICT: 409, THREAD_BUSY: 409, QUOTA_EXCEEDED: 429, BUDGET_EXCEEDED: 429, INTERNAL_SERVER_ERROR: 500 }

/** Answers with the GraphQL errors and the HTTP status their code implies (404 for a missing agent or run). */
function failed(res: http.ServerResponse, status: number, body: GraphQLBody, headers?: Headers) {
  const code = body.errors?.[0]?.extensions?.code as ErrorCode | undefined
  const mapped = status >= 400 ? status : (code && (httpStatusFor[code] ?? statusFor[code])) || 400
  const retryAfter = headers?.get('retry-after')
  res.writeHead(mapped, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...(retryAfter && { 'Retry-After': retryAfter }) })
  res.end(JSON.stringify({ errors: body.errors ?? [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }))
}

function sendError(res: http.ServerResponse, status: number, code: ErrorCode, message: string) {
  failed(res, status, { errors: [{ message, extensions: { code } }] })
}

function isThreadId(id: unknown): id is string {
  return typeof id === 'string' && Buffer.from(id, 'base64').toString('utf8').startsWith('Thread:')
}

/** AG-UI content is a string or a list of parts; the platform takes text. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map((p: { type?: string; text?: string }) => (p?.type === 'text' ? p.text ?? '' : '')).join('')
  return ''
}

async function readJson(req: http.IncomingMessage, max: number): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) return { ok: false, status: 415, message: 'Send application/json.' }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > max) return { ok: false, status: 413, message: `The request body is larger than ${max} bytes.` }
    chunks.push(chunk)
  }
  try {
    return { ok: true, value: JSON.parse(Buffer.concat(chunks).toString('utf8')) }
  } catch {
    return { ok: false, status: 400, message: 'The request body is not valid JSON.' }
  }
}
