// A standing session with an MCP server, kept only to hear `notifications/tools/list_changed`. Streamable HTTP
// delivers server-initiated notifications on the GET SSE stream the client opens after initialization; a server
// that does not announce `tools.listChanged`, gives no session id (stateless), or answers that GET with anything
// but an event stream cannot notify, and watchMcpServer says so instead of holding a useless connection.
import { mcpClientSdk } from './mcp-sdk.ts'
import type { HttpToolPolicy } from './address-policy.ts'
import { CLIENT_INFO, type McpEndpoint } from './mcp-client.ts'
import { guardedFetch } from './mcp-fetch.ts'
import type { Resolver } from './pinned-lookup.ts'

export interface McpWatchOptions {
  policy: HttpToolPolicy
  /** Budget for connecting and for the server to open its event stream. */
  timeoutMs: number
  /** Bytes the event stream may carry before it is cut (the watch then ends and is started again). */
  maxResponseBytes: number
  resolve?: Resolver
  onChanged: () => void
  /** The session or its stream ended (once): notifications may have been missed. */
  onEnded: () => void
}

export interface McpWatch {
  close(): Promise<void>
}

/** Opens the watch; resolves to null when the server cannot send list_changed over this transport. */
export async function watchMcpServer(ep: McpEndpoint, opts: McpWatchOptions): Promise<McpWatch | null> {
  const { Client, StreamableHTTPClientTransport, ToolListChangedNotificationSchema } = await mcpClientSdk()
  let closing = false
  let ended = false
  const end = () => {
    if (closing || ended) return
    ended = true
    opts.onEnded()
  }
  let streamOpened: (ok: boolean) => void = () => {}
  const opened = new Promise<boolean>((r) => (streamOpened = r))
  const base = guardedFetch({ policy: opts.policy, maxResponseBytes: opts.maxResponseBytes, resolve: opts.resolve })
  const fetch = async (input: string | URL | Request, init: RequestInit = {}) => {
    const res = await base(input, init)
    if ((init.method ?? 'GET') !== 'GET') return res
    const ok = res.ok && (res.headers.get('content-type') ?? '').includes('text/event-stream') && res.body !== null
    streamOpened(ok)
    if (!ok) return res
    // Notice the end of the stream ourselves: the SDK would otherwise reconnect quietly and lose the gap.
    const watched = res.body!.pipeThrough(new TransformStream({ flush: end }))
    return new Response(watched, { status: res.status, headers: res.headers })
  }
  const transport = new StreamableHTTPClientTransport(new URL(ep.url), {
    requestInit: { headers: ep.headers, redirect: 'error' },
    fetch,
    reconnectionOptions: { maxRetries: 0, initialReconnectionDelay: 1_000, maxReconnectionDelay: 1_000, reconnectionDelayGrowFactor: 1 },
  })
  const client = new Client(CLIENT_INFO, { capabilities: {} })
  client.setNotificationHandler(ToolListChangedNotificationSchema, async () => opts.onChanged())
  client.onerror = end
  client.onclose = end
  const close = async () => {
    closing = true
    await client.close().catch(() => {})
  }
  try {
    await client.connect(transport, { timeout: opts.timeoutMs, signal: AbortSignal.timeout(opts.timeoutMs) })
  } catch (e) {
    await close()
    throw e
  }
  // Without a session id the server is stateless: its GET stream belongs to no session (each request may reach
  // another instance), so nothing it sends there is about us.
  if (!client.getServerCapabilities()?.tools?.listChanged || !transport.sessionId) {
    await close()
    return null
  }
  let timer: ReturnType<typeof setTimeout> | undefined
  const streaming = await Promise.race([opened, new Promise<boolean>((r) => (timer = setTimeout(() => r(false), opts.timeoutMs)))])
  clearTimeout(timer)
  if (!streaming) {
    await close()
    return null
  }
  return { close }
}
