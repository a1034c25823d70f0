// POST /mcp: the tenant's agents as MCP tools for any MCP client (Streamable HTTP, stateless, the SDK's server
// transport). The caller goes through the admission pipeline like a GraphQL request: identify (a bad credential
// spends the IP's anonymous budget), the EXECUTIONS_RUN scope, then one request counted per HTTP request.
import type http from 'node:http'
import { randomUUID } from 'node:crypto'
import type { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { SpanKind } from '@opentelemetry/api'
import type { Admission } from '../admission.ts'
import { credentialFromHeaders } from '../auth/authenticate.ts'
import type { Principal } from '../auth/principal.ts'
import { AppError, httpStatusFor, type ErrorCode } from '../errors.ts'
import { callAgentTool, listAgentTools } from '../services/mcp-agents.ts'
import type { AppDeps, Session } from '../services/session.ts'
import { contextFromTraceParent, inSpan } from '../telemetry.ts'

// The SDK's server side (about a hundred modules) is loaded by the first POST /mcp, not at start-up.
let sdk: ReturnType<typeof loadSdk> | undefined
const loadSdk = async () => {
  const [{ Server }, { StreamableHTTPServerTransport }, types] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/index.js'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
    import('@modelcontextprotocol/sdk/types.js'),
  ])
  return { Server, StreamableHTTPServerTransport, ...types }
}
type Sdk = Awaited<ReturnType<typeof loadSdk>>

/** The request listener for /mcp. */
export function createMcpEndpoint(deps: AppDeps, admission: Admission, clientIp: (req: http.IncomingMessage) => string | undefined) {
  return async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    if (req.method !== 'POST') {
      // Stateless: no SSE stream to resume (GET) and no session to end (DELETE).
      res.setHeader('Allow', 'POST')
      return refuse(res, 405, -32000, 'Method not allowed: this MCP endpoint is stateless; POST JSON-RPC messages.')
    }
    const ip = clientIp(req)
    let principal: Principal | undefined
    try {
      const headers = new Headers()
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v)
      principal = await admission.identify(credentialFromHeaders(headers), ip)
      if (!principal) throw new AppError('UNAUTHENTICATED', 'An API key (Authorization: Bearer apk_…) is required.')
      if (!principal.scopes.has('EXECUTIONS_RUN')) throw new AppError('FORBIDDEN', 'The credential lacks the EXECUTIONS_RUN scope.')
      await admission.admitRequest({ principal, ip }, {})
    } catch (e) {
      if (!(e instanceof AppError)) throw e
      if (e.code === 'UNAUTHENTICATED') res.setHeader('WWW-Authenticate', 'Bearer')
      if (typeof e.details.retryAfter === 'number') res.setHeader('Retry-After', String(Math.ceil(e.details.retryAfter)))
      return refuse(res, httpStatusFor[e.code as ErrorCode] ?? 400, -32001, e.message, e.code)
    }
    const meta = { requestId: randomUUID(), transport: 'http' as const, ip, userAgent: req.headers['user-agent'] }
    const session: Session = { deps, meta, principal, db: deps.db.forTenant(principal.tenantId) }
    const traceParent = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : undefined
    const mcp = await (sdk ??= loadSdk())
    const server = agentServer(mcp, session, traceParent)
    const transport = new mcp.StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    res.on('close', () => void transport.close().then(() => server.close()).catch(() => {}))
    await server.connect(transport)
    await transport.handleRequest(req, res)
  }
}

function agentServer(mcp: Sdk, s: Session, traceParent: string | undefined): Server {
  const { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } = mcp
  const server = new mcp.Server({ name: 'agent-platform', version: '1.0.0' }, { capabilities: { tools: {} } })
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: (await listAgentTools(s)).map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
  }))
  // A server span per tools/call, the child of the caller's traceparent: the run it queues (and the worker's spans
  // of it) join the MCP client's trace, as a GraphQL runAgent joins its caller's.
  server.setRequestHandler(CallToolRequestSchema, (request) => inSpan(`tools/call ${request.params.name.slice(0, 100)}`, {
    kind: SpanKind.SERVER,
    parent: contextFromTraceParent(traceParent),
    attributes: { 'mcp.method.name': 'tools/call', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': request.params.name.slice(0, 100) },
  }, async () => {
    try {
      const r = await callAgentTool(s, request.params.name, request.params.arguments)
      if (!r) throw new McpError(ErrorCode.InvalidParams, `No agent tool named ${JSON.stringify(request.params.name.slice(0, 100))}.`)
      const ids = r.executionId ? { executionId: r.executionId, threadId: r.threadId, status: r.status } : undefined
      return { isError: r.isError, content: [{ type: 'text' as const, text: r.text }], ...(ids && { structuredContent: ids }) }
    } catch (e) {
      if (e instanceof McpError) throw e
      if (!(e instanceof AppError)) {
        s.deps.logger.error({ err: e, requestId: s.meta.requestId }, 'MCP agent call failed')
        throw new McpError(ErrorCode.InternalError, 'The agent could not be run.')
      }
      // Refusals the model can act on (quota, validation, thread not found) are tool errors, with the stable code.
      return { isError: true, content: [{ type: 'text' as const, text: `${e.code}: ${e.message}` }] }
    }
  }))
  return server
}

function refuse(res: http.ServerResponse, status: number, code: number, message: string, appCode?: string) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code, message, ...(appCode && { data: { code: appCode } }) }, id: null }))
}
