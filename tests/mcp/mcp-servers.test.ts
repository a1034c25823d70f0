// MCP servers as tool sources, against a real SDK server on loopback: registration with a secret header, sync into
// MCP tools, a run calling one (AG-UI-verified), the header reaching that server and nowhere else, and bad servers.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startApp, type TestApp } from '../helpers/app.ts'
import { raw } from '../helpers/agents.ts'
import { eventLog, run, verify } from '../helpers/runs.ts'
import { codeOf, signUp, type Session } from '../helpers/tenants.ts'
import { startTestMcpServer, type TestMcpServer } from './mcp-test-server.ts'

const SECRET = 'Bearer mcp-secret-7f3a9c'
const serverFields = 'id name url headerNames allowedTools requiresApproval status lastSyncedAt lastError tools { id name kind available requiresApproval inputSchema }'
const create = `mutation($input: CreateMcpServerInput!) { createMcpServer(input: $input) { mcpServer { ${serverFields} } } }`
type Server = { id: string; status: string; lastError: string | null; headerNames: string[]; allowedTools: string[] | null; tools: { id: string; name: string; kind: string; available: boolean; requiresApproval: boolean }[] }

let t: TestApp
let s: Session
let mcp: TestMcpServer
let name = 0

beforeAll(async () => {
  t = await startApp({ WORKERS: '1', MCP_ALLOW_PRIVATE_NETWORKS: 'true', MCP_ALLOW_INSECURE: 'true', HTTP_TOOL_TIMEOUT_MS: '5000', HTTP_TOOL_MAX_RESPONSE_BYTES: '65536' })
  s = await signUp(t)
  mcp = await startTestMcpServer()
})
afterAll(() => mcp.close())

async function register(input: Record<string, unknown>): Promise<Server> {
  const r = await t.gql<{ createMcpServer: { mcpServer: Server } }>(create, { input: { name: `srv${++name}`, url: mcp.url, ...input } }, s.headers)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.createMcpServer.mcpServer
}

async function agentWith(toolIds: string[]) {
  const r = await t.gql<{ createAgent: { agent: { id: string } } }>('mutation($input: CreateAgentInput!) { createAgent(input: $input) { agent { id } } }', {
    input: { name: `mcp agent ${++name}`, model: 'mock-1', systemPrompt: 'You are helpful.', toolIds, timeoutSeconds: 30, maxToolCalls: 3 },
  }, s.headers)
  expect(r.body.errors, JSON.stringify(r.body.errors)).toBeUndefined()
  return r.body.data!.createAgent.agent.id
}

describe('MCP servers as tool sources', () => {
  it('syncs the tools, runs one in an agent (verified AG-UI stream), and keeps the header between us and the server', async () => {
    const before = mcp.requests.length
    const server = await register({ name: 'files', headers: [{ name: 'Authorization', value: SECRET }], allowedTools: ['reverse', 'fail'] })
    expect(server).toMatchObject({ status: 'READY', lastError: null, headerNames: ['Authorization'], allowedTools: ['reverse', 'fail'] })
    expect(server.tools.map((x) => [x.name, x.kind, x.available])).toEqual([['files__fail', 'MCP', true], ['files__reverse', 'MCP', true]])

    const agentId = await agentWith([server.tools.find((x) => x.name === 'files__reverse')!.id])
    const r = await run(t, s, { agentId, prompt: 'please files__reverse hello', wait: true })
    expect(r.status).toBe('SUCCEEDED')
    const log = await eventLog(t, s, r.id)
    const result = log.find((e) => e.type === 'TOOL_CALL_RESULT')!.event.content as string
    expect(result.split('\n')[1]).toBe('[image image/png, 4 bytes]')
    expect(result.split('\n')[0]).toMatch(/^\S*olleh/)
    await verify(log.map((e) => e.event))

    // The header reached the MCP server on every request…
    const seen = mcp.requests.slice(before)
    expect(seen.length).toBeGreaterThan(0)
    for (const h of seen) expect(h.authorization).toBe(SECRET)
    // …and nowhere else: not in any field, not in the database in clear, not in the audit log or the run's events.
    const read = await t.gql(`query { mcpServers(first: 10) { edges { node { ${serverFields} } } } }`, {}, s.headers)
    expect(JSON.stringify(read.body)).not.toContain('mcp-secret')
    const db = t.app.deps.db.forTenant(raw(s.tenantId)).client
    const stored = JSON.stringify([await db.mcpServer.findMany(), await db.auditLog.findMany(), await db.executionEvent.findMany(), await db.tool.findMany(), await db.execution.findMany()])
    expect(stored).not.toContain('mcp-secret')
    expect(stored).toContain('[REDACTED]')
  })

  it('reports isError results to the model as tool errors, and bounds result size', async () => {
    const server = await register({ allowedTools: ['fail', 'big'] })
    const failing = await agentWith(server.tools.map((x) => x.id))
    const r = await run(t, s, { agentId: failing, prompt: `call ${server.tools[0]!.name} and ${server.tools[1]!.name} now`, wait: true })
    expect(r.status).toBe('SUCCEEDED')
    const results = (await eventLog(t, s, r.id)).filter((e) => e.type === 'TOOL_CALL_RESULT').map((e) => JSON.parse(e.event.content as string) as { code: string; error: string })
    expect(results.map((x) => x.code).sort()).toEqual(['TOOL_ERROR', 'TOO_LARGE'])
    expect(results.find((x) => x.code === 'TOOL_ERROR')!.error).toBe('the tool refused')
  })

  it('marks a tool that disappears unavailable; a run needing it gets a typed tool error', async () => {
    const server = await register({ allowedTools: ['shout'] })
    const agentId = await agentWith([server.tools[0]!.id])
    mcp.state.withShout = false
    try {
      const refreshed = await t.gql<{ refreshMcpServer: { mcpServer: Server } }>(`mutation($id: ID!) { refreshMcpServer(input: { id: $id }) { mcpServer { ${serverFields} } } }`, { id: server.id }, s.headers)
      expect(refreshed.body.data!.refreshMcpServer.mcpServer.tools.map((x) => x.available)).toEqual([false])
      const r = await run(t, s, { agentId, prompt: `${server.tools[0]!.name} hi`, wait: true })
      expect(r.status).toBe('SUCCEEDED')
      const content = (await eventLog(t, s, r.id)).find((e) => e.type === 'TOOL_CALL_RESULT')!.event.content as string
      expect(JSON.parse(content)).toMatchObject({ code: 'TOOL_UNAVAILABLE' })
    } finally {
      mcp.state.withShout = true
    }
  })

  it('times out a server that hangs: the run goes on with a TIMEOUT tool error', async () => {
    const server = await register({ allowedTools: ['reverse'] })
    const agentId = await agentWith([server.tools[0]!.id])
    mcp.state.hang = true
    try {
      const r = await run(t, s, { agentId, prompt: `${server.tools[0]!.name} abc`, wait: true })
      expect(r.status).toBe('SUCCEEDED')
      const content = (await eventLog(t, s, r.id)).find((e) => e.type === 'TOOL_CALL_RESULT')!.event.content as string
      expect(JSON.parse(content)).toMatchObject({ code: 'TIMEOUT' })
    } finally {
      mcp.state.hang = false
    }
  })

  it.each([
    ['an unreachable server', async () => 'http://127.0.0.1:9/mcp', /refused|failed/],
    ['a server that is not MCP', async () => plain((res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hi</html>')), /MCP/],
    ['malformed JSON-RPC', async () => plain((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"jsonrpc":"2.0","id":')), /MCP/],
    ['a server that answers 500', async () => plain((res) => res.writeHead(500).end('boom')), /500|MCP/],
  ])('records ERROR with lastError for %s', async (_n, url, message) => {
    const server = await register({ url: await url() })
    expect(server.status).toBe('ERROR')
    expect(server.lastError).toMatch(message)
    expect(server.tools).toEqual([])
  })

  it('refuses bad input with typed errors and scopes servers to the tenant', async () => {
    expect(codeOf(await t.gql(create, { input: { name: 'x', url: 'ftp://example.com' } }, s.headers))).toBe('VALIDATION_FAILED')
    expect(codeOf(await t.gql(create, { input: { name: 'y', url: mcp.url, headers: [{ name: 'Host', value: 'a' }] } }, s.headers))).toBe('VALIDATION_FAILED')
    const other = await signUp(t)
    const server = await register({})
    const foreign = await t.gql(`mutation($id: ID!) { refreshMcpServer(input: { id: $id }) { mcpServer { id } } }`, { id: server.id }, other.headers)
    expect(codeOf(foreign)).toBe('NOT_FOUND')
    const list = await t.gql<{ mcpServers: { edges: unknown[] } }>('query { mcpServers(first: 10) { edges { node { id } } } }', {}, other.headers)
    expect(list.body.data!.mcpServers.edges).toEqual([])
    const deleted = await t.gql(`mutation($id: ID!) { deleteMcpServer(input: { id: $id }) { deletedId } }`, { id: server.id }, s.headers)
    expect(deleted.body).toEqual({ data: { deleteMcpServer: { deletedId: server.id } } })
  })
})

const plainServers: http.Server[] = []
afterAll(() => plainServers.forEach((x) => x.close()))
async function plain(handler: (res: http.ServerResponse) => void): Promise<string> {
  const server = http.createServer((req, res) => req.resume().on('end', () => handler(res)))
  plainServers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`
}
