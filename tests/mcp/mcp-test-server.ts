// A real MCP server (the official SDK, stateless Streamable HTTP) on loopback for tests. It records the headers of
// every request, and its tool list can be changed between syncs.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { z } from 'zod'

export interface TestMcpServer {
  url: string
  /** Headers of every request received, in order. */
  requests: http.IncomingHttpHeaders[]
  /** Names of the tools called (tools/call), in order: unlike `requests`, blind to sessions opened to list or watch. */
  toolCalls: string[]
  /** Whether the `shout` tool is listed (flip it to simulate a tool disappearing). */
  state: { withShout: boolean; hang: boolean }
  close(): Promise<void>
}

function build(state: TestMcpServer['state']) {
  const server = new McpServer({ name: 'test-tools', version: '1.0.0' })
  server.registerTool('reverse', { description: 'Reverses a text.', inputSchema: { text: z.string() } }, async ({ text }) => {
    if (state.hang) await new Promise((r) => setTimeout(r, 60_000))
    return { content: [{ type: 'text', text: [...text].reverse().join('') }, { type: 'image', data: Buffer.from('png!').toString('base64'), mimeType: 'image/png' }] }
  })
  server.registerTool('fail', { description: 'Always reports an error.', inputSchema: { text: z.string() } }, async () => ({ isError: true, content: [{ type: 'text', text: 'the tool refused' }] }))
  server.registerTool('big', { description: 'Answers a lot.', inputSchema: { text: z.string() } }, async () => ({ content: [{ type: 'text', text: 'x'.repeat(200_000) }] }))
  if (state.withShout) server.registerTool('shout', { description: 'Upper-cases.', inputSchema: { text: z.string() } }, async ({ text }) => ({ content: [{ type: 'text', text: text.toUpperCase() }] }))
  return server
}

/** Starts the server on 127.0.0.1 (a fresh McpServer per request, as the SDK's stateless example does). */
export async function startTestMcpServer(): Promise<TestMcpServer> {
  const requests: http.IncomingHttpHeaders[] = []
  const toolCalls: string[] = []
  const state = { withShout: true, hang: false }
  const httpServer = http.createServer((req, res) => {
    requests.push(req.headers)
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      let body: unknown
      try {
        body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined
      } catch {
        body = undefined
      }
      for (const m of [body].flat() as { method?: string; params?: { name?: string } }[]) if (m?.method === 'tools/call') toolCalls.push(String(m.params?.name))
      const server = build(state)
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
      res.on('close', () => void transport.close().then(() => server.close()))
      void server.connect(transport).then(() => transport.handleRequest(req, res, body))
    })
  })
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r))
  const { port } = httpServer.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    requests,
    toolCalls,
    state,
    close: () => new Promise((r) => { httpServer.closeAllConnections(); httpServer.close(() => r()) }),
  }
}
