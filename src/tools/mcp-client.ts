// Talking to a tenant's MCP server over Streamable HTTP with the official SDK client: list its tools, call one.
// Each operation opens a fresh, stateless connection (initialize, request, close): no session outlives a call, so
// a restarted or scaled-out server never sees a stale session id, and nothing is shared between tenants.
import type { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { mcpClientSdk } from './mcp-sdk.ts'
import { z } from 'zod'
import type { HttpToolPolicy } from './address-policy.ts'
import { abortedError, ToolCallError } from './errors.ts'
import { guardedFetch } from './mcp-fetch.ts'
import type { Resolver } from './pinned-lookup.ts'

export interface McpEndpoint {
  url: string
  /** Secret headers (Authorization, API keys): sent to this server only, never logged. */
  headers: Record<string, string>
}

export interface McpCallOptions {
  policy: HttpToolPolicy
  signal: AbortSignal
  timeoutMs: number
  maxResponseBytes: number
  resolve?: Resolver
  /** The server sent notifications/tools/list_changed during this connection. */
  onToolListChanged?: () => void
}

export interface McpToolInfo {
  name: string
  description: string
  inputSchema: unknown
}

/** More tools than this is refused: a model cannot use them and the tools table is not a dump. */
export const MAX_MCP_TOOLS = 200
const MAX_PAGES = 20
/** How this server names itself to MCP servers. */
export const CLIENT_INFO = { name: 'agent-platform', version: '1.0.0' }

async function withClient<T>(ep: McpEndpoint, opts: McpCallOptions, fn: (client: Client, req: { signal: AbortSignal; timeout: number }) => Promise<T>): Promise<T> {
  if (opts.signal.aborted) throw abortedError()
  const host = safeHost(ep.url)
  const deadline = AbortSignal.timeout(opts.timeoutMs)
  const signal = AbortSignal.any([opts.signal, deadline])
  const { Client, StreamableHTTPClientTransport, ToolListChangedNotificationSchema } = await mcpClientSdk()
  const transport = new StreamableHTTPClientTransport(new URL(ep.url), {
    requestInit: { headers: ep.headers, redirect: 'error' },
    fetch: guardedFetch({ policy: opts.policy, maxResponseBytes: opts.maxResponseBytes, resolve: opts.resolve }),
  })
  const client = new Client(CLIENT_INFO, { capabilities: {} })
  const onChanged = opts.onToolListChanged
  if (onChanged) client.setNotificationHandler(ToolListChangedNotificationSchema, async () => onChanged())
  try {
    await client.connect(transport, { signal, timeout: opts.timeoutMs })
    return await fn(client, { signal, timeout: opts.timeoutMs })
  } catch (e) {
    if (opts.signal.aborted) throw abortedError()
    if (deadline.aborted) throw new ToolCallError('TIMEOUT', `The MCP server at ${host} did not answer within ${opts.timeoutMs} ms.`, true)
    throw toToolError(e, host)
  } finally {
    await client.close().catch(() => {})
  }
}

export interface McpToolList {
  tools: McpToolInfo[]
  /** The server's freshness hint for this list (SEP-2549 `ttlMs`, the smallest over the pages); absent if none. */
  ttlMs?: number
}

// The page is checked here, each tool on its own (below), instead of by the SDK's strict result schema: one
// malformed tool would otherwise fail the whole list.
const ListPage = z.looseObject({
  tools: z.array(z.unknown()),
  nextCursor: z.string().max(1_000).optional(),
  ttlMs: z.number().finite().nonnegative().optional().catch(undefined),
})

/** One listed tool as we keep it; a malformed one gets an empty name or an inputSchema the sync rejects. */
function toolInfo(raw: unknown): McpToolInfo {
  const t = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>
  const str = (v: unknown) => (typeof v === 'string' ? v : '')
  const name = str(t.name).slice(0, 200)
  return { name, description: str(t.description) || str(t.title), inputSchema: t.inputSchema }
}

/** Lists the server's tools (following pagination); throws ToolCallError on any failure or an oversized list. */
export async function listMcpTools(ep: McpEndpoint, opts: McpCallOptions): Promise<McpToolList> {
  return withClient(ep, opts, async (client, req) => {
    const tools: McpToolInfo[] = []
    let ttlMs: number | undefined
    let cursor: string | undefined
    for (let pageNo = 0; pageNo < MAX_PAGES; pageNo++) {
      const page = await client.request({ method: 'tools/list', params: cursor ? { cursor } : {} }, ListPage, req)
      if (page.ttlMs !== undefined) ttlMs = Math.min(ttlMs ?? page.ttlMs, page.ttlMs)
      for (const t of page.tools) tools.push(toolInfo(t))
      if (tools.length > MAX_MCP_TOOLS) throw new ToolCallError('TOO_LARGE', `The MCP server lists more than ${MAX_MCP_TOOLS} tools; restrict it with allowedTools on the server side.`)
      cursor = page.nextCursor
      if (!cursor) return { tools, ...(ttlMs !== undefined && { ttlMs }) }
    }
    throw new ToolCallError('BAD_RESPONSE', `The MCP server's tool list did not end after ${MAX_PAGES} pages.`)
  })
}

// How servers say a tool does not exist: the SDK's McpServer answers an isError result, others a JSON-RPC error.
const unknownTool = /\b(tool\b.*\b(not found|unknown|does not exist)|unknown tool)/i

/** Calls one tool and maps its content to text; an `isError` result becomes a TOOL_ERROR the model reads. */
export async function callMcpTool(ep: McpEndpoint, name: string, args: Record<string, unknown>, opts: McpCallOptions): Promise<string> {
  return withClient(ep, opts, async (client, req) => {
    let result: Awaited<ReturnType<Client['callTool']>>
    try {
      result = await client.callTool({ name, arguments: args }, undefined, req)
    } catch (e) {
      if (e instanceof Error && /-32602/.test(e.message) && unknownTool.test(e.message)) throw goneError(name)
      throw e
    }
    const text = contentText(result)
    if (result.isError && unknownTool.test(text) && text.includes(name)) throw goneError(name)
    if (Buffer.byteLength(text) > opts.maxResponseBytes) throw new ToolCallError('TOO_LARGE', `The result of ${name} is larger than ${opts.maxResponseBytes} bytes.`)
    if (result.isError) throw new ToolCallError('TOOL_ERROR', text || `The tool ${name} reported an error.`)
    return text
  })
}

const goneError = (name: string) => new ToolCallError('TOOL_UNAVAILABLE', `The MCP server no longer has the tool ${name}.`)

type Part = { type: string; text?: string; mimeType?: string; data?: string; uri?: string; name?: string; resource?: { uri?: string; text?: string; mimeType?: string } }

/** Text parts joined; other parts described in one line each (the model cannot read images through this channel). */
export function contentText(result: { content?: unknown; structuredContent?: unknown; toolResult?: unknown }): string {
  const parts = Array.isArray(result.content) ? (result.content as Part[]) : []
  const lines = parts.map((p) => {
    if (p.type === 'text') return p.text ?? ''
    if (p.type === 'image' || p.type === 'audio') return `[${p.type} ${p.mimeType ?? 'unknown type'}, ${base64Bytes(p.data ?? '')} bytes]`
    if (p.type === 'resource') return p.resource?.text ?? `[resource ${p.resource?.uri ?? ''} ${p.resource?.mimeType ?? ''}]`.replace(/\s+]/, ']')
    if (p.type === 'resource_link') return `[resource link ${p.uri ?? ''}${p.name ? ` (${p.name})` : ''}]`
    return `[${String(p.type).slice(0, 40)} content]`
  })
  if (!lines.length && result.structuredContent !== undefined) return JSON.stringify(result.structuredContent)
  if (!lines.length && result.toolResult !== undefined) return JSON.stringify(result.toolResult)
  return lines.join('\n')
}

/** Decoded size of base64 text without decoding it (padding excluded). */
const base64Bytes = (data: string) => Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0)

function toToolError(e: unknown, host: string): ToolCallError {
  if (e instanceof ToolCallError) return e
  const cause = (e as { cause?: unknown })?.cause
  if (cause instanceof ToolCallError) return cause
  const message = e instanceof Error ? e.message : ''
  // SDK messages can quote the server's body: pass only our own classification, never its text.
  if (/HTTP (\d{3})|status code (\d{3})|Error POSTing to endpoint \(HTTP (\d{3})\)/i.test(message)) {
    const status = /(\d{3})/.exec(message)?.[1]
    return new ToolCallError('HTTP_STATUS', `The MCP server at ${host} answered HTTP ${status}.`, Number(status) >= 500 || status === '429')
  }
  if (/MCP error -32601|Method not found/i.test(message)) return new ToolCallError('BAD_RESPONSE', `The MCP server at ${host} does not support this request.`)
  if (/MCP error -32602/i.test(message)) return new ToolCallError('INVALID_ARGUMENTS', `The MCP server at ${host} refused the arguments.`)
  if (/MCP error/i.test(message)) return new ToolCallError('TOOL_ERROR', `The MCP server at ${host} answered with an error.`)
  return new ToolCallError('BAD_RESPONSE', `The server at ${host} did not answer as an MCP server.`)
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the configured URL'
  }
}
