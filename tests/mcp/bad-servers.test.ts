// MCP servers that misbehave while being listed: thousands of tools, malformed or invalid tools next to good ones,
// a list bigger than the response cap, JSON that is not JSON-RPC, a server that never answers. Each ends in READY
// (with the bad tools skipped and named) or ERROR with lastError, in bounded time, never a failed request.
// (Unreachable, not-MCP, truncated JSON, HTTP 500, oversized results and hanging calls: mcp-servers.test.ts.)
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { signUp, type Session } from '../helpers/tenants.ts'

type McpServerView = { status: string; lastError: string | null; tools: { name: string; inputSchema: unknown }[] }
const TIMEOUT_MS = 1_500

let t: TestApp
let s: Session
const open: http.Server[] = []
let n = 0

beforeAll(async () => {
  t = await startApp({ MCP_ALLOW_PRIVATE_NETWORKS: 'true', MCP_ALLOW_INSECURE: 'true', HTTP_TOOL_TIMEOUT_MS: String(TIMEOUT_MS), HTTP_TOOL_MAX_RESPONSE_BYTES: '65536' })
  s = await signUp(t)
})
afterAll(() => open.forEach((x) => { x.closeAllConnections(); x.close() }))

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler)
  open.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`
}

/** A real SDK server whose tools/list answers `pages` (one per cursor). */
const listing = (pages: unknown[][]) => serve((req, res) => {
  const server = new Server({ name: 'bad-tools', version: '1.0.0' }, { capabilities: { tools: {} } })
  server.setRequestHandler(ListToolsRequestSchema, async (r) => {
    const i = Number(r.params?.cursor ?? 0)
    return { tools: pages[i] as never[], ...(i + 1 < pages.length && { nextCursor: String(i + 1) }) }
  })
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
  res.on('close', () => void transport.close().then(() => server.close()))
  void server.connect(transport).then(() => transport.handleRequest(req, res))
})

async function register(url: string): Promise<{ server: McpServerView; ms: number }> {
  const started = Date.now()
  const r = await t.gql<{ createMcpServer: { mcpServer: McpServerView } }>(
    'mutation($input: CreateMcpServerInput!) { createMcpServer(input: $input) { mcpServer { status lastError tools { name inputSchema } } } }',
    { input: { name: `bad${++n}`, url } }, s.headers)
  expect(r.status).toBe(200)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return { server: r.body.data!.createMcpServer.mcpServer, ms: Date.now() - started }
}

const tool = (name: string, inputSchema: unknown = { type: 'object', properties: { q: { type: 'string' } } }) => ({ name, description: name, inputSchema })

describe('badly behaved MCP servers', () => {
  it('refuses a list of thousands of tools (over pages) with ERROR and lastError', async () => {
    const pages = Array.from({ length: 5 }, (_, p) => Array.from({ length: 100 }, (_, i) => tool(`t${p}_${i}`)))
    const { server } = await register(await listing(pages))
    expect(server).toMatchObject({ status: 'ERROR', tools: [] })
    expect(server.lastError).toMatch(/more than 200 tools/)
  })

  it('refuses a single page of thousands of tools bigger than the response cap', async () => {
    const { server } = await register(await listing([Array.from({ length: 3_000 }, (_, i) => tool(`tool_${i}`))]))
    expect(server).toMatchObject({ status: 'ERROR', tools: [] })
    expect(server.lastError).toMatch(/larger than 65536 bytes|more than 200 tools/)
  })

  it('keeps the good tools and names the skipped ones when some have no name or an invalid schema', async () => {
    const { server } = await register(await listing([[
      tool('good'),
      tool('bad_type', { type: 'object', properties: { q: { type: 'no-such-type' } } }),
      tool('not_an_object', 'a string'),
      { description: 'no name at all', inputSchema: { type: 'object' } },
      tool('also_good', { type: 'object' }),
    ]]))
    expect(server.status).toBe('READY')
    expect(server.tools.map((x) => x.name).sort()).toEqual([`bad${n}__also_good`, `bad${n}__good`])
    expect(server.lastError).toMatch(/Skipped 3 tool\(s\)/)
    expect(server.lastError).toContain('bad_type')
    expect(server.lastError).toContain('not_an_object')
    expect(server.lastError).toContain('(unnamed)')
  })

  it('records ERROR for JSON that is not JSON-RPC', async () => {
    const url = await serve((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}')))
    const { server } = await register(url)
    expect(server.status).toBe('ERROR')
    expect(server.lastError).toMatch(/MCP|answer/)
  })

  it('gives up on a server that never answers within HTTP_TOOL_TIMEOUT_MS', async () => {
    const url = await serve((req) => req.resume()) // reads the request, never responds
    const { server, ms } = await register(url)
    expect(server.status).toBe('ERROR')
    expect(server.lastError).toMatch(new RegExp(`did not answer within ${TIMEOUT_MS} ms`))
    expect(ms).toBeLessThan(TIMEOUT_MS + 10_000)
  })

  it('gives up on a server that accepts the list request and then stalls mid-answer', async () => {
    const url = await serve((req, res) => {
      let body = ''
      req.on('data', (c: Buffer) => (body += c)).on('end', () => {
        if (req.method !== 'POST') return void res.writeHead(405).end() // the client's GET stream and DELETE
        const msg = JSON.parse(body) as { method: string; id?: number }
        if (msg.method === 'initialize') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', id: msg.id, result: { protocolVersion: '2025-06-18', capabilities: { tools: {} }, serverInfo: { name: 'stall', version: '1' } } }))
        } else if (msg.id === undefined) res.writeHead(202).end()
        else res.writeHead(200, { 'content-type': 'application/json' }).write('{"jsonrpc":"2.0","id":') // and nothing more
      })
    })
    const { server } = await register(url)
    expect(server.status).toBe('ERROR')
    expect(server.lastError).toMatch(/did not answer within/)
  })
})
