// MCP servers (official SDK, on loopback) whose tool list changes while the platform uses them:
// - a stateless one that puts a SEP-2549 `ttlMs` on its tools/list result;
// - a stateful one (sessions, GET event stream) that sends notifications/tools/list_changed when its tools change.
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { McpServer, type RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { z } from 'zod'

export interface DynamicMcpServer {
  url: string
  /** tools/list requests answered so far. */
  lists: number
  /** Event streams (GET) open right now. */
  streams: number
  setTools(names: string[]): void
  close(): Promise<void>
}

async function listen(server: http.Server): Promise<{ url: string; close: () => Promise<void> }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()) }),
  }
}

/** Stateless; every tools/list result carries `ttlMs` (when set). */
export async function startTtlMcpServer(initial: string[], ttlMs: number | undefined): Promise<DynamicMcpServer> {
  let tools = initial
  const self = { lists: 0, streams: 0 } as DynamicMcpServer
  const httpServer = http.createServer((req, res) => {
    const server = new Server({ name: 'ttl-tools', version: '1.0.0' }, { capabilities: { tools: {} } })
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      self.lists++
      return { tools: tools.map((name) => ({ name, description: `The ${name} tool.`, inputSchema: { type: 'object' as const, properties: { text: { type: 'string' } } } })), ...(ttlMs !== undefined && { ttlMs }) }
    })
    server.setRequestHandler(CallToolRequestSchema, async (r) => ({ content: [{ type: 'text' as const, text: `${r.params.name} ran` }] }))
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
    res.on('close', () => void transport.close().then(() => server.close()))
    void server.connect(transport).then(() => transport.handleRequest(req, res))
  })
  const { url, close } = await listen(httpServer)
  return Object.assign(self, { url, close, setTools: (names: string[]) => void (tools = names) })
}

/**
 * Stateless with event-stream answers; its `grow` tool adds a tool and says so with notifications/tools/list_changed
 * inside the call's own response stream (the only place a stateless server can notify).
 */
export async function startGrowingMcpServer(): Promise<DynamicMcpServer> {
  let names = ['grow']
  const self = { lists: 0, streams: 0 } as DynamicMcpServer
  const httpServer = http.createServer((req, res) => {
    const server = new Server({ name: 'growing-tools', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } })
    server.setRequestHandler(ListToolsRequestSchema, async () => {
      self.lists++
      return { tools: names.map((name) => ({ name, description: `The ${name} tool.`, inputSchema: { type: 'object' as const, properties: { text: { type: 'string' } } } })) }
    })
    server.setRequestHandler(CallToolRequestSchema, async (r, extra) => {
      if (r.params.name === 'grow') {
        names = [...names, `grown${names.length}`]
        await extra.sendNotification({ method: 'notifications/tools/list_changed' })
      }
      return { content: [{ type: 'text' as const, text: `${r.params.name} ran` }] }
    })
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined })
    res.on('close', () => void transport.close().then(() => server.close()))
    void server.connect(transport).then(() => transport.handleRequest(req, res))
  })
  const { url, close } = await listen(httpServer)
  return Object.assign(self, { url, close, setTools: (next: string[]) => void (names = next) })
}

/** Stateful (Mcp-Session-Id); changing its tools notifies every open session on its GET stream. */
export async function startNotifyingMcpServer(initial: string[]): Promise<DynamicMcpServer> {
  let names = initial
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: McpServer; tools: Map<string, RegisteredTool> }>()
  const self = { lists: 0, streams: 0 } as DynamicMcpServer
  const register = (server: McpServer, name: string) =>
    server.registerTool(name, { description: `The ${name} tool.`, inputSchema: { text: z.string().optional() } }, async () => ({ content: [{ type: 'text', text: `${name} ran` }] }))
  const httpServer = http.createServer((req, res) => {
    const id = req.headers['mcp-session-id']
    const existing = typeof id === 'string' ? sessions.get(id) : undefined
    if (req.method === 'GET' && existing) {
      self.streams++
      res.on('close', () => self.streams--)
    }
    if (existing) return void existing.transport.handleRequest(req, res)
    if (req.method !== 'POST') return void res.writeHead(400).end()
    const server = new McpServer({ name: 'notifying-tools', version: '1.0.0' })
    const tools = new Map(names.map((n) => [n, register(server, n)]))
    server.server.setRequestHandler(ListToolsRequestSchema, async () => {
      self.lists++
      return { tools: [...tools.keys()].map((name) => ({ name, description: `The ${name} tool.`, inputSchema: { type: 'object' as const, properties: { text: { type: 'string' } } } })) }
    })
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: randomUUID,
      onsessioninitialized: (sid) => void sessions.set(sid, { transport, server, tools }),
    })
    transport.onclose = () => transport.sessionId && sessions.delete(transport.sessionId)
    void server.connect(transport).then(() => transport.handleRequest(req, res))
  })
  const { url, close } = await listen(httpServer)
  return Object.assign(self, {
    url,
    close: async () => {
      for (const s of sessions.values()) await s.server.close()
      await close()
    },
    setTools(next: string[]) {
      names = next
      for (const s of sessions.values()) {
        for (const [n, t] of s.tools) if (!next.includes(n)) { t.remove(); s.tools.delete(n) }
        for (const n of next) if (!s.tools.has(n)) s.tools.set(n, register(s.server, n))
      }
    },
  })
}
